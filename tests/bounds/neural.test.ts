// The neural dual against the exact LP (docs/numerics.md, "Neural dual"): on 2 and 3 dates its bounds are
// proven (each the cost of a strategy checked here on every path, so never inside the LP interval) and
// within the stated distance of the LP; on 12 dates, where no grid fits, it reports estimated bounds with
// their sampled violations; bad input names the key; the CLI prints it.
import { describe, expect, test } from 'vitest';
import { runBounds } from '../../widget/cli/bounds.js';
import { prepareBounds, priceBounds, type BoundsReport } from '../../widget/models/bounds/index.js';
import { buildProblem, replicationCheck } from '../../widget/models/bounds/problem.js';
import { ConfigError } from '../../widget/shared/config-schema.js';

/** The contract's LP values (docs/numerics.md): forward start, binomial, S0 = 100, sigma = 0.2, 100 steps, dates 0.5 and 1. */
const FORWARD_START_LP = { lower: 2.551609, upper: 6.987558 };

/** Every number in a report is finite (JSON would turn NaN into null silently). */
function expectFinite(value: unknown, path = 'report'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (ArrayBuffer.isView(value)) (value as Float64Array).forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  else if (Array.isArray(value)) value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
}

/** Proven bounds: each side's strategy replicates on every path and costs its bound; the bounds contain the LP's. */
function expectProven(input: Parameters<typeof priceBounds>[0], r: BoundsReport, lp: { lower: number; upper: number }) {
  const { marginals, f } = prepareBounds(input);
  const p = buildProblem(marginals, f);
  const lower = replicationCheck(p, r.strategies.lower, -1);
  const upper = replicationCheck(p, r.strategies.upper, 1);
  expect(lower.worst).toBeLessThan(1e-9);
  expect(upper.worst).toBeLessThan(1e-9);
  expect(Math.abs(lower.cost - r.lower)).toBeLessThan(1e-9);
  expect(Math.abs(upper.cost - r.upper)).toBeLessThan(1e-9);
  expect(r.neural!.proven).toBe(true);
  // The correct side of the LP, always (up to the LP's own tolerance).
  expect(r.lower).toBeLessThanOrEqual(lp.lower + 1e-6);
  expect(r.upper).toBeGreaterThanOrEqual(lp.upper - 1e-6);
  expectFinite({ lower: r.lower, upper: r.upper, gap: r.gap, neural: r.neural, training: r.training });
  const distance = { lower: (lp.lower - r.lower) / lp.lower, upper: (r.upper - lp.upper) / lp.upper };
  console.log(
    `neural [${r.lower.toFixed(6)}, ${r.upper.toFixed(6)}] against LP [${lp.lower.toFixed(6)}, ${lp.upper.toFixed(6)}]: ` +
    `${(100 * distance.lower).toFixed(2)}% below, ${(100 * distance.upper).toFixed(2)}% above; networks' own rounded ` +
    `[${r.neural!.networkBounds!.lower.toFixed(6)}, ${r.neural!.networkBounds!.upper.toFixed(6)}], penalised ` +
    `[${r.neural!.penalised.lower.toFixed(6)}, ${r.neural!.penalised.upper.toFixed(6)}], gap ${r.gap.toFixed(4)}, ${r.seconds.toFixed(1)} s`,
  );
  return distance;
}

describe('the neural dual against the LP (WASM engine, default networks: hidden 24, beta 1000, batch 4096)', () => {
  test('forward start, 2 dates, 4000 iterations a side: proven bounds within 1% of the LP', async () => {
    const input = { payoff: 'forward-start' as const, dates: [0.5, 1], treeSteps: 100, backend: 'wasm' as const };
    const r = await priceBounds(input, { solver: 'neural' });
    const d = expectProven(input, r, FORWARD_START_LP);
    // Measured with seed 1: 0.012% below and 0.010% above; the networks' own rounded bounds 0.51% and 0.91%.
    expect(d.lower).toBeLessThan(0.01);
    expect(d.upper).toBeLessThan(0.01);
    expectNetworkBoundsWeaker(r);
    expect(r.training!.lower).toHaveLength(4000);
    expect(r.modelInside).toBe(true);
  }, 180_000);

  test('asian call, 3 dates (60 steps, K = 100), 1500 iterations a side: proven bounds within 1% of the LP', async () => {
    const input = { payoff: 'asian' as const, strike: 100, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, backend: 'wasm' as const };
    const lp = await priceBounds(input, { solver: 'lp' });
    const r = await priceBounds({ ...input, neuralIterations: 1500 }, { solver: 'neural' });
    const d = expectProven(input, r, lp);
    expect(d.lower).toBeLessThan(0.01);
    expect(d.upper).toBeLessThan(0.01);
    expectNetworkBoundsWeaker(r);
  }, 180_000);
});

/** The polish on the semi-dual never makes a bound worse than the networks' own rounded strategy. */
function expectNetworkBoundsWeaker(r: BoundsReport): void {
  expect(r.lower).toBeGreaterThanOrEqual(r.neural!.networkBounds!.lower - 1e-12);
  expect(r.upper).toBeLessThanOrEqual(r.neural!.networkBounds!.upper + 1e-12);
}

describe('many dates, where the grid of paths does not fit', () => {
  test('12 dates, 200 iterations: it runs and reports estimated bounds (too few iterations for sensible values)', async () => {
    const dates = Array.from({ length: 12 }, (_, i) => (i + 1) / 12);
    const r = await priceBounds({ payoff: 'lookback', dates, treeSteps: 120, neuralIterations: 200, batch: 512, backend: 'wasm' }, { solver: 'neural' });
    expect(r.neural!.proven).toBe(false);
    expect(r.marginals).toHaveLength(12);
    expectFinite({ lower: r.lower, upper: r.upper, gap: r.gap, neural: r.neural, training: r.training });
  }, 60_000);

  test('6 dates (about 9e8 paths): estimated bounds with their sampled violations, no strategy per history, no NaN', async () => {
    const dates = Array.from({ length: 6 }, (_, i) => (i + 1) / 6);
    const r = await priceBounds(
      { payoff: 'asian', strike: 100, dates, treeSteps: 60, neuralIterations: 1000, batch: 2048, backend: 'wasm' },
      { solver: 'neural' },
    );
    expect(r.neural!.proven).toBe(false);
    expect(r.neural!.worst).toBeNull();
    expect(r.modelPrice).toBeNull();
    expect(r.lower).toBeLessThan(r.upper);
    // The estimated gap is the mean violation on the sampled paths, in currency.
    expect(r.gap).toBeGreaterThanOrEqual(0);
    expect(r.gap).toBe(Math.max(r.neural!.violations.lower.meanViolation, r.neural!.violations.upper.meanViolation));
    expect(r.strategies.upper.u).toHaveLength(6);
    expect(r.strategies.upper.h).toHaveLength(0);
    expect(r.training!.upper).toHaveLength(1000);
    expectFinite({ lower: r.lower, upper: r.upper, gap: r.gap, neural: r.neural, training: r.training, strategies: r.strategies });
    console.log(`6-date asian: estimated [${r.lower.toFixed(4)}, ${r.upper.toFixed(4)}], mean violations ${r.neural!.violations.lower.meanViolation.toExponential(2)} / ${r.neural!.violations.upper.meanViolation.toExponential(2)}, ${r.seconds.toFixed(1)} s`);
  }, 60_000);
});

async function rejects(p: Promise<unknown>, ...patterns: RegExp[]) {
  const e = await p.then(() => null, (err: unknown) => err as Error);
  expect(e, 'should have been refused').toBeInstanceOf(ConfigError);
  for (const pattern of patterns) expect(e!.message).toMatch(pattern);
}

describe('bad input for the neural dual', () => {
  test('each key named with what is allowed', async () => {
    await rejects(priceBounds({ beta: 0 }, { solver: 'neural' }), /beta = 0: a number greater than 0/);
    await rejects(priceBounds({ beta: -5 }, { solver: 'neural' }), /beta = -5/);
    await rejects(priceBounds({ neuralIterations: 0 }, { solver: 'neural' }), /neuralIterations = 0/);
    await rejects(priceBounds({ hiddenUnits: 1 }, { solver: 'neural' }), /hiddenUnits = 1/);
    await rejects(priceBounds({ batch: 10 }, { solver: 'neural' }), /batch = 10/);
    await rejects(priceBounds({ backend: 'gpu' as never }, { solver: 'neural' }), /backend = "gpu": .*auto, webgpu, wasm/);
    await rejects(priceBounds({ payoff: (x) => x[1] }, { solver: 'neural' }), /payoff = "custom": a payoff by name for the neural dual/);
  });
});

describe('the CLI', () => {
  test('--solver neural: one JSON line saying the bounds are proven, and the table with its note', async () => {
    const lines: string[] = [];
    const out = { write: (t: string) => void lines.push(t) };
    const quiet = { write: () => {} };
    const flags = ['--solver', 'neural', '--neural-iterations', '200', '--batch', '512', '--hidden-units', '8', '--tree-steps', '40', '--backend', 'wasm'];
    await runBounds([...flags, '--json'], out, quiet);
    const json = JSON.parse(lines[0]);
    expect(json.solver).toBe('neural');
    expect(json.proven).toBe(true);
    expect(json.lower).toBeLessThan(json.upper);
    await runBounds(flags, out, quiet);
    expect(lines[1]).toMatch(/neural .* valid on every path/);
  }, 60_000);
});
