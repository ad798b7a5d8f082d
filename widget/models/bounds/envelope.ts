// Concave envelopes, the exact core of the semi-dual (docs/numerics.md): for static positions u_2..u_n the
// cheapest holdings and u_1 that cover f follow history by history, from the last date back, as the least
// concave majorant of what the next date leaves, taken at the history's last atom. The neural dual's polish
// and the decomposition solver both price strategies through it.
import type { Problem, Strategy } from './problem.js';

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

/**
 * Keeps the static positions u_2..u_n of a valid strategy and recomputes the holdings and u_1 as the cheapest
 * that cover what the later dates leave, history by history from the last date back (the semi-dual's pass):
 * h_i and the value at a history are the slope and the value at x_i of the concave envelope over x_{i+1}.
 * Never dearer than the strategy it starts from (its h_i and u_1 are one feasible choice); valid on every
 * path by construction.
 */
export function envelopeStrategy(p: Problem, s: Strategy, side: 1 | -1): Strategy {
  const n = p.sizes.length;
  // The side's super-replication of side * f; signs are undone at the end.
  const U = s.u.map((u) => Float64Array.from(u, (v) => side * v));
  const work = envelopeWork(p);
  semiDual(p, U, side, U.map((u) => new Float64Array(u.length)), work);
  // h_i is the slope of the chord between a history's two contact points (0 where they coincide).
  const h = Array.from({ length: n - 1 }, (_, i) => {
    const m = p.sizes[i + 1];
    const xn = p.marginals[i + 1].atoms;
    const w = work.values[i + 1];
    return Float64Array.from({ length: p.prefixes[i + 1] }, (_, q) => {
      const a = work.lo[i][q];
      const b = work.hi[i][q];
      return a === b ? 0 : (side * (w[q * m + b] - w[q * m + a])) / (xn[b] - xn[a]);
    });
  });
  return { u: [Float64Array.from(work.values[0], (v) => side * v), ...s.u.slice(1).map((v) => Float64Array.from(v))], h };
}

/**
 * The semi-dual of the side (docs/numerics.md, "Neural dual"): for static positions U_2..U_n (side-signed, on
 * the atoms) the cheapest holdings and U_1 follow exactly by concave envelopes, history by history; returns
 * that strategy's cost and writes into `grad` its subgradient mu_j - pi_j (pi the martingale law the
 * envelopes' contact points define). Buffers are the caller's: nothing is allocated per call.
 */
export function semiDual(p: Problem, U: Float64Array[], side: 1 | -1, grad: Float64Array[], work: EnvelopeWork): number {
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

export interface EnvelopeWork {
  values: Float64Array[];
  lo: Int32Array[];
  hi: Int32Array[];
  lambda: Float64Array[];
  mass: Float64Array[];
  hull: Int32Array;
  contact: Int32Array;
}


/** Working arrays of semiDual for a problem, allocated once. */
export function envelopeWork(p: Problem): EnvelopeWork {
  const n = p.sizes.length;
  return {
    values: Array.from({ length: n }, (_, i) => new Float64Array(i === n - 1 ? p.cells : p.prefixes[i + 1])),
    lo: Array.from({ length: n - 1 }, (_, i) => new Int32Array(p.prefixes[i + 1])),
    hi: Array.from({ length: n - 1 }, (_, i) => new Int32Array(p.prefixes[i + 1])),
    lambda: Array.from({ length: n - 1 }, (_, i) => new Float64Array(p.prefixes[i + 1])),
    mass: Array.from({ length: n - 1 }, (_, i) => new Float64Array(p.prefixes[i + 1])),
    hull: new Int32Array(Math.max(...p.sizes)),
    contact: new Int32Array(2),
  };
}
