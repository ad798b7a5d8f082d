// Makes the networks' strategy on the grid valid on every path at little cost, before the entropic module's
// c-transform rounding (roundStrategy) tightens it. roundStrategy alone would charge every violation to the
// first date's atom; the networks' violations sit mostly on paths through atoms of negligible mass (the tree's
// far tails, which the sampled penalty hardly reaches), so each violated path is charged instead to the
// atom of least mass on it, where raising u_i costs least.
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, biasCorrections } from '../../../runtime/training/adamw.js';
import { envelopeStrategy, envelopeWork, semiDual } from '../envelope.js';
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


/** Adam on the exact semi-dual: iterations, and the step relative to the payoff's scale, decayed to 2% of it. */
const POLISH_ITERATIONS = 1500;
const POLISH_LR = 0.01;
const POLISH_DECAY = 0.02;

/**
 * Improves a valid strategy's static positions u_2..u_n by Adam on the exact semi-dual (every iterate is a
 * valid strategy, its holdings and u_1 from the envelopes) and returns the cheapest seen, enveloped: never
 * dearer than the start. `scale` sets the step (the payoff's scale).
 */
export function polishStrategy(p: Problem, s: Strategy, side: 1 | -1, scale: number, iterations = POLISH_ITERATIONS): Strategy {
  const n = p.sizes.length;
  const work = envelopeWork(p);
  const U = s.u.map((u) => Float64Array.from(u, (v) => side * v));
  const grad = U.map((u) => new Float64Array(u.length));
  const m1 = U.map((u) => new Float64Array(u.length));
  const m2 = U.map((u) => new Float64Array(u.length));
  let best = Infinity;
  const bestU = U.map((u) => Float64Array.from(u));
  for (let k = 1; k <= iterations; k++) {
    const v = semiDual(p, U, side, grad, work);
    if (v < best) {
      best = v;
      U.forEach((u, j) => bestU[j].set(u));
    }
    const lr = POLISH_LR * scale * Math.pow(POLISH_DECAY, k / iterations);
    const [c1, c2] = biasCorrections(k);
    for (let j = 1; j < n; j++) {
      for (let a = 0; a < U[j].length; a++) {
        const g = grad[j][a];
        m1[j][a] = ADAM_BETA1 * m1[j][a] + (1 - ADAM_BETA1) * g;
        m2[j][a] = ADAM_BETA2 * m2[j][a] + (1 - ADAM_BETA2) * g * g;
        U[j][a] -= (lr * m1[j][a]) / c1 / (Math.sqrt(m2[j][a] / c2) + ADAM_EPS);
      }
    }
  }
  return envelopeStrategy(p, { u: bestU.map((u) => Float64Array.from(u, (v) => side * v)), h: s.h }, side);
}
