// The exact LP against the contract's reference values, its duals checked path by path, the model's
// price inside, and quotes made from the same marginals giving the same bounds.
import { describe, expect, test } from 'vitest';
import { priceBounds, prepareBounds } from '../../widget/models/bounds/index.js';
import { binomialMarginals, quotesFromMarginals } from '../../widget/models/bounds/marginals.js';
import { buildProblem, replicationCheck } from '../../widget/models/bounds/problem.js';
import { resolveBoundsConfig } from '../../widget/models/bounds/config.js';

const REFERENCE = { lower: 2.5516, upper: 6.9876, variance: 206.059 };
const base = { spot: 100, volatility: 0.2, dates: [0.5, 1], treeSteps: 100 } as const;

/** The strategy of each side checked on every path of atoms: it replicates and costs the bound. */
function expectReplicates(input: Parameters<typeof prepareBounds>[0], r: Awaited<ReturnType<typeof priceBounds>>, tol: number) {
  const { marginals, f } = prepareBounds(input);
  const p = buildProblem(marginals, f);
  const upper = replicationCheck(p, r.strategies.upper, 1);
  const lower = replicationCheck(p, r.strategies.lower, -1);
  expect(upper.worst).toBeLessThan(tol);
  expect(lower.worst).toBeLessThan(tol);
  expect(Math.abs(upper.cost - r.upper)).toBeLessThan(tol);
  expect(Math.abs(lower.cost - r.lower)).toBeLessThan(tol);
}

describe('exact LP, binomial marginals (S0 = 100, sigma = 0.2, 100 steps, dates 0.5 and 1)', () => {
  test('forward-start call bounds match the contract to 1e-3; strategies replicate path by path; model price inside', async () => {
    const input = { ...base, payoff: 'forward-start' as const };
    const r = await priceBounds(input, { solver: 'lp' });
    expect(Math.abs(r.lower - REFERENCE.lower)).toBeLessThan(1e-3);
    expect(Math.abs(r.upper - REFERENCE.upper)).toBeLessThan(1e-3);
    expect(r.gap).toBeLessThan(1e-8);
    expectReplicates(input, r, 1e-7);
    expect(r.modelInside).toBe(true);
    expect(r.modelPrice!).toBeGreaterThan(r.lower);
    expect(r.modelPrice!).toBeLessThan(r.upper);
    // The couplings: 51 x 101 matrices with the marginals as row and column sums, martingale rows.
    const [mu1, mu2] = r.marginals;
    for (const pi of [r.couplings!.lower, r.couplings!.upper]) {
      expect(pi).toHaveLength(51);
      pi.forEach((row, a) => {
        expect(Math.abs(row.reduce((s, v) => s + v, 0) - mu1.weights[a])).toBeLessThan(1e-8);
        expect(Math.abs(row.reduce((s, v, b) => s + v * (mu2.atoms[b] - mu1.atoms[a]), 0))).toBeLessThan(1e-7);
      });
      for (let b = 0; b < 101; b++) expect(Math.abs(pi.reduce((s, row) => s + row[b], 0) - mu2.weights[b])).toBeLessThan(1e-8);
    }
  });

  test('(X_2 - X_1)^2 has equal lower and upper bounds, E[X_2^2] - E[X_1^2] = 206.059', async () => {
    const r = await priceBounds({ ...base, payoff: 'variance' }, { solver: 'lp' });
    const [mu1, mu2] = r.marginals;
    const second = (m: typeof mu1) => m.atoms.reduce((s, x, a) => s + x * x * m.weights[a], 0);
    expect(Math.abs(second(mu2) - second(mu1) - REFERENCE.variance)).toBeLessThan(1e-3);
    expect(Math.abs(r.lower - REFERENCE.variance)).toBeLessThan(1e-3);
    expect(Math.abs(r.upper - r.lower)).toBeLessThan(1e-6);
    expect(r.modelInside).toBe(true);
  });

  test('quotes computed from the binomial marginals give the same bounds', async () => {
    const quotes = quotesFromMarginals(binomialMarginals(resolveBoundsConfig({ ...base })));
    const input = { spot: 100, payoff: 'forward-start' as const, quotes };
    const r = await priceBounds(input, { solver: 'lp' });
    expect(r.config.marginals).toBe('quotes');
    expect(r.modelPrice).toBeNull();
    expect(Math.abs(r.lower - REFERENCE.lower)).toBeLessThan(1e-3);
    expect(Math.abs(r.upper - REFERENCE.upper)).toBeLessThan(1e-3);
    expectReplicates(input, r, 1e-7);
  });

  test('every named payoff: the model price lies inside the interval', async () => {
    for (const payoff of ['forward-start', 'straddle', 'asian', 'lookback', 'cliquet'] as const) {
      const r = await priceBounds({ ...base, treeSteps: 40, payoff, strike: 100 }, { solver: 'lp' });
      expect(r.lower).toBeLessThanOrEqual(r.upper + 1e-9);
      expect(r.modelInside, payoff).toBe(true);
    }
  });

  test('a payoff given as a function of the path', async () => {
    const r = await priceBounds({ ...base, treeSteps: 40, payoff: (x) => Math.max(x[1] - x[0], 0) }, { solver: 'lp' });
    const named = await priceBounds({ ...base, treeSteps: 40, payoff: 'forward-start' }, { solver: 'lp' });
    expect(r.config.payoff).toBe('custom');
    expect(r.lower).toBeCloseTo(named.lower, 9);
    expect(r.upper).toBeCloseTo(named.upper, 9);
  });

  test('lognormal marginals: means exact, convex order, Black-Scholes price inside', async () => {
    const r = await priceBounds({ ...base, marginals: 'lognormal', gridSize: 41, payoff: 'forward-start' }, { solver: 'lp' });
    for (const m of r.marginals) expect(Math.abs(m.atoms.reduce((s, x, a) => s + x * m.weights[a], 0) - 100)).toBeLessThan(1e-9);
    // Forward-start call under Black-Scholes: the ATM call of maturity 0.5, 5.6371.
    expect(r.modelPrice!).toBeCloseTo(5.6371, 2);
    expect(r.modelInside).toBe(true);
  });
});
