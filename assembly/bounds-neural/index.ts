// The neural dual of model-free bounds (docs/numerics.md, "Neural dual") on a slice of the batch, f32:
// two small networks, U(tau_i, z_i) for the static positions u_i and H(tau_i, z_i, history features) for the
// holdings h_i, trained on the Eckstein-Kupper penalised dual
//   L = sum_i sum_a mu_i(a) U(tau_i, z_a) + beta/B sum_paths max(s F - sum_i U_i - sum_i H_i dZ_i, 0)^2,
// the first term exact over the marginals' atoms, the second on paths of the product of the marginals drawn
// by inverse CDF from Philox words (counter (path, iteration, date >> 2, 0)). Every quantity is unit-free
// (the host's normalisation, widget/models/bounds/neural/setup.ts); shaders/bounds/neural-dual.wgsl does the
// same arithmetic, operation for operation, one thread per path or atom.
import { philox, uniform, word0, word1, word2, word3 } from "../core/philox";
import { ensureMemory, reserve } from "../core/memory";

// Configuration (ndConfigure).
let n: i32 = 0;          // dates
let H: i32 = 0;          // hidden units of both networks
let PU: i32 = 0;         // parameters of U (H's follow)
let P: i32 = 0;          // parameters of both
let B: i32 = 0;          // paths of this slice
let first: u32 = 0;      // Philox path counter of the slice's first path
let atomFrom: i32 = 0;   // the slice's atoms (of the exact term)
let atomCount: i32 = 0;
let atomsTotal: i32 = 0;
let key0: u32 = 0;
let key1: u32 = 0;
let payoffKind: i32 = 0;

// Parameters and tables (host-written f32).
let paramsPtr: usize = 0;  // P
let gradPtr: usize = 0;    // P, this slice's gradient, read by the host
let constPtr: usize = 0;   // C_* scalars below
let datePtr: usize = 0;    // [n][D_*] per-date constants
let atomPtr: usize = 0;    // [atomsTotal][A_*] per-atom values
// Scratch.
let h1Ptr: usize = 0;
let h2Ptr: usize = 0;
let dz2Ptr: usize = 0;
let inPtr: usize = 0;      // [n][IN_H] inputs of H per date (U's are the first two)
let idxPtr: usize = 0;     // i32[n] the path's atoms
let dzPtr: usize = 0;      // f32[n] normalised increments

// Scalars (constPtr).
const C_SIDE = 0;         // +1 upper, -1 lower
const C_BETA_OVER_B = 1;  // beta / batch (this iteration's: the host rewrites it, beta ramps up)
const C_UP = 2;           // -2 beta / batch: dL/d(portfolio) per unit violation
const C_FSCALE = 3;       // payoff in y-units to unit-free
const C_PA = 4;           // moneyness, strike / S0, or floor
const C_PB = 5;           // cap
const C_INV_G = 6;        // 1 / sd(X_n / S0): the history features' scale
const CONSTS = 8;
// Per date (datePtr).
const D_TAU = 0;          // t_i / t_n
const D_INC = 1;          // S0 / sd(X_{i+1} - X_i)
const D_SIZE = 2;         // atoms of the date
const D_OFF = 3;          // offset of its atoms
const D_INV_COUNT = 4;    // 1 / (i + 1)
const DATE_FIELDS = 8;
// Per atom (atomPtr).
const A_Y = 0;            // x / S0
const A_Z = 1;            // (x - S0) / sd(X_i)
const A_CDF = 2;          // cumulative mass through this atom (1 at the last)
const A_MU = 3;           // its mass
const ATOM_FIELDS = 4;
const IN_U: i32 = 2;
const IN_H: i32 = 5;

@inline function f(base: usize, i: i32): f32 { return load<f32>(base + (<usize>i << 2)); }
@inline function setF(base: usize, i: i32, v: f32): void { store<f32>(base + (<usize>i << 2), v); }
@inline function prm(i: i32): f32 { return f(paramsPtr, i); }
@inline function addGrad(i: i32, v: f32): void { setF(gradPtr, i, f(gradPtr, i) + v); }
@inline function c(k: i32): f32 { return f(constPtr, k); }
@inline function dateF(i: i32, k: i32): f32 { return f(datePtr, i * DATE_FIELDS + k); }
@inline function atomF(a: i32, k: i32): f32 { return f(atomPtr, a * ATOM_FIELDS + k); }

/** Lays out memory; returns 0, or -1 if memory could not grow. Then the host writes params, consts, dates, atoms. */
export function ndConfigure(
  dates: i32, hidden: i32, paths: i32, firstPath: u32, fromAtom: i32, atoms: i32, totalAtoms: i32, lo: u32, hi: u32, kind: i32,
): i32 {
  n = dates; H = hidden; B = paths; first = firstPath; atomFrom = fromAtom; atomCount = atoms; atomsTotal = totalAtoms;
  key0 = lo; key1 = hi; payoffKind = kind;
  PU = IN_U * H + H + H * H + H + H + 1;
  P = PU + IN_H * H + H + H * H + H + H + 1;
  let at: usize = 1024;
  paramsPtr = at; at = reserve(at, <usize>P * 4);
  gradPtr = at; at = reserve(at, <usize>P * 4);
  constPtr = at; at = reserve(at, CONSTS * 4);
  datePtr = at; at = reserve(at, <usize>(n * DATE_FIELDS) * 4);
  atomPtr = at; at = reserve(at, <usize>(totalAtoms * ATOM_FIELDS) * 4);
  h1Ptr = at; at = reserve(at, <usize>H * 4);
  h2Ptr = at; at = reserve(at, <usize>H * 4);
  dz2Ptr = at; at = reserve(at, <usize>H * 4);
  inPtr = at; at = reserve(at, <usize>(n * IN_H) * 4);
  idxPtr = at; at = reserve(at, <usize>n * 4);
  dzPtr = at; at = reserve(at, <usize>n * 4);
  return ensureMemory(at) ? 0 : -1;
}

export function ndParamsPointer(): usize { return paramsPtr; }
export function ndGradientPointer(): usize { return gradPtr; }
export function ndConstPointer(): usize { return constPtr; }
export function ndDatePointer(): usize { return datePtr; }
export function ndAtomPointer(): usize { return atomPtr; }
export function ndParameterCount(): i32 { return P; }

/** The MLP at parameter offset `base` with `k` inputs at `input`: Dense ReLU, Dense ReLU, Dense; leaves h1, h2. */
function forward(base: i32, k: i32, input: usize): f32 {
  const b1 = base + k * H;
  const w2 = b1 + H;
  const b2 = w2 + H * H;
  const w3 = b2 + H;
  const b3 = w3 + H;
  for (let j = 0; j < H; j++) {
    let z = prm(b1 + j);
    for (let q = 0; q < k; q++) z = prm(base + j * k + q) * f(input, q) + z;
    setF(h1Ptr, j, max(z, <f32>0));
  }
  for (let j = 0; j < H; j++) {
    let a = prm(b2 + j);
    const row = w2 + j * H;
    for (let i = 0; i < H; i++) a = prm(row + i) * f(h1Ptr, i) + a;
    setF(h2Ptr, j, max(a, <f32>0));
  }
  let o = prm(b3);
  for (let j = 0; j < H; j++) o = prm(w3 + j) * f(h2Ptr, j) + o;
  return o;
}

/** Adds the gradient of d * net (activations of the last forward) to the slice's gradient. */
function backward(base: i32, k: i32, input: usize, d: f32): void {
  const b1 = base + k * H;
  const w2 = b1 + H;
  const b2 = w2 + H * H;
  const w3 = b2 + H;
  const b3 = w3 + H;
  addGrad(b3, d);
  for (let j = 0; j < H; j++) {
    const hj = f(h2Ptr, j);
    addGrad(w3 + j, d * hj);
    const e: f32 = hj > 0 ? d * prm(w3 + j) : 0;
    setF(dz2Ptr, j, e);
    addGrad(b2 + j, e);
  }
  for (let i = 0; i < H; i++) {
    const hi = f(h1Ptr, i);
    let s: f32 = 0;
    for (let j = 0; j < H; j++) {
      const e = f(dz2Ptr, j);
      s = e * prm(w2 + j * H + i) + s;
      addGrad(w2 + j * H + i, e * hi);
    }
    const e1: f32 = hi > 0 ? s : 0;
    for (let q = 0; q < k; q++) addGrad(base + i * k + q, e1 * f(input, q));
    addGrad(b1 + i, e1);
  }
}

/** The first atom of date i whose cumulative mass exceeds u (inverse CDF, binary search). */
function atomOf(i: i32, u: f32): i32 {
  const off = <i32>dateF(i, D_OFF);
  let lo = 0;
  let hi = <i32>dateF(i, D_SIZE) - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < atomF(off + mid, A_CDF)) hi = mid;
    else lo = mid + 1;
  }
  return off + lo;
}

/** Draws path `path` of `iteration`, fills the networks' inputs and increments; returns the payoff F (unit-free). */
function drawPath(path: u32, iteration: u32): f32 {
  for (let i = 0; i < n; i++) {
    if ((i & 3) == 0) philox(path, iteration, <u32>(i >> 2), 0, key0, key1);
    const q = i & 3;
    const word = q == 0 ? word0 : q == 1 ? word1 : q == 2 ? word2 : word3;
    store<i32>(idxPtr + (<usize>i << 2), atomOf(i, uniform(word)));
  }
  const invG = c(C_INV_G);
  let sum: f32 = 0;
  let top: f32 = 0;
  let prev: f32 = 1;
  for (let i = 0; i < n; i++) {
    const a = load<i32>(idxPtr + (<usize>i << 2));
    const y = atomF(a, A_Y);
    sum += y;
    top = i == 0 ? y : max(top, y);
    const at = inPtr + (<usize>(i * IN_H) << 2);
    setF(at, 0, dateF(i, D_TAU));
    setF(at, 1, atomF(a, A_Z));
    setF(at, 2, (prev - 1) * invG);
    setF(at, 3, (sum * dateF(i, D_INV_COUNT) - 1) * invG);
    setF(at, 4, (top - 1) * invG);
    if (i > 0) setF(dzPtr, i - 1, (y - prev) * dateF(i - 1, D_INC));
    prev = y;
  }
  const last = atomF(load<i32>(idxPtr + (<usize>(n - 1) << 2)), A_Y);
  const before = atomF(load<i32>(idxPtr + (<usize>(n - 2) << 2)), A_Y);
  let fy: f32 = 0;
  if (payoffKind == 0) fy = max(last - c(C_PA) * before, <f32>0);
  else if (payoffKind == 1) fy = abs(last - before);
  else if (payoffKind == 2) fy = max(sum * dateF(n - 1, D_INV_COUNT) - c(C_PA), <f32>0);
  else if (payoffKind == 3) fy = top - last;
  else if (payoffKind == 4) fy = min(max(last / before - 1, c(C_PA)), c(C_PB));
  else fy = (last - before) * (last - before);
  return fy * c(C_FSCALE);
}

/**
 * One iteration on this slice: the penalty on its paths of `iteration` and the exact term on its atoms.
 * Writes the gradient of the slice's part of L at ndGradientPointer and returns that part (f64).
 */
export function ndTrain(iteration: u32): f64 {
  memory.fill(gradPtr, 0, <usize>P * 4);
  let loss: f64 = 0;
  const side = c(C_SIDE);
  for (let p = 0; p < B; p++) {
    const F = drawPath(first + <u32>p, iteration);
    let r = side * F;
    for (let i = 0; i < n; i++) {
      const at = inPtr + (<usize>(i * IN_H) << 2);
      r -= forward(0, IN_U, at);
      if (i < n - 1) r -= forward(PU, IN_H, at) * f(dzPtr, i);
    }
    const v = max(r, <f32>0);
    loss += <f64>(c(C_BETA_OVER_B) * v * v);
    if (v > 0) {
      const d = c(C_UP) * v;
      for (let i = 0; i < n; i++) {
        const at = inPtr + (<usize>(i * IN_H) << 2);
        forward(0, IN_U, at);
        backward(0, IN_U, at, d);
        if (i < n - 1) {
          forward(PU, IN_H, at);
          backward(PU, IN_H, at, d * f(dzPtr, i));
        }
      }
    }
  }
  for (let a = atomFrom; a < atomFrom + atomCount; a++) {
    let i = 0;
    while (i < n - 1 && a >= <i32>dateF(i + 1, D_OFF)) i++;
    setF(inPtr, 0, dateF(i, D_TAU));
    setF(inPtr, 1, atomF(a, A_Z));
    const mu = atomF(a, A_MU);
    loss += <f64>(mu * forward(0, IN_U, inPtr));
    backward(0, IN_U, inPtr, mu);
  }
  return loss;
}
