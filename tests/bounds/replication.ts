// The check every bounds solver's report gets: each side's strategy, taken on every path of atoms, super-
// (upper) or sub- (lower) replicates the payoff, and costs the bound reported.
import { expect } from 'vitest';
import { prepareBounds, type BoundsInput, type BoundsReport } from '../../widget/models/bounds/index.js';
import { buildProblem, replicationCheck, type Problem } from '../../widget/models/bounds/problem.js';

export function expectValidBounds(input: BoundsInput, r: Pick<BoundsReport, 'lower' | 'upper' | 'strategies'>): Problem {
  const { marginals, f } = prepareBounds(input);
  const p = buildProblem(marginals, f);
  const up = replicationCheck(p, r.strategies.upper, 1);
  const lo = replicationCheck(p, r.strategies.lower, -1);
  expect(up.worst).toBeLessThanOrEqual(1e-9);
  expect(lo.worst).toBeLessThanOrEqual(1e-9);
  expect(up.cost).toBeCloseTo(r.upper, 9);
  expect(lo.cost).toBeCloseTo(r.lower, 9);
  return p;
}
