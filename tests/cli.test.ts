// The CLI as users run it: the built bin script in a child process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../bin/cher-hedger.js', import.meta.url));
/** The benchmark runner (`npm run bench`), built beside the package but not shipped in it. */
const benchScript = fileURLToPath(new URL('../build/bench/bench.js', import.meta.url));

function run(args: string[], script = bin): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('cher-hedger CLI', () => {
  test('train --json prints one line with the run and the evaluation', async () => {
    const r = await run(['train', '--iterations', '4', '--batch', '512', '--test-paths', '1024', '--cost', '0.002', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    for (const key of ['backend', 'workers', 'iterations', 'seconds', 'pathStepsPerSecond', 'loss', 'price', 'bsPrice', 'config', 'evaluation']) {
      expect(out).toHaveProperty(key);
    }
    expect(out.iterations).toBe(4);
    expect(out.config.cost).toBe(0.002);
    for (const s of ['network', 'bsDelta', 'whalleyWilmott', 'noHedge']) {
      expect(Object.keys(out.evaluation[s]).sort()).toEqual(['cost', 'es95', 'mean', 'price', 'std']);
    }
    expect(out.evaluation.noHedge.cost).toBe(0);
    expect(out.evaluation.bsDelta.cost).toBeGreaterThan(0);
  });

  test('train without --json shows progress and a table', async () => {
    const r = await run(['train', '--seconds', '0.5', '--batch', '256', '--test-paths', '256']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/path-steps\/s/);
    expect(r.stdout).toMatch(/Whalley-Wilmott/);
  });

  test('bad flags exit non-zero and name each problem', async () => {
    const r = await run(['train', '--batch', 'many', '--risk-aversion', '-1', '--colour', 'red', '--iterations', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--batch "many": an integer from 1/);
    expect(r.stderr).toMatch(/--risk-aversion -1: a number greater than 0/);
    expect(r.stderr).toMatch(/--colour "red": not a flag/);
    expect(r.stderr).toMatch(/--iterations "0": a positive integer/);
    expect(r.stdout).toBe('');
  });

  test('a flag without its value and an unknown command are errors', async () => {
    expect((await run(['train', '--steps'])).stderr).toMatch(/--steps: a value after the flag/);
    const r = await run(['fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "fly"/);
  });

  test('the bench runner (--json) measures the engine, its scalar build and the peers in one run, with ratios', async () => {
    const r = await run(['--seconds', '0.3', '--batch', '512', '--json'], benchScript);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    const names = out.rows.map((row: { name: string }) => row.name);
    expect(names[0]).toBe('cher-hedger wasm simd');
    expect(names).toContain('cher-hedger wasm scalar');
    expect(names.some((n: string) => n.startsWith('TensorFlow.js'))).toBe(true);
    for (const row of out.rows) {
      expect(row.pathStepsPerSecond).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(out.rows[0].pathStepsPerSecond / row.pathStepsPerSecond, 9);
    }
    expect(out.workload).toMatchObject({ batch: 512, steps: 30, hidden: 16 });
    expect(out.environment[1].ratio).toBeCloseTo(out.environment[0].pathStepsPerSecond / out.environment[1].pathStepsPerSecond, 9);
  });

  test('help lists every configuration flag with its default', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--lr-decay-steps\s+1000/);
    expect(r.stdout).toMatch(/--risk\s+mse/);
  });
});
