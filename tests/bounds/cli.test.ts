// `cher-hedger bounds` as users run it (the built bin script): one JSON line, and errors naming the flag.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/cher-hedger.js', import.meta.url));
const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(process.execPath, [bin, 'bounds', ...args], { timeout: 120_000 }, (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }));
});

test('--json prints one line with the bounds and the model price', async () => {
  const r = await run(['--payoff', 'forward-start', '--dates', '0.5,1', '--tree-steps', '100', '--json']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const out = JSON.parse(lines[0]);
  expect(Object.keys(out)).toEqual(['lower', 'upper', 'solver', 'gap', 'seconds', 'modelPrice', 'config']);
  expect(out.lower).toBeCloseTo(2.5516, 3);
  expect(out.upper).toBeCloseTo(6.9876, 3);
});

test('--solver decomposition: the same bounds in one JSON line, without HiGHS', async () => {
  const r = await run(['--payoff', 'forward-start', '--dates', '0.5,1', '--tree-steps', '100', '--solver', 'decomposition', '--json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout.trim());
  expect(out.solver).toBe('decomposition');
  expect(Math.abs(out.lower - 2.551609)).toBeLessThan(1e-5);
  expect(Math.abs(out.upper - 6.987558)).toBeLessThan(1e-5);
  expect(out.gap).toBeGreaterThanOrEqual(0);
});

test('a missing payoff parameter and a malformed CSV are named', async () => {
  const a = await run(['--payoff', 'asian', '--dates', '0.5,1']);
  expect(a.code).toBe(1);
  expect(a.stderr).toMatch(/strike = undefined: required by payoff asian/);
  const b = await run(['--quotes', '/nonexistent.csv']);
  expect(b.stderr).toMatch(/quotes = "\/nonexistent.csv": a readable CSV file/);
});
