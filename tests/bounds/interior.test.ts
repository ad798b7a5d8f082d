// The interior method (HiGHS's interior point without crossover, duals rounded by the c-transform): every
// bound it reports is the cost of a strategy checked path by path, and lies within 1e-3 of the exact LP's.
import { describe, expect, test } from 'vitest';
import { prepareBounds, priceBounds } from '../../widget/models/bounds/index.js';
import { expectValidBounds } from './replication.js';

async function checked(input: Parameters<typeof prepareBounds>[0]) {
  const r = await priceBounds(input, { solver: 'interior' });
  expectValidBounds(input, r);
  // The interior plan's E[f] lies inside; the gap is the rounded dual's distance to it.
  expect(r.primal!.lower).toBeGreaterThanOrEqual(r.lower - 1e-9);
  expect(r.primal!.upper).toBeLessThanOrEqual(r.upper + 1e-9);
  expect(r.gap).toBeGreaterThanOrEqual(0);
  return r;
}

describe('interior method', () => {
  test('forward-start call (the contract reference) to 1e-3, valid path by path', async () => {
    const r = await checked({ spot: 100, volatility: 0.2, dates: [0.5, 1], treeSteps: 100, payoff: 'forward-start' });
    expect(Math.abs(r.lower - 2.551609)).toBeLessThan(1e-3);
    expect(Math.abs(r.upper - 6.987558)).toBeLessThan(1e-3);
    expect(r.modelInside).toBe(true);
  });

  test('3-date Asian call: within 1e-3 of the exact LP, never inside its interval', async () => {
    const r = await checked({ spot: 100, volatility: 0.2, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, payoff: 'asian', strike: 100 });
    // The exact LP's values (docs/numerics.md; scipy agrees to 3e-8).
    const lp = { lower: 5.003964, upper: 6.305539 };
    console.log('interior asian', r.lower, r.upper, r.gap, r.seconds);
    expect(Math.abs(r.lower - lp.lower)).toBeLessThan(1e-3);
    expect(Math.abs(r.upper - lp.upper)).toBeLessThan(1e-3);
    expect(r.lower).toBeLessThanOrEqual(lp.lower + 1e-6);
    expect(r.upper).toBeGreaterThanOrEqual(lp.upper - 1e-6);
  });
});
