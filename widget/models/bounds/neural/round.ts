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


/** The least concave majorant of points (xs ascending, ws[from + b]) at x: its value and a supergradient there. */
function concaveEnvelopeAt(xs: ArrayLike<number>, ws: ArrayLike<number>, from: number, count: number, x: number, hull: Int32Array): [number, number] {
  let top = 0;
  for (let b = 0; b < count; b++) {
    // Pop while the last hull point lies on or below the chord from its predecessor to point b.
    while (top >= 2) {
      const p = hull[top - 2];
      const q = hull[top - 1];
      const cross = (xs[q] - xs[p]) * (ws[from + b] - ws[from + p]) - (ws[from + q] - ws[from + p]) * (xs[b] - xs[p]);
      if (cross >= 0) top--;
      else break;
    }
    hull[top++] = b;
  }
  if (top === 1) return [ws[from + hull[0]], 0];
  let s = 0;
  while (s < top - 2 && xs[hull[s + 1]] <= x) s++;
  const a = hull[s];
  const b = hull[s + 1];
  const slope = (ws[from + b] - ws[from + a]) / (xs[b] - xs[a]);
  return [ws[from + a] + slope * (x - xs[a]), slope];
}

/**
 * Keeps the static positions u_2..u_n of a valid strategy and recomputes the holdings and u_1 as the cheapest
 * that cover what the later dates leave, history by history from the last date back: h_i and the value at a
 * history are the slope and the value at x_i of the concave envelope over x_{i+1}. Never dearer than the
 * strategy it starts from (its h_i and u_1 are one feasible choice); valid on every path by construction.
 */
export function envelopeStrategy(p: Problem, s: Strategy, side: 1 | -1): Strategy {
  const n = p.sizes.length;
  const xs = p.marginals.map((m) => m.atoms);
  // The side's super-replication of side * f; signs are undone at the end.
  let w = Float64Array.from(p.payoff, (v, c) => side * v - side * s.u[n - 1][c % p.sizes[n - 1]]);
  const h: Float64Array[] = new Array(n - 1);
  const hull = new Int32Array(Math.max(...p.sizes));
  for (let i = n - 2; i >= 0; i--) {
    const m = p.sizes[i + 1];
    const histories = p.prefixes[i + 1];
    const next = new Float64Array(histories);
    h[i] = new Float64Array(histories);
    for (let q = 0; q < histories; q++) {
      const k = q % p.sizes[i];
      const [value, slope] = concaveEnvelopeAt(xs[i + 1], w, q * m, m, xs[i][k], hull);
      h[i][q] = side * slope;
      next[q] = i > 0 ? value - side * s.u[i][k] : value;
    }
    w = next;
  }
  return { u: [Float64Array.from(w, (v) => side * v), ...s.u.slice(1).map((v) => Float64Array.from(v))], h };
}
