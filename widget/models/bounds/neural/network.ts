// The neural dual's two networks (docs/numerics.md, "Neural dual"): U(tau_i, z_i) for every static position
// u_i and H(tau_i, z_i, previous, mean, max) for every holding h_i, one network each with the date as an
// input (the runtime's MLP layout, U's parameters first), their seeded weights, and the f64 forward pass the
// host evaluates them with: the strategy on the grid of atoms, and penalty statistics on sampled paths.
import { mlpLayout, seedMlp, type MlpLayout } from '../../../runtime/training/init.js';
import type { NetworkParameters } from '../../../runtime/wasm/wasm-training-engine.js';
import { seedKey } from '../../../shared/philox.js';
import type { Marginal } from '../marginals.js';
import type { PathPayoff } from '../payoffs.js';
import type { Problem, Strategy } from '../problem.js';
import { cumulativeMasses, DATE_FIELDS, drawAtoms, H_INPUTS, U_INPUTS, type NeuralDualConfig, type NeuralSetup } from './setup.js';

export interface DualLayout {
  u: MlpLayout;
  h: MlpLayout;
  /** Offset of H's parameters (after U's). */
  hBase: number;
  count: number;
}

export function dualLayout(hidden: number): DualLayout {
  const u = mlpLayout(U_INPUTS, hidden);
  const h = mlpLayout(H_INPUTS, hidden);
  return { u, h, hBase: u.count, count: u.count + h.count };
}

/**
 * He-uniform hidden layers, zero biases (the runtime's rule), H's from a seed of its own so U's and H's differ;
 * the output layers start at zero: the strategy starts flat (u = 0, h = 0) instead of with random holdings
 * whose violations would swamp the first iterations.
 */
export function initialDualParams(hidden: number, seed: number): Float32Array {
  const L = dualLayout(hidden);
  const out = new Float32Array(L.count);
  seedMlp(out, L.u, U_INPUTS, seed);
  const h = new Float32Array(L.h.count);
  seedMlp(h, L.h, H_INPUTS, seed + 1);
  out.set(h, L.hBase);
  out.fill(0, L.u.w3, L.u.count);
  out.fill(0, L.hBase + L.h.w3, L.count);
  return out;
}

export function dualShape(config: { hidden: number }): string {
  return `hidden = ${config.hidden}`;
}

export function dualParameters(config: NeuralDualConfig, given?: Float32Array): NetworkParameters {
  const count = dualLayout(config.hidden).count;
  const initial = given ? Float32Array.from(given) : initialDualParams(config.hidden, config.seed);
  if (initial.length !== count) throw new Error(`initial parameters have ${initial.length} values; hidden = ${config.hidden} needs ${count}`);
  return { initial, decays: new Uint8Array(count).fill(1), shape: dualShape(config) };
}

/** One MLP at `base` with `k` inputs, in f64. */
export function mlpForward(params: ArrayLike<number>, base: number, k: number, hidden: number, input: ArrayLike<number>): number {
  const L = mlpLayout(k, hidden);
  const h1 = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) {
    let z = params[base + L.b1 + j];
    for (let q = 0; q < k; q++) z += params[base + j * k + q] * input[q];
    h1[j] = Math.max(z, 0);
  }
  let out = params[base + L.b3];
  for (let j = 0; j < hidden; j++) {
    let a = params[base + L.b2 + j];
    for (let i = 0; i < hidden; i++) a += params[base + L.w2 + j * hidden + i] * h1[i];
    out += params[base + L.w3 + j] * Math.max(a, 0);
  }
  return out;
}

/** The networks' inputs along a path of spots: inputs of date i at [i][0..H_INPUTS) (U reads the first two). */
export function pathInputs(s: NeuralSetup, tau: ArrayLike<number>, x: ArrayLike<number>, upTo: number, out: Float64Array[]): void {
  let sum = 0;
  let top = 0;
  let prev = 1;
  for (let i = 0; i <= upTo; i++) {
    const y = x[i] / s.spot;
    sum += y;
    top = i === 0 ? y : Math.max(top, y);
    out[i].set([tau[i], (x[i] - s.spot) / s.sd[i], (prev - 1) / s.historySd, (sum / (i + 1) - 1) / s.historySd, (top - 1) / s.historySd]);
    prev = y;
  }
}

function tauOf(s: NeuralSetup): number[] {
  return Array.from({ length: s.dates }, (_, i) => s.dateTable[i * DATE_FIELDS]);
}

/**
 * The networks' strategy for f on the grid (u_i on every atom, h_i on every history), in currency and signed
 * for the side: a super-replication of f for the upper bound, a sub-replication for the lower.
 */
export function gridStrategy(p: Problem, s: NeuralSetup, params: ArrayLike<number>, hidden: number, side: 1 | -1): Strategy {
  const L = dualLayout(hidden);
  const n = s.dates;
  const tau = tauOf(s);
  const unit = side * s.payoffScale;
  const u = atomPositions(s, p.marginals, params, hidden, side);
  const inputs = Array.from({ length: n }, () => new Float64Array(H_INPUTS));
  const x = new Float64Array(n);
  const h: Float64Array[] = [];
  for (let i = 0; i < n - 1; i++) {
    const hi = new Float64Array(p.prefixes[i + 1]);
    for (let q = 0; q < hi.length; q++) {
      // History q = (k_0..k_i), mixed radix with k_0 slowest.
      for (let j = i, r = q; j >= 0; j--) {
        x[j] = p.marginals[j].atoms[r % p.sizes[j]];
        r = Math.floor(r / p.sizes[j]);
      }
      pathInputs(s, tau, x, i, inputs);
      hi[q] = (unit / s.incrementSd[i]) * mlpForward(params, L.hBase, H_INPUTS, hidden, inputs[i]);
    }
    h.push(hi);
  }
  return { u, h };
}

/** The static positions u_i on every atom (currency, signed for the side as in gridStrategy). */
export function atomPositions(s: NeuralSetup, marginals: Marginal[], params: ArrayLike<number>, hidden: number, side: 1 | -1): Float64Array[] {
  const tau = tauOf(s);
  return marginals.map((m, i) => Float64Array.from(m.atoms, (x) => side * s.payoffScale * mlpForward(params, 0, U_INPUTS, hidden, [tau[i], (x - s.spot) / s.sd[i]])));
}

export interface SampledPenalty {
  paths: number;
  /** sum_i E_mu_i[u_i] in currency for the side's f (s f): the dual's cost before any violation is paid for. */
  cost: number;
  /** E[v] and E[v^2] of the violation v = (s f - portfolio)+ (currency), the share of paths with v > 0, the largest v. */
  meanViolation: number;
  meanSquare: number;
  violatedShare: number;
  maxViolation: number;
}

/** The exact cost and the violation statistics on `paths` fresh paths of the product law (stream 1, f64). */
export function sampledPenalty(
  s: NeuralSetup, marginals: Marginal[], f: PathPayoff, params: ArrayLike<number>, hidden: number, side: 1 | -1, seed: number, paths: number,
): SampledPenalty {
  const L = dualLayout(hidden);
  const n = s.dates;
  const tau = tauOf(s);
  let cost = 0;
  marginals.forEach((m, i) => m.atoms.forEach((x, a) => (cost += m.weights[a] * mlpForward(params, 0, U_INPUTS, hidden, [tau[i], (x - s.spot) / s.sd[i]]))));
  const cdfs = cumulativeMasses(marginals);
  const key = seedKey(seed);
  const k = new Int32Array(n);
  const x = new Float64Array(n);
  const inputs = Array.from({ length: n }, () => new Float64Array(H_INPUTS));
  let sum = 0, sumSq = 0, violated = 0, worst = 0;
  for (let p = 0; p < paths; p++) {
    drawAtoms(cdfs, key, p, 0, 1, k);
    k.forEach((a, i) => (x[i] = marginals[i].atoms[a]));
    pathInputs(s, tau, x, n - 1, inputs);
    let r = side * f(x) / s.payoffScale;
    for (let i = 0; i < n; i++) {
      r -= mlpForward(params, 0, U_INPUTS, hidden, inputs[i]);
      if (i < n - 1) r -= mlpForward(params, L.hBase, H_INPUTS, hidden, inputs[i]) * ((x[i + 1] - x[i]) / s.incrementSd[i]);
    }
    const v = Math.max(r, 0) * s.payoffScale;
    sum += v;
    sumSq += v * v;
    if (v > 0) violated++;
    worst = Math.max(worst, v);
  }
  return {
    paths, cost: cost * s.payoffScale, meanViolation: sum / paths, meanSquare: sumSq / paths, violatedShare: violated / paths, maxViolation: worst,
  };
}
