// The decomposition solver (Dantzig-Wolfe over martingale trees, no HiGHS): each bound is the cost of a
// strategy checked path by path; it matches the contract's references and HiGHS's exact LP (a second
// method) on other payoffs, dates and marginals; its plan is a martingale coupling path by path.
import { describe, expect, test } from 'vitest';
import { prepareBounds, priceBounds, type BoundsInput } from '../../widget/models/bounds/index.js';
import { solveDecompositionSide } from '../../widget/models/bounds/decomposition.js';
import { payoffScale } from '../../widget/models/bounds/entropic.js';
import { buildProblem, forEachPath } from '../../widget/models/bounds/problem.js';
import { expectValidBounds } from './replication.js';

function problemOf(input: BoundsInput) {
  const { marginals, f } = prepareBounds(input);
  return buildProblem(marginals, f);
}

async function checked(input: BoundsInput) {
  const r = await priceBounds(input, { solver: 'decomposition' });
  const p = expectValidBounds(input, r);
  // Its plan's E[f] lies inside the interval it proves, up to what the plan's distance to the marginals
  // (trees that never reach some atoms of negligible mass) can move it.
  let largest = 0;
  for (const v of p.payoff) largest = Math.max(largest, Math.abs(v));
  const slack = r.violations!.marginal * largest + 1e-9;
  expect(r.violations!.martingale).toBe(0);
  expect(r.primal!.lower).toBeGreaterThanOrEqual(r.lower - slack);
  expect(r.primal!.upper).toBeLessThanOrEqual(r.upper + slack);
  return r;
}

const binomial = { spot: 100, volatility: 0.2 } as const;

describe('decomposition solver', () => {
  test('forward-start call: the contract references to 1e-3 (here 1e-5), valid path by path, model price inside', async () => {
    const r = await checked({ ...binomial, dates: [0.5, 1], treeSteps: 100, payoff: 'forward-start' });
    expect(Math.abs(r.lower - 2.551609)).toBeLessThan(1e-5);
    expect(Math.abs(r.upper - 6.987558)).toBeLessThan(1e-5);
    expect(r.modelInside).toBe(true);
    expect(r.couplings!.upper).toHaveLength(51);
  });

  test('3-date Asian call: the exact LP values, each side on its correct side of them', async () => {
    const r = await checked({ ...binomial, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, payoff: 'asian', strike: 100 });
    const lp = { lower: 5.003964, upper: 6.305539 };
    expect(Math.abs(r.lower - lp.lower)).toBeLessThan(1e-5);
    expect(Math.abs(r.upper - lp.upper)).toBeLessThan(1e-5);
    expect(r.modelInside).toBe(true);
  });

  test('(X2 - X1)^2 has one price under every martingale coupling: equal bounds', async () => {
    const r = await checked({ ...binomial, dates: [0.5, 1], treeSteps: 60, payoff: 'variance' });
    expect(r.upper - r.lower).toBeLessThan(1e-6 * r.upper);
  });

  test.each([
    ['straddle, 3 dates', { ...binomial, dates: [0.25, 0.5, 1], treeSteps: 32, payoff: 'straddle' }],
    ['lookback, 3 dates', { ...binomial, dates: [1 / 3, 2 / 3, 1], treeSteps: 30, payoff: 'lookback' }],
    ['cliquet, 3 dates', { ...binomial, volatility: 0.3, dates: [0.4, 0.7, 1], treeSteps: 40, payoff: 'cliquet', floor: -0.1, cap: 0.15 }],
    ['Asian, 4 dates', { ...binomial, dates: [0.25, 0.5, 0.75, 1], treeSteps: 16, payoff: 'asian', strike: 95 }],
    ['forward-start, lognormal marginals', { ...binomial, dates: [0.5, 1], marginals: 'lognormal', gridSize: 60, payoff: 'forward-start' }],
    ['a payoff given as a function, 3 dates', { ...binomial, dates: [0.2, 0.6, 1], treeSteps: 30, payoff: (x: ArrayLike<number>) => Math.max(x[2] - x[0], 0) * (x[1] > 100 ? 1 : 0.5) }],
  ] as [string, BoundsInput][])('%s: the same bounds as HiGHS\'s exact LP', async (_name, input) => {
    const exact = await priceBounds(input, { solver: 'lp' });
    const r = await checked(input);
    const scale = payoffScale(problemOf(input));
    expect(Math.abs(r.lower - exact.lower)).toBeLessThan(1e-5 * scale);
    expect(Math.abs(r.upper - exact.upper)).toBeLessThan(1e-5 * scale);
    // A valid strategy never beats the optimum.
    expect(r.lower).toBeLessThanOrEqual(exact.lower + 1e-7 * scale);
    expect(r.upper).toBeGreaterThanOrEqual(exact.upper - 1e-7 * scale);
  });

  test('its plan is a martingale coupling path by path, with the marginals up to the reported violation', () => {
    const p = problemOf({ ...binomial, dates: [1 / 3, 2 / 3, 1], treeSteps: 30, payoff: 'asian', strike: 100 });
    for (const side of [1, -1] as const) {
      const s = solveDecompositionSide(p, side);
      const n = p.sizes.length;
      const marginals = p.sizes.map((m) => new Float64Array(m));
      // Per history (x_1..x_i): its mass and the mass-weighted next atom, which must equal mass * x_i.
      const histories = p.sizes.slice(0, n - 1).map((_, i) => ({ mass: new Float64Array(p.prefixes[i + 1]), next: new Float64Array(p.prefixes[i + 1]) }));
      let mass = 0;
      forEachPath(p.marginals, (x, index, k) => {
        const w = s.coupling[index];
        expect(w).toBeGreaterThanOrEqual(0);
        mass += w;
        let prefix = 0;
        for (let i = 0; i < n; i++) {
          marginals[i][k[i]] += w;
          prefix = prefix * p.sizes[i] + k[i];
          if (i < n - 1) {
            histories[i].mass[prefix] += w;
            histories[i].next[prefix] += w * (x[i + 1] - x[i]);
          }
        }
      });
      expect(mass).toBeCloseTo(1, 9);
      for (const h of histories) h.next.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-9));
      let distance = 0;
      marginals.forEach((m, i) => m.forEach((w, a) => (distance += Math.abs(w - p.marginals[i].weights[a]))));
      expect(distance).toBeLessThan(s.marginalViolation! + 1e-9);
      expect(s.marginalViolation!).toBeLessThan(1e-6);
      expect(side * (s.value - s.primal)).toBeGreaterThanOrEqual(-1e-7);
    }
  });

  test('part of "all", and named in the refusal of an unknown solver', async () => {
    const r = await priceBounds({ ...binomial, dates: [0.5, 1], treeSteps: 20, payoff: 'forward-start' }, { solver: 'all' });
    expect(Math.abs(r.solvers!.decomposition!.lower - r.solvers!.lp!.lower)).toBeLessThan(1e-5);
    expect(Math.abs(r.solvers!.decomposition!.upper - r.solvers!.lp!.upper)).toBeLessThan(1e-5);
    await expect(priceBounds({}, { solver: 'simplex' as never })).rejects.toThrow(/decomposition/);
  });
});
