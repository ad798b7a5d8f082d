// An independent f64 reference of the neural dual's loss (docs/numerics.md, "Neural dual") and of its exact
// gradient by hand-written backpropagation, from the marginals, the payoff function and the normalisation
// (scales written out here, not taken from the engines' tables, except the f32 cumulative masses, which
// decide the sampled atoms). The engines compute in f32; tests compare them with this file, and this file
// with central finite differences.
import type { Marginal } from '../../widget/models/bounds/marginals.js';
import type { PathPayoff } from '../../widget/models/bounds/payoffs.js';
import { philox4x32, seedKey, uniformOf } from '../../widget/shared/philox.js';

export interface DualProblem {
  marginals: Marginal[];
  dates: readonly number[];
  f: PathPayoff;
  spot: number;
  hidden: number;
  beta: number;
  side: 1 | -1;
  /** Paths of the batch, the seed of the Philox key, and the iteration (counter word 1). */
  paths: number;
  seed: number;
  iteration: number;
  /** The payoff's scale (the engines estimate it by sampling; the reference takes it as given). */
  payoffScale: number;
  /** f32 cumulative masses per date (the sampler's table). */
  cdfs: ArrayLike<number>[];
}

type Params = ArrayLike<number>;

/** Offsets of an MLP with k inputs at `base`: W1 [H][k], b1, W2 [H][H], b2, W3, b3. */
function offsets(base: number, k: number, H: number) {
  const b1 = base + k * H;
  const w2 = b1 + H;
  const b2 = w2 + H * H;
  const w3 = b2 + H;
  const b3 = w3 + H;
  return { w1: base, b1, w2, b2, w3, b3, end: b3 + 1 };
}

function forward(p: Params, o: ReturnType<typeof offsets>, k: number, H: number, x: number[]) {
  const h1 = new Float64Array(H);
  const h2 = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    let z = p[o.b1 + j];
    for (let q = 0; q < k; q++) z += p[o.w1 + j * k + q] * x[q];
    h1[j] = Math.max(z, 0);
  }
  let out = p[o.b3];
  for (let j = 0; j < H; j++) {
    let a = p[o.b2 + j];
    for (let i = 0; i < H; i++) a += p[o.w2 + j * H + i] * h1[i];
    h2[j] = Math.max(a, 0);
    out += p[o.w3 + j] * h2[j];
  }
  return { h1, h2, out };
}

function backward(p: Params, o: ReturnType<typeof offsets>, k: number, H: number, x: number[], act: ReturnType<typeof forward>, d: number, g: Float64Array) {
  g[o.b3] += d;
  const dz2 = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    g[o.w3 + j] += d * act.h2[j];
    dz2[j] = act.h2[j] > 0 ? d * p[o.w3 + j] : 0;
    g[o.b2 + j] += dz2[j];
  }
  for (let i = 0; i < H; i++) {
    let s = 0;
    for (let j = 0; j < H; j++) {
      s += dz2[j] * p[o.w2 + j * H + i];
      g[o.w2 + j * H + i] += dz2[j] * act.h1[i];
    }
    const e = act.h1[i] > 0 ? s : 0;
    for (let q = 0; q < k; q++) g[o.w1 + i * k + q] += e * x[q];
    g[o.b1 + i] += e;
  }
}

function sd(m: Marginal): { mean: number; variance: number } {
  let a = 0;
  let b = 0;
  m.atoms.forEach((x, j) => {
    a += m.weights[j] * x;
    b += m.weights[j] * x * x;
  });
  return { mean: a, variance: b - a * a };
}

/** The penalised dual L (unit-free) and dL/dparams at `params`. */
export function neuralDualF64(q: DualProblem, params: Params): { loss: number; grad: Float64Array } {
  const H = q.hidden;
  const n = q.marginals.length;
  const U = offsets(0, 2, H);
  const Hn = offsets(U.end, 5, H);
  const grad = new Float64Array(Hn.end);
  const variances = q.marginals.map((m) => sd(m).variance);
  const sdAt = variances.map(Math.sqrt);
  const incSd = variances.slice(0, n - 1).map((v, i) => Math.sqrt(variances[i + 1] - v));
  const g = sdAt[n - 1] / q.spot;
  const tau = q.dates.map((t) => t / q.dates[n - 1]);
  let loss = 0;
  // The exact term.
  q.marginals.forEach((m, i) => m.atoms.forEach((x, a) => {
    const input = [tau[i], (x - q.spot) / sdAt[i]];
    const act = forward(params, U, 2, H, input);
    loss += m.weights[a] * act.out;
    backward(params, U, 2, H, input, act, m.weights[a], grad);
  }));
  // The penalty on the batch.
  const [k0, k1] = seedKey(q.seed);
  for (let path = 0; path < q.paths; path++) {
    const x: number[] = [];
    let words: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 4 === 0) words = philox4x32(path, q.iteration, i >> 2, 0, k0, k1);
      const u = uniformOf(words[i % 4]);
      let a = 0;
      while (!(u < q.cdfs[i][a])) a++;
      x.push(q.marginals[i].atoms[a]);
    }
    const inputs: number[][] = [];
    let sum = 0;
    let top = -Infinity;
    for (let i = 0; i < n; i++) {
      sum += x[i];
      top = Math.max(top, x[i]);
      const prev = i > 0 ? x[i - 1] : q.spot;
      inputs.push([tau[i], (x[i] - q.spot) / sdAt[i], (prev / q.spot - 1) / g, (sum / (i + 1) / q.spot - 1) / g, (top / q.spot - 1) / g]);
    }
    let r = (q.side * q.f(Float64Array.from(x))) / q.payoffScale;
    for (let i = 0; i < n; i++) {
      r -= forward(params, U, 2, H, inputs[i]).out;
      if (i < n - 1) r -= forward(params, Hn, 5, H, inputs[i]).out * ((x[i + 1] - x[i]) / incSd[i]);
    }
    const v = Math.max(r, 0);
    loss += (q.beta / q.paths) * v * v;
    if (v > 0) {
      const d = (-2 * q.beta * v) / q.paths;
      for (let i = 0; i < n; i++) {
        backward(params, U, 2, H, inputs[i], forward(params, U, 2, H, inputs[i]), d, grad);
        if (i < n - 1) backward(params, Hn, 5, H, inputs[i], forward(params, Hn, 5, H, inputs[i]), d * ((x[i + 1] - x[i]) / incSd[i]), grad);
      }
    }
  }
  return { loss, grad };
}
