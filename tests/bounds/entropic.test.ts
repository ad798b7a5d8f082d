// The entropic solver (WASM) against the exact LP: its bounds are valid (rounded duals checked path by path)
// and close to the LP's.
import { describe, expect, test } from 'vitest';
import { priceBounds } from '../../widget/models/bounds/index.js';
import { expectValidBounds } from './replication.js';

describe('entropic solver', () => {
  test('forward-start call (the contract reference) to 5e-3, duals replicate path by path, progress reported', async () => {
    const input = { spot: 100, volatility: 0.2, dates: [0.5, 1], treeSteps: 100, payoff: 'forward-start' as const };
    const events: number[] = [];
    const r = await priceBounds(input, { solver: 'entropic', onProgress: (p) => p.entropic && events.push(p.entropic.epsilon) });
    console.log('forward-start entropic', r.lower, r.upper, r.gap, r.seconds);
    expect(Math.abs(r.lower - 2.5516)).toBeLessThan(5e-3);
    expect(Math.abs(r.upper - 6.9876)).toBeLessThan(5e-3);
    expect(r.modelInside).toBe(true);
    expect(events.length).toBeGreaterThan(10);
    expect(events[events.length - 1]).toBeLessThan(events[0]);
    expectValidBounds(input, r);
  });

  test('3-date Asian call (tree of 60 steps, dates 1/3, 2/3, 1): entropic within 1e-3 of the LP', async () => {
    const input = { spot: 100, volatility: 0.2, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, payoff: 'asian' as const, strike: 100 };
    const r = await priceBounds(input, { solver: 'all' });
    const lp = r.solvers!.lp!;
    const en = r.solvers!.entropic!;
    console.log('asian', lp.lower, lp.upper, lp.seconds, en.lower, en.upper, en.seconds, en.gap);
    expect(Math.abs(en.lower - lp.lower)).toBeLessThan(1e-3);
    expect(Math.abs(en.upper - lp.upper)).toBeLessThan(1e-3);
    // Rounded duals are valid: never inside the LP's interval.
    expect(en.lower).toBeLessThanOrEqual(lp.lower + 1e-9);
    expect(en.upper).toBeGreaterThanOrEqual(lp.upper - 1e-9);
    expect(r.modelInside).toBe(true);
  });
});
