// Makes the networks' strategy on the grid valid on every path at little cost, before the entropic module's
// c-transform rounding (roundStrategy) tightens it. roundStrategy alone would charge every violation to the
// first date's atom; the networks' violations sit mostly on paths through atoms of negligible mass (the tree's
// far tails, which the sampled penalty hardly reaches), so each violated path is charged instead to the
// atom of least mass on it, where raising u_i costs least.
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, biasCorrections } from '../../../runtime/training/adamw.js';
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


/**
 * The two points of the least concave majorant of points (xs ascending, ws[from + b]) whose chord covers x
 * (the same point twice when the majorant is one point), the envelope's contact points at x, into
 * contact[0..1]; `hull` is scratch (no allocation per call: the polish calls this per history per step).
 */
function concaveContact(xs: ArrayLike<number>, ws: ArrayLike<number>, from: number, count: number, x: number, hull: Int32Array, contact: Int32Array): void {
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
  let s = 0;
  while (s < top - 2 && xs[hull[s + 1]] <= x) s++;
  contact[0] = hull[s];
  contact[1] = hull[Math.min(s + 1, top - 1)];
}

/** The least concave majorant of points (xs ascending, ws[from + b]) at x: its value and a supergradient there. */
function concaveEnvelopeAt(xs: ArrayLike<number>, ws: ArrayLike<number>, from: number, count: number, x: number, hull: Int32Array, contact: Int32Array): [number, number] {
  concaveContact(xs, ws, from, count, x, hull, contact);
  const a = contact[0];
  const b = contact[1];
  if (a === b) return [ws[from + a], 0];
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
  const contact = new Int32Array(2);
  for (let i = n - 2; i >= 0; i--) {
    const m = p.sizes[i + 1];
    const histories = p.prefixes[i + 1];
    const next = new Float64Array(histories);
    h[i] = new Float64Array(histories);
    for (let q = 0; q < histories; q++) {
      const k = q % p.sizes[i];
      const [value, slope] = concaveEnvelopeAt(xs[i + 1], w, q * m, m, xs[i][k], hull, contact);
      h[i][q] = side * slope;
      next[q] = i > 0 ? value - side * s.u[i][k] : value;
    }
    w = next;
  }
  return { u: [Float64Array.from(w, (v) => side * v), ...s.u.slice(1).map((v) => Float64Array.from(v))], h };
}

/** Adam on the exact semi-dual: iterations, and the step relative to the payoff's scale, decayed to 2% of it. */
const POLISH_ITERATIONS = 1500;
const POLISH_LR = 0.01;
const POLISH_DECAY = 0.02;

/**
 * The semi-dual of the side (docs/numerics.md, "Neural dual"): for static positions U_2..U_n (side-signed, on
 * the atoms) the cheapest holdings and U_1 follow exactly by concave envelopes, history by history; returns
 * that strategy's cost and writes into `grad` its subgradient mu_j - pi_j (pi the martingale law the
 * envelopes' contact points define). Buffers are the caller's: nothing is allocated per call.
 */
function semiDual(p: Problem, U: Float64Array[], side: 1 | -1, grad: Float64Array[], work: PolishWork): number {
  const n = p.sizes.length;
  const xs = p.marginals.map((m) => m.atoms);
  const last = p.sizes[n - 1];
  let w = work.values[n - 1];
  for (let c = 0; c < p.cells; c++) w[c] = side * p.payoff[c] - U[n - 1][c % last];
  for (let i = n - 2; i >= 0; i--) {
    const m = p.sizes[i + 1];
    const next = work.values[i];
    const lo = work.lo[i];
    const lam = work.lambda[i];
    const xn = xs[i + 1];
    for (let q = 0; q < p.prefixes[i + 1]; q++) {
      const k = q % p.sizes[i];
      const x = xs[i][k];
      const base = q * m;
      concaveContact(xn, w, base, m, x, work.hull, work.contact);
      const a = work.contact[0];
      const b = work.contact[1];
      const l = a === b ? 1 : (xn[b] - x) / (xn[b] - xn[a]);
      lo[q] = a;
      work.hi[i][q] = b;
      lam[q] = l;
      const value = l * w[base + a] + (1 - l) * w[base + b];
      next[q] = i > 0 ? value - U[i][k] : value;
    }
    w = next;
  }
  let value = 0;
  p.marginals[0].weights.forEach((mu, a) => (value += mu * w[a]));
  for (let j = 1; j < n; j++) p.marginals[j].weights.forEach((mu, a) => (value += mu * U[j][a]));
  // The contact points' law, forward from mu_1: its marginals against the mu_j are the subgradient.
  let mass = work.mass[0];
  mass.set(p.marginals[0].weights);
  for (let i = 0; i < n - 1; i++) {
    const m = p.sizes[i + 1];
    // The last date's histories are whole paths: their masses are never needed.
    const nextMass = i < n - 2 ? work.mass[i + 1] : null;
    nextMass?.fill(0);
    grad[i + 1].set(p.marginals[i + 1].weights);
    for (let q = 0; q < p.prefixes[i + 1]; q++) {
      const mq = mass[q];
      if (mq === 0) continue;
      const a = work.lo[i][q];
      const b = work.hi[i][q];
      const l = work.lambda[i][q];
      if (nextMass) {
        nextMass[q * m + a] += mq * l;
        nextMass[q * m + b] += mq * (1 - l);
      }
      grad[i + 1][a] -= mq * l;
      grad[i + 1][b] -= mq * (1 - l);
    }
    if (nextMass) mass = nextMass;
  }
  return value;
}

interface PolishWork {
  values: Float64Array[];
  lo: Int32Array[];
  hi: Int32Array[];
  lambda: Float64Array[];
  mass: Float64Array[];
  hull: Int32Array;
  contact: Int32Array;
}

/**
 * Improves a valid strategy's static positions u_2..u_n by Adam on the exact semi-dual (every iterate is a
 * valid strategy, its holdings and u_1 from the envelopes) and returns the cheapest seen, enveloped: never
 * dearer than the start. `scale` sets the step (the payoff's scale).
 */
export function polishStrategy(p: Problem, s: Strategy, side: 1 | -1, scale: number, iterations = POLISH_ITERATIONS): Strategy {
  const n = p.sizes.length;
  const work: PolishWork = {
    values: Array.from({ length: n }, (_, i) => new Float64Array(i === n - 1 ? p.cells : p.prefixes[i + 1])),
    lo: Array.from({ length: n - 1 }, (_, i) => new Int32Array(p.prefixes[i + 1])),
    hi: Array.from({ length: n - 1 }, (_, i) => new Int32Array(p.prefixes[i + 1])),
    lambda: Array.from({ length: n - 1 }, (_, i) => new Float64Array(p.prefixes[i + 1])),
    mass: Array.from({ length: n - 1 }, (_, i) => new Float64Array(p.prefixes[i + 1])),
    hull: new Int32Array(Math.max(...p.sizes)),
    contact: new Int32Array(2),
  };
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
