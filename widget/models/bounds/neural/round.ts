// Makes the networks' strategy on the grid valid on every path at little cost, before the entropic module's
// c-transform rounding (roundStrategy) tightens it. roundStrategy alone would charge every violation to the
// first date's atom; the networks' violations sit mostly on paths through atoms of negligible mass (the tree's
// far tails, which the sampled penalty hardly reaches), so each violated path is charged instead to the
// atom of least mass on it, where raising u_i costs least.
import { forEachPath, type Problem, type Strategy } from '../problem.js';

/** A copy of `s` whose u_i are raised so that side * (f - portfolio) <= 0 on every path. */
export function coverViolations(p: Problem, s: Strategy, side: 1 | -1): Strategy {
  const n = p.sizes.length;
  const u = s.u.map((v) => Float64Array.from(v));
  const raise = p.sizes.map((m) => new Float64Array(m));
  forEachPath(p.marginals, (x, index, k) => {
    let v = 0;
    let prefix = 0;
    let cheapest = 0;
    for (let i = 0; i < n; i++) {
      v += u[i][k[i]];
      prefix = prefix * p.sizes[i] + k[i];
      if (i < n - 1) v += s.h[i][prefix] * (x[i + 1] - x[i]);
      if (p.marginals[i].weights[k[i]] < p.marginals[cheapest].weights[k[cheapest]]) cheapest = i;
    }
    // For a sub-replication (side -1) u moves down: the shortfall side * (f - v) is what must go.
    const short = side * (p.payoff[index] - v);
    if (short > raise[cheapest][k[cheapest]]) raise[cheapest][k[cheapest]] = short;
  });
  return { u: u.map((ui, i) => ui.map((v, a) => v + side * raise[i][a])), h: s.h };
}

