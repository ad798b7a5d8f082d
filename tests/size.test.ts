// The size budgets in package.json's "sizeBudgets": every built bundle within its gzipped budget (npm test
// fails otherwise), the checker able to fail, and the README listing the same budgets.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
// @ts-expect-error plain ES module without types
import { KB, ROOT, checkBudgets, gzipSize, readBudgets } from '../scripts/size.mjs';

interface Budget { path: string; gzipKB: number; what?: string }
interface Result { path: string; gzipKB: number; raw: number; gzip: number; ok: boolean; message: string }

const budgets: Budget[] = readBudgets();
const scratch = mkdtempSync(join(tmpdir(), 'cher-size-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('size budgets', () => {
  test('package.json budgets the element bundle', () => {
    expect(budgets.map((b) => b.path)).toContain('dist/cher-hedger.js');
  });

  test.each(budgets.map((b) => [b.path, b] as const))('%s is within its gzipped budget', (_, budget) => {
    const [result]: Result[] = checkBudgets([budget]);
    expect(result.gzip).toBeGreaterThan(0);
    expect(result.ok, result.message).toBe(true);
  });

  test('a budget smaller than the file is reported as exceeded', () => {
    const [real]: Result[] = checkBudgets([{ path: 'dist/cher-hedger.js', gzipKB: 100 }]);
    const tight = Math.floor(real.gzip / KB) - 1;
    const [result]: Result[] = checkBudgets([{ path: 'dist/cher-hedger.js', gzipKB: tight }]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^dist/cher-hedger\\.js is [\\d.]+ KB gzipped .* over its budget of ${tight} KB by [\\d.]+ KB$`));
  });

  test('the measurement is gzip -9 of the file, and the limit is inclusive', () => {
    const data = Buffer.from('cher-hedger '.repeat(5000) + Math.random());
    writeFileSync(join(scratch, 'bundle.js'), data);
    const expected = gzipSync(data, { level: 9 }).length;
    expect(gzipSize(data)).toBe(expected);
    expect(expected).toBeLessThan(data.length / 10);
    expect(checkBudgets([{ path: 'bundle.js', gzipKB: expected / KB }], scratch)[0].ok).toBe(true);
    expect(checkBudgets([{ path: 'bundle.js', gzipKB: (expected - 1) / KB }], scratch)[0].ok).toBe(false);
  });

  test('a missing bundle fails with a message to build', () => {
    const [result]: Result[] = checkBudgets([{ path: 'dist/nothing.js', gzipKB: 1 }], scratch);
    expect(result.ok).toBe(false);
    expect(result.message).toBe('dist/nothing.js is missing: run npm run build first');
  });

  test('a malformed budget is rejected, not skipped', () => {
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ sizeBudgets: [{ path: 'dist/x.js', gzipKb: 10 }] }));
    expect(() => readBudgets(scratch)).toThrow(/sizeBudgets\[0\] needs "path" .* and "gzipKB"/);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({}));
    expect(() => readBudgets(scratch)).toThrow(/"sizeBudgets" must be a non-empty array/);
  });

  test('the README lists every budget', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const b of budgets) expect(readme).toMatch(new RegExp(`\`${b.path.replace(/[.]/g, '\\.')}\`[^\\n]*under ${b.gzipKB} KB gzipped`));
  });
});
