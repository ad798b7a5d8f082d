#!/usr/bin/env node
// Gzipped sizes of the built bundles against the budgets in package.json's "sizeBudgets" (one entry per
// bundle: path, gzipped KB, and what it holds). The one gzip measurement: scripts/measure-element.mjs
// reports with it and tests/size.test.ts fails npm test with it.
// Usage: npm run build && node scripts/size.mjs   (exit status 1 when a budget is exceeded)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KB = 1024;

/** Bytes of `data` (a Buffer or a string) after gzip -9. */
export function gzipSize(data) {
  return gzipSync(typeof data === 'string' ? Buffer.from(data) : data, { level: 9 }).length;
}

/** The budgets from package.json, checked for shape so a typo cannot silently disable one. */
export function readBudgets(root = ROOT) {
  const budgets = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).sizeBudgets;
  if (!Array.isArray(budgets) || budgets.length === 0) throw new Error('package.json: "sizeBudgets" must be a non-empty array');
  for (const [i, b] of budgets.entries()) {
    if (typeof b?.path !== 'string' || !(typeof b.gzipKB === 'number' && b.gzipKB > 0)) {
      throw new Error(`package.json: sizeBudgets[${i}] needs "path" (a file under the package) and "gzipKB" (a number above 0); got ${JSON.stringify(b)}`);
    }
  }
  return budgets;
}

/**
 * Measures each budgeted file. Returns one result per budget: `{ path, gzipKB, raw, gzip, ok, message }`;
 * a missing file is a failure whose message says to build first.
 */
export function checkBudgets(budgets, root = ROOT) {
  return budgets.map(({ path, gzipKB, what }) => {
    const file = resolve(root, path);
    if (!existsSync(file)) return { path, gzipKB, raw: 0, gzip: 0, ok: false, message: `${path} is missing: run npm run build first` };
    const bytes = readFileSync(file);
    const gzip = gzipSize(bytes);
    const ok = gzip <= gzipKB * KB;
    const size = `${(gzip / KB).toFixed(1)} KB gzipped (${(bytes.length / KB).toFixed(1)} KB raw)`;
    const message = ok
      ? `${path} ${size}, budget ${gzipKB} KB${what ? ` (${what})` : ''}`
      : `${path} is ${size}, over its budget of ${gzipKB} KB by ${((gzip - gzipKB * KB) / KB).toFixed(1)} KB`;
    return { path, gzipKB, raw: bytes.length, gzip, ok, message };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const results = checkBudgets(readBudgets());
  for (const r of results) (r.ok ? console.log : console.error)(`${r.ok ? 'ok  ' : 'FAIL'} ${r.message}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
