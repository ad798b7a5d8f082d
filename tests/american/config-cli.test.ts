// Bad input names its key (API and CLI), and the CLI's --json line has the documented shape.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../widget/shared/config-schema.js';
import { priceAmerican } from '../../widget/index.js';

const bin = fileURLToPath(new URL('../../bin/cher-hedger.js', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'american', ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function problemsOf(config: Record<string, unknown>) {
  try {
    await priceAmerican(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('no error');
}

describe('American configuration', () => {
  test('each bad key is named with what is allowed', async () => {
    const p = await problemsOf({ volatility: -0.2, spot: 0, strike: null, steps: 100.5, option: 'straddle', colour: 1 });
    const byKey = Object.fromEntries(p.map((x) => [x.key, x.allowed]));
    expect(byKey.volatility).toMatch(/greater than 0/);
    expect(byKey.spot).toMatch(/greater than 0/);
    expect(byKey.strike).toMatch(/a number/);
    expect(byKey.steps).toMatch(/an integer/);
    expect(byKey.option).toBe('one of put, call');
    expect(byKey.colour).toMatch(/not a configuration key; known keys: option, exercise, spot, strike/);
  });

  test('dates without bermudan, and fewer steps than dates, are errors naming the key', async () => {
    const [p] = await problemsOf({ dates: 12 });
    expect(p.key).toBe('dates');
    expect(p.allowed).toMatch(/only with exercise = bermudan/);
    const [q] = await problemsOf({ exercise: 'bermudan', dates: 400, steps: 100 });
    expect(q.key).toBe('steps');
    const ok = await priceAmerican({ exercise: 'bermudan', dates: 12, steps: 1200 }, { methods: ['lattice'] });
    expect(ok.methods.lattice!.boundary.time).toHaveLength(11);
  });

  test('unknown methods are refused', async () => {
    await expect(priceAmerican({}, { methods: ['network' as never] })).rejects.toThrow(/unknown method "network"; methods: lattice, lsm/);
  });
});

describe('cher-hedger american', () => {
  test('--json prints one line with only the methods asked for', async () => {
    const r = await run(['--method', 'lattice', '--steps', '2000', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(Object.keys(out.methods)).toEqual(['lattice']);
    expect(out.european).toBeCloseTo(3.8443, 4);
    for (const k of ['price', 'seconds', 'delta', 'gamma', 'boundary']) expect(out.methods.lattice).toHaveProperty(k);
    expect(out.methods.lattice.price).toBeCloseTo(4.4867, 3);
    expect(out.config).toMatchObject({ option: 'put', spot: 36, strike: 40, steps: 2000 });
    expect(r.stderr).toBe('');
  });

  test('--method all --json: lattice, lsm and network with price, lower, upper, stdError, seconds', async () => {
    const r = await run([
      '--paths', '20000', '--dual-paths', '512', '--spot', '40', '--option', 'put', '--iterations', '20', '--batch', '64',
      '--backend', 'wasm', '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.methods).sort()).toEqual(['lattice', 'lsm', 'network']);
    for (const k of ['price', 'lower', 'stdError', 'seconds', 'iterations', 'loss']) expect(typeof out.methods.network[k]).toBe('number');
    expect(out.methods.network.iterations).toBe(20);
    for (const k of ['price', 'lower', 'upper', 'stdError', 'seconds']) expect(typeof out.methods.lsm[k]).toBe('number');
    expect(out.methods.lsm.lower).toBeLessThan(out.methods.lsm.upper);
    expect(out.config.spot).toBe(40);
  });

  test('--method network: a progress bar while it trains, its price and its stopping rule in the table', async () => {
    const r = await run(['--method', 'network', '--iterations', '30', '--batch', '64', '--paths', '4096', '--backend', 'wasm']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/network +\[#+\] 100%/);
    expect(r.stdout).toMatch(/value network \(50 dates, 30 iterations\)/);
    expect(r.stdout).toMatch(/its stopping rule \(4096 paths\)/);
    expect(r.stdout).not.toMatch(/lattice \(CRR/);
  });

  test('without --json: a progress bar on stderr and a table of methods', async () => {
    const r = await run(['--method', 'lsm', '--paths', '10000', '--dual-paths', '256']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/LSM +\[#+\] 100%/);
    expect(r.stdout).toMatch(/LSM \(50 dates, 10000 paths\)/);
    expect(r.stdout).toMatch(/foresight \(biased high, not a price\)/);
    expect(r.stdout).not.toMatch(/lattice \(CRR/);
  });

  test('bad flags exit 2 and name each key', async () => {
    const r = await run(['--volatility', '-1', '--spot', '0', '--steps', '10.5', '--method', 'neural', '--strike']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--volatility -1: a number greater than 0/);
    expect(r.stderr).toMatch(/--spot 0: a number greater than 0/);
    expect(r.stderr).toMatch(/--steps 10.5: an integer from 2/);
    expect(r.stderr).toMatch(/--method "neural": one of lattice, lsm, network, all/);
    expect(r.stderr).toMatch(/--strike: a value after the flag/);
    const d = await run(['--dates', '10']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--dates 10: only with exercise = bermudan/);
    const s = await run(['--strike', 'forty']);
    expect(s.stderr).toMatch(/--strike "forty": a number greater than 0/);
    expect(s.stdout).toBe('');
  });
});
