// An independent f64 reference of the American value network's training loss (docs/numerics.md, with the
// target of docs/numerics-american.md) and of its exact gradient, by hand-written backpropagation. The engines
// compute in f32; tests compare them with this file, and this file with central finite differences.
import { pathNormals } from '../../widget/shared/philox.js';

export interface TdProblem {
  hidden: number;
  put: boolean;
  spot: number;
  strike: number;
  rate: number;
  dividend: number;
  volatility: number;
  maturity: number;
  /** Transitions per path (dates t_m = m T / M). */
  dates: number;
  paths: number;
  seed: number;
  iteration: number;
}

type Params = ArrayLike<number>;

/** Offsets of W1 [H][2], b1, W2 [H][H], b2, W3, b3, written out here rather than imported. */
function offsets(H: number) {
  return { b1: 2 * H, w2: 3 * H, b2: 3 * H + H * H, w3: 4 * H + H * H, b3: 5 * H + H * H, count: 5 * H + H * H + 1 };
}

interface Activations {
  h1: Float64Array;
  h2: Float64Array;
  out: number;
}

function net(p: Params, H: number, tau: number, x: number): Activations {
  const o = offsets(H);
  const h1 = new Float64Array(H);
  const h2 = new Float64Array(H);
  for (let j = 0; j < H; j++) h1[j] = Math.max(0, p[2 * j] * tau + p[2 * j + 1] * x + p[o.b1 + j]);
  let out = p[o.b3];
  for (let j = 0; j < H; j++) {
    let z = p[o.b2 + j];
    for (let i = 0; i < H; i++) z += p[o.w2 + j * H + i] * h1[i];
    h2[j] = Math.max(0, z);
    out += p[o.w3 + j] * h2[j];
  }
  return { h1, h2, out };
}

/** Adds d * d(net)/d(params) at (tau, x) to `grad`. */
function netBackward(p: Params, H: number, tau: number, x: number, a: Activations, d: number, grad: Float64Array): void {
  const o = offsets(H);
  grad[o.b3] += d;
  const dz2 = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    grad[o.w3 + j] += d * a.h2[j];
    dz2[j] = a.h2[j] > 0 ? d * p[o.w3 + j] : 0;
    grad[o.b2 + j] += dz2[j];
  }
  for (let i = 0; i < H; i++) {
    let s = 0;
    for (let j = 0; j < H; j++) {
      grad[o.w2 + j * H + i] += dz2[j] * a.h1[i];
      s += dz2[j] * p[o.w2 + j * H + i];
    }
    const dz1 = a.h1[i] > 0 ? s : 0;
    grad[2 * i] += dz1 * tau;
    grad[2 * i + 1] += dz1 * x;
    grad[o.b1 + i] += dz1;
  }
}

/** Spots S_1 .. S_M of each path (training stream 0) in f64 from the the contract's normals. */
export function americanPaths(q: TdProblem): Float64Array[] {
  const dt = q.maturity / q.dates;
  const drift = (q.rate - q.dividend - 0.5 * q.volatility ** 2) * dt;
  const vol = q.volatility * Math.sqrt(dt);
  const out: Float64Array[] = [];
  for (let p = 0; p < q.paths; p++) {
    const z = pathNormals(q.seed, p, q.iteration, 0, q.dates);
    const s = new Float64Array(q.dates);
    let spot = q.spot;
    for (let m = 0; m < q.dates; m++) {
      spot *= Math.exp(drift + vol * z[m]);
      s[m] = spot;
    }
    out.push(s);
  }
  return out;
}

/**
 * Mean over paths and m = 0..M-1 of e^2, e = K net(tau_m, x_m) - y_m, with
 * y_m = e^{-r dt} V_T(S_{m+1}) - beta (e^{-r dt} S_{m+1} - e^{-q dt} S_m), V_T = max(g, K net_target) before
 * maturity and g at it, beta the slope of V_T over S_m e^{+-sigma sqrt(dt)}; and its gradient in `params`.
 */
export function tdLossF64(q: TdProblem, params: Params, target: Params, paths = americanPaths(q)): { loss: number; grad: Float64Array } {
  const H = q.hidden;
  const M = q.dates;
  const K = q.strike;
  const dt = q.maturity / M;
  const disc = Math.exp(-q.rate * dt);
  const carry = Math.exp(-q.dividend * dt);
  const h = q.volatility * Math.sqrt(dt);
  const scale = q.volatility * Math.sqrt(q.maturity);
  const g = (s: number) => Math.max(q.put ? K - s : s - K, 0);
  const xOf = (s: number) => Math.log(s / K) / scale;
  const valueNext = (m: number, s: number, x: number) =>
    m + 1 >= M ? g(s) : Math.max(g(s), K * net(target, H, 1 - (m + 1) / M, x).out);
  const grad = new Float64Array(offsets(H).count);
  const n = q.paths * M;
  let loss = 0;
  for (const path of paths) {
    let s = q.spot;
    for (let m = 0; m < M; m++) {
      const sNext = path[m];
      const x = xOf(s);
      const up = s * Math.exp(h);
      const down = s * Math.exp(-h);
      const beta = (valueNext(m, up, x + h / scale) - valueNext(m, down, x - h / scale)) / (up - down);
      const y = disc * valueNext(m, sNext, xOf(sNext)) - beta * (disc * sNext - carry * s);
      const tau = 1 - m / M;
      const a = net(params, H, tau, x);
      const e = K * a.out - y;
      loss += e * e;
      netBackward(params, H, tau, x, a, (2 * e * K) / n, grad);
      s = sNext;
    }
  }
  return { loss: loss / n, grad };
}
