// A discrete multi-period MOT problem: the marginals, the payoff on every path of atoms (row-major, x_1
// slowest), and the layout shared by the solvers: a history (x_1..x_i) indexes a contiguous block of paths.
import type { Marginal } from './marginals.js';
import type { PathPayoff } from './payoffs.js';

export interface Problem {
  marginals: Marginal[];
  /** Atoms per date. */
  sizes: number[];
  /** Paths sharing a history (x_0..x_i) (0-based dates): below[i] = product of sizes after i; contiguous. */
  below: number[];
  /** Histories (x_0..x_{i-1}): prefixes[i] = product of the first i sizes. */
  prefixes: number[];
  cells: number;
  payoff: Float64Array;
}

/** The static positions u_i on each marginal's atoms and the holdings h_i(x_1..x_i) between t_i and t_{i+1}. */
export interface Strategy {
  u: Float64Array[];
  /** h[i] has prefixes[i + 1] entries, indexed by the history (x_1..x_{i+1}) (0-based level i). */
  h: Float64Array[];
}

export function layout(marginals: Marginal[]): Omit<Problem, 'payoff' | 'marginals'> {
  const sizes = marginals.map((m) => m.atoms.length);
  const n = sizes.length;
  const below = new Array<number>(n).fill(1);
  for (let i = n - 2; i >= 0; i--) below[i] = below[i + 1] * sizes[i + 1];
  const prefixes = [1];
  for (let i = 0; i < n; i++) prefixes.push(prefixes[i] * sizes[i]);
  return { sizes, below, prefixes, cells: prefixes[n] };
}

/** Visits every path of atoms with its index; `x` is reused (no allocation per path). */
export function forEachPath(marginals: Marginal[], visit: (x: Float64Array, index: number, k: Int32Array) => void): void {
  const n = marginals.length;
  const k = new Int32Array(n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = marginals[i].atoms[0];
  for (let index = 0; ; index++) {
    visit(x, index, k);
    let i = n - 1;
    while (i >= 0 && ++k[i] === marginals[i].atoms.length) {
      k[i] = 0;
      x[i] = marginals[i].atoms[0];
      i--;
    }
    if (i < 0) return;
    x[i] = marginals[i].atoms[k[i]];
  }
}

export function buildProblem(marginals: Marginal[], f: PathPayoff): Problem {
  const l = layout(marginals);
  const payoff = new Float64Array(l.cells);
  forEachPath(marginals, (x, index) => {
    payoff[index] = f(x);
  });
  return { marginals, ...l, payoff };
}

/**
 * The strategy's worst shortfall path by path: max over paths of side * (f - portfolio), where side is +1
 * for a super-replication (upper bound) and -1 for a sub-replication. <= 0 (up to rounding) means it
 * replicates; its cost is sum_i E_mu_i[u_i].
 */
export function replicationCheck(p: Problem, s: Strategy, side: 1 | -1): { worst: number; cost: number } {
  let worst = -Infinity;
  const n = p.sizes.length;
  forEachPath(p.marginals, (x, index, k) => {
    let v = 0;
    let prefix = 0;
    for (let i = 0; i < n; i++) {
      v += s.u[i][k[i]];
      prefix = prefix * p.sizes[i] + k[i];
      if (i < n - 1) v += s.h[i][prefix] * (x[i + 1] - x[i]);
    }
    worst = Math.max(worst, side * (p.payoff[index] - v));
  });
  let cost = 0;
  p.marginals.forEach((m, i) => m.weights.forEach((w, a) => (cost += w * s.u[i][a])));
  return { worst, cost };
}
