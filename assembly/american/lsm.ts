// Least-squares Monte Carlo (Longstaff-Schwartz 2001) on the contract's Philox paths with drift r - q, and
// Rogers' dual upper bound from the fitted value function. Paths are f32 Lanes (as in the hedging engine);
// regression, exercise decisions and sums are f64.
import { LANES, LANE_BYTES, splat, mul, madd } from "../core/lane";
import { expLane } from "../core/lane-math";
import { stageUniforms, stagedNormals, normal0, normal1, normal2, normal3 } from "../core/normals";
import { philox } from "../core/philox";
import { ensureMemory, reserve } from "../core/memory";
import { heapStart, resultsPtr } from "./layout";
import { configurePaths, groupPath } from "./paths";

export const BASIS: i32 = 4;
const GRAM: i32 = 14; // upper triangle of the 4x4 Gram matrix (10), then the right-hand side (4)

// Configuration (set by lsmConfigure).
let P: i32 = 0;           // paths in the training set
let G: i32 = 0;           // Lane groups of training paths
let PP: i32 = 0;          // training paths padded to whole groups
let M: i32 = 0;           // exercise dates t_m = m T / M, m = 1..M
let seedLo: u32 = 0;
let seedHi: u32 = 0;
let S0: f64 = 0;
let K: f64 = 0;
let sign: f64 = 1;        // payoff max(sign (S - K), 0)
let laguerre: bool = true;
let driftDt: f32 = 0;     // (r - q - sigma^2/2) dt
let volSqrtDt: f32 = 0;   // sigma sqrt(dt)
let disc: f64 = 1;        // e^{-r dt}
let growth: f64 = 1;      // e^{(r - q) dt} = E[S_{m+1} / S_m]

// Memory.
let scratchPtr: usize = 0; // 4 Lanes: staged uniforms
let laneOutPtr: usize = 0; // 4 Lanes: inner spots, read back one by one
let coefPtr: usize = 0;    // (M + 1) x BASIS f64: continuation fit at date m, on the in-the-money paths
let valueCoefPtr: usize = 0; // (M + 1) x BASIS f64: continuation fit at date m on every path (the dual's value function)
let gramPtr: usize = 0;    // 2 x 14 f64: normal equations (in the money, out of the money)
let validPtr: usize = 0;   // (M + 1) u8: date m has a fit (enough in-the-money paths)
let discPtr: usize = 0;    // (M + 1) f64: e^{-r t_m}
let cashPtr: usize = 0;    // PP f64: realised cash flow of each training path, discounted to the current date
let spotsPtr: usize = 0;   // M x PP f32: training spots at dates 1..M, date-major
let groupPtr: usize = 0;   // M Lanes: one group's path (pricing and dual sets)

// Result slots (f64) at resultsPtr.
export const R_SUM = 0;
export const R_SUM_SQ = 1;
export const R_FORESIGHT = 2;
export const R_FORESIGHT_SQ = 3;
export const R_COUNT = 4;
export const R_FIT_VALUE = 5;

@inline function result(slot: i32): usize { return resultsPtr() + (<usize>slot << 3); }

/** Lays out memory; returns 0, or -1 if memory could not grow. */
export function lsmConfigure(
  paths: i32, dates: i32, lo: u32, hi: u32, s0: f64, strike: f64, rate: f64, dividend: f64, sigma: f64,
  maturity: f64, put: bool, useLaguerre: bool,
): i32 {
  P = paths; M = dates; seedLo = lo; seedHi = hi; S0 = s0; K = strike; sign = put ? -1 : 1;
  laguerre = useLaguerre;
  G = (paths + LANES - 1) / LANES;
  PP = G * LANES;
  const dt = maturity / <f64>dates;
  driftDt = <f32>((rate - dividend - 0.5 * sigma * sigma) * dt);
  volSqrtDt = <f32>(sigma * Math.sqrt(dt));
  disc = Math.exp(-rate * dt);
  growth = Math.exp((rate - dividend) * dt);
  let at = heapStart();
  scratchPtr = at; at = reserve(at, 4 * LANE_BYTES);
  laneOutPtr = at; at = reserve(at, 4 * LANE_BYTES);
  coefPtr = at; at = reserve(at, <usize>(M + 1) * BASIS * 8);
  valueCoefPtr = at; at = reserve(at, <usize>(M + 1) * BASIS * 8);
  gramPtr = at; at = reserve(at, 2 * GRAM * 8);
  validPtr = at; at = reserve(at, <usize>(M + 1));
  discPtr = at; at = reserve(at, <usize>(M + 1) * 8);
  cashPtr = at; at = reserve(at, <usize>PP * 8);
  groupPtr = at; at = reserve(at, <usize>M * LANE_BYTES);
  spotsPtr = at; at = reserve(at, <usize>M * <usize>PP * 4);
  if (!ensureMemory(at)) return -1;
  configurePaths(M, lo, hi, s0, driftDt, volSqrtDt, scratchPtr);
  for (let m = 0; m <= M; m++) store<f64>(discPtr + (<usize>m << 3), Math.exp(-rate * dt * <f64>m));
  memory.fill(validPtr, 0, <usize>(M + 1));
  return 0;
}

export function lsmCoefficientPointer(): usize { return coefPtr; }
export function lsmValidPointer(): usize { return validPtr; }

@inline function payoff(s: f64): f64 { return max(sign * (s - K), 0); }

/** Training paths (stream 0, iteration 0) of groups [first, first + count) into the spot matrix. */
export function lsmSimulate(first: i32, count: i32): void {
  const stride = <usize>PP * 4;
  for (let g = first; g < first + count && g < G; g++) {
    groupPath(<u32>(g * LANES), 0, 0, spotsPtr + <usize>g * LANE_BYTES, stride);
  }
}

// Basis values of the latest `basis` call.
let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;

/** Weighted Laguerre exp(-x/2) L_k(x), or 1, x, x^2, x^3, at x = S / K. */
@inline function basis(s: f64): void {
  const x = s / K;
  if (laguerre) {
    const w = Math.exp(-0.5 * x);
    const x2 = x * x;
    b0 = w;
    b1 = w * (1 - x);
    b2 = w * (1 - 2 * x + 0.5 * x2);
    b3 = w * (1 - 3 * x + 1.5 * x2 - x2 * x / 6);
  } else {
    b0 = 1; b1 = x; b2 = x * x; b3 = b2 * x;
  }
}

/** Fitted continuation value at date m (undiscounted, at t_m) for spot s; +inf where date m has no fit. */
@inline function continuation(m: i32, s: f64): f64 {
  if (load<u8>(validPtr + <usize>m) == 0) return Infinity;
  return fitted(coefPtr, m, s);
}

@inline function fitted(coefs: usize, m: i32, s: f64): f64 {
  basis(s);
  const c = coefs + (<usize>(m * BASIS) << 3);
  return load<f64>(c) * b0 + load<f64>(c, 8) * b1 + load<f64>(c, 16) * b2 + load<f64>(c, 24) * b3;
}

/**
 * Solves the normal equations at `gram` by Cholesky after scaling to unit diagonal (Jacobi), with a ridge of
 * 1e-10 on that unit diagonal so that a rank-deficient basis (few, clustered paths) still solves. Writes
 * BASIS coefficients at `out`.
 */
function solve(gram: usize, out: usize): void {
  const a00 = load<f64>(gram), a01 = load<f64>(gram, 8), a02 = load<f64>(gram, 16), a03 = load<f64>(gram, 24);
  const a11 = load<f64>(gram, 32), a12 = load<f64>(gram, 40), a13 = load<f64>(gram, 48);
  const a22 = load<f64>(gram, 56), a23 = load<f64>(gram, 64), a33 = load<f64>(gram, 72);
  const y0 = load<f64>(gram, 80), y1 = load<f64>(gram, 88), y2 = load<f64>(gram, 96), y3 = load<f64>(gram, 104);
  const d0 = 1 / Math.sqrt(max(a00, 1e-300)), d1 = 1 / Math.sqrt(max(a11, 1e-300));
  const d2 = 1 / Math.sqrt(max(a22, 1e-300)), d3 = 1 / Math.sqrt(max(a33, 1e-300));
  const one = 1 + 1e-10;
  const s01 = a01 * d0 * d1, s02 = a02 * d0 * d2, s03 = a03 * d0 * d3;
  const s12 = a12 * d1 * d2, s13 = a13 * d1 * d3, s23 = a23 * d2 * d3;
  // Cholesky L L^T of the scaled matrix.
  const l00 = Math.sqrt(one);
  const l10 = s01 / l00, l20 = s02 / l00, l30 = s03 / l00;
  const l11 = Math.sqrt(max(one - l10 * l10, 1e-300));
  const l21 = (s12 - l20 * l10) / l11, l31 = (s13 - l30 * l10) / l11;
  const l22 = Math.sqrt(max(one - l20 * l20 - l21 * l21, 1e-300));
  const l32 = (s23 - l30 * l20 - l31 * l21) / l22;
  const l33 = Math.sqrt(max(one - l30 * l30 - l31 * l31 - l32 * l32, 1e-300));
  // Forward then back substitution on the scaled right-hand side.
  const z0 = (y0 * d0) / l00;
  const z1 = (y1 * d1 - l10 * z0) / l11;
  const z2 = (y2 * d2 - l20 * z0 - l21 * z1) / l22;
  const z3 = (y3 * d3 - l30 * z0 - l31 * z1 - l32 * z2) / l33;
  const x3 = z3 / l33;
  const x2 = (z2 - l32 * x3) / l22;
  const x1 = (z1 - l21 * x2 - l31 * x3) / l11;
  const x0 = (z0 - l10 * x1 - l20 * x2 - l30 * x3) / l00;
  store<f64>(out, x0 * d0); store<f64>(out, x1 * d1, 8); store<f64>(out, x2 * d2, 16); store<f64>(out, x3 * d3, 24);
}

/** Starts the backward regression: every training path's cash flow is its payoff at maturity. */
export function lsmFitStart(): void {
  const last = spotsPtr + <usize>(M - 1) * <usize>PP * 4;
  for (let p = 0; p < P; p++) store<f64>(cashPtr + (<usize>p << 3), payoff(<f64>load<f32>(last + (<usize>p << 2))));
}

/**
 * Date m of the backward regression (the host calls m = M-1 .. 1): the cash flows, discounted to t_m, of the
 * in-the-money paths are regressed on the basis, and paths whose payoff reaches the fit exercise there.
 * The same cash flows on every path give the value function's fit out of the money (for the dual bound).
 */
export function lsmFitDate(m: i32): void {
  const row = spotsPtr + <usize>(m - 1) * <usize>PP * 4;
  // In-the-money sums (i) and out-of-the-money sums (o).
  let i00: f64 = 0, i01: f64 = 0, i02: f64 = 0, i03: f64 = 0, i11: f64 = 0, i12: f64 = 0, i13: f64 = 0;
  let i22: f64 = 0, i23: f64 = 0, i33: f64 = 0, iy0: f64 = 0, iy1: f64 = 0, iy2: f64 = 0, iy3: f64 = 0;
  let o00: f64 = 0, o01: f64 = 0, o02: f64 = 0, o03: f64 = 0, o11: f64 = 0, o12: f64 = 0, o13: f64 = 0;
  let o22: f64 = 0, o23: f64 = 0, o33: f64 = 0, oy0: f64 = 0, oy1: f64 = 0, oy2: f64 = 0, oy3: f64 = 0;
  let itm = 0;
  for (let p = 0; p < P; p++) {
    const ca = cashPtr + (<usize>p << 3);
    const cf = load<f64>(ca) * disc;
    store<f64>(ca, cf);
    const s = <f64>load<f32>(row + (<usize>p << 2));
    basis(s);
    if (payoff(s) > 0) {
      itm++;
      i00 += b0 * b0; i01 += b0 * b1; i02 += b0 * b2; i03 += b0 * b3;
      i11 += b1 * b1; i12 += b1 * b2; i13 += b1 * b3;
      i22 += b2 * b2; i23 += b2 * b3; i33 += b3 * b3;
      iy0 += b0 * cf; iy1 += b1 * cf; iy2 += b2 * cf; iy3 += b3 * cf;
    } else {
      o00 += b0 * b0; o01 += b0 * b1; o02 += b0 * b2; o03 += b0 * b3;
      o11 += b1 * b1; o12 += b1 * b2; o13 += b1 * b3;
      o22 += b2 * b2; o23 += b2 * b3; o33 += b3 * b3;
      oy0 += b0 * cf; oy1 += b1 * cf; oy2 += b2 * cf; oy3 += b3 * cf;
    }
  }
  // Every path: the sum of both sets.
  const g = gramPtr;
  store<f64>(g, i00 + o00); store<f64>(g, i01 + o01, 8); store<f64>(g, i02 + o02, 16); store<f64>(g, i03 + o03, 24);
  store<f64>(g, i11 + o11, 32); store<f64>(g, i12 + o12, 40); store<f64>(g, i13 + o13, 48);
  store<f64>(g, i22 + o22, 56); store<f64>(g, i23 + o23, 64); store<f64>(g, i33 + o33, 72);
  store<f64>(g, iy0 + oy0, 80); store<f64>(g, iy1 + oy1, 88); store<f64>(g, iy2 + oy2, 96); store<f64>(g, iy3 + oy3, 104);
  solve(g, valueCoefPtr + (<usize>(m * BASIS) << 3));
  if (itm < 2 * BASIS) {
    store<u8>(validPtr + <usize>m, 0);
    return;
  }
  store<f64>(g, i00); store<f64>(g, i01, 8); store<f64>(g, i02, 16); store<f64>(g, i03, 24);
  store<f64>(g, i11, 32); store<f64>(g, i12, 40); store<f64>(g, i13, 48);
  store<f64>(g, i22, 56); store<f64>(g, i23, 64); store<f64>(g, i33, 72);
  store<f64>(g, iy0, 80); store<f64>(g, iy1, 88); store<f64>(g, iy2, 96); store<f64>(g, iy3, 104);
  solve(g, coefPtr + (<usize>(m * BASIS) << 3));
  store<u8>(validPtr + <usize>m, 1);
  for (let p = 0; p < P; p++) {
    const s = <f64>load<f32>(row + (<usize>p << 2));
    const gp = payoff(s);
    if (gp > 0 && gp >= continuation(m, s)) store<f64>(cashPtr + (<usize>p << 3), gp);
  }
}

/** Ends the regression: the training set's mean value at t = 0 (in-sample, not an honest estimate). */
export function lsmFitEnd(): f64 {
  let sum: f64 = 0;
  for (let p = 0; p < P; p++) sum += load<f64>(cashPtr + (<usize>p << 3));
  const value = sum * disc / <f64>P;
  store<f64>(result(R_FIT_VALUE), value);
  return value;
}

export function lsmResetSums(): void {
  memory.fill(resultsPtr(), 0, 64);
}

@inline function laneSpot(m: i32, l: i32): f64 {
  return <f64>load<f32>(groupPtr + <usize>(m - 1) * LANE_BYTES + (<usize>l << 2));
}

/**
 * The fitted rule on independent paths (stream 1, iteration 0), paths [first, first + count) of `total`:
 * exercise at the first date whose payoff is positive and reaches the fitted continuation (at maturity when
 * in the money). Adds the discounted payoffs and their squares, and the foresight payoff (each path's best
 * discounted payoff in hindsight) to the sums.
 */
export function lsmPrice(first: i32, count: i32, total: i32): void {
  let sum: f64 = 0, sumSq: f64 = 0, fs: f64 = 0, fsSq: f64 = 0;
  const end = min(first + count, total);
  for (let p0 = first; p0 < end; p0 += LANES) {
    groupPath(<u32>p0, 0, 1, groupPtr, LANE_BYTES);
    for (let l = 0; l < LANES && p0 + l < end; l++) {
      let value: f64 = 0;
      let stopped = false;
      let best: f64 = 0;
      for (let m = 1; m <= M; m++) {
        const s = laneSpot(m, l);
        const g = payoff(s);
        if (g <= 0) continue;
        const dg = g * load<f64>(discPtr + (<usize>m << 3));
        if (dg > best) best = dg;
        if (!stopped && (m == M || g >= continuation(m, s))) {
          value = dg;
          stopped = true;
        }
      }
      sum += value; sumSq += value * value; fs += best; fsSq += best * best;
    }
  }
  store<f64>(result(R_SUM), load<f64>(result(R_SUM)) + sum);
  store<f64>(result(R_SUM_SQ), load<f64>(result(R_SUM_SQ)) + sumSq);
  store<f64>(result(R_FORESIGHT), load<f64>(result(R_FORESIGHT)) + fs);
  store<f64>(result(R_FORESIGHT_SQ), load<f64>(result(R_FORESIGHT_SQ)) + fsSq);
  store<f64>(result(R_COUNT), load<f64>(result(R_COUNT)) + <f64>(end - first));
}

/**
 * The fitted value function at date m: max(g, continuation fitted on every path); g at maturity. (The
 * in-the-money fit decides exercise better, but as a value function across the money it gave a looser bound.)
 */
@inline function fittedValue(m: i32, s: f64): f64 {
  const g = payoff(s);
  if (m >= M) return g;
  return max(g, fitted(valueCoefPtr, m, s));
}

/**
 * E[V(t_m, S_m) | S_{m-1} = s] by `inner` one-step samples (a multiple of 4 * LANES), their normals from
 * blocks j of counter (outer path, m, j, stream 2). The discounted spot's known mean is a control variate,
 * with the fitted value's finite-difference slope at s as its coefficient (known at t_{m-1}, so the
 * estimate stays unbiased and the martingale a martingale).
 */
function innerExpectation(outer: u32, m: i32, s: f64, inner: i32): f64 {
  const drift = splat(driftDt);
  const vol = splat(volSqrtDt);
  const sLane = splat(<f32>s);
  let sumV: f64 = 0, sumS: f64 = 0;
  for (let j = 0; j * 4 * LANES < inner; j++) {
    for (let l = 0; l < LANES; l++) {
      philox(outer, <u32>m, <u32>(j * LANES + l), 2, seedLo, seedHi);
      stageUniforms(scratchPtr, l);
    }
    stagedNormals(scratchPtr);
    store<Lane>(laneOutPtr, mul(sLane, expLane(madd(vol, normal0, drift))));
    store<Lane>(laneOutPtr, mul(sLane, expLane(madd(vol, normal1, drift))), LANE_BYTES);
    store<Lane>(laneOutPtr, mul(sLane, expLane(madd(vol, normal2, drift))), 2 * LANE_BYTES);
    store<Lane>(laneOutPtr, mul(sLane, expLane(madd(vol, normal3, drift))), 3 * LANE_BYTES);
    for (let q = 0; q < 4 * LANES; q++) {
      const sn = <f64>load<f32>(laneOutPtr + (<usize>q << 2));
      sumV += fittedValue(m, sn);
      sumS += sn;
    }
  }
  const h = <f64>volSqrtDt;
  const up = s * Math.exp(h), down = s * Math.exp(-h);
  const slope = (fittedValue(m, up) - fittedValue(m, down)) / (up - down);
  const n = <f64>inner;
  return sumV / n - slope * (sumS / n - <f64>(<f32>s) * growth);
}

/**
 * Rogers' dual upper bound on outer paths (stream 2, iteration 0) [first, first + count) of `total`: the
 * martingale M_m = sum_{k<=m} D_k (V_k(S_k) - E_{k-1}[V_k(S_k)]) from the fitted value function, each path
 * contributing max over exercise dates of D_m g(S_m) - M_m (and g(S0) at t = 0 when `american`).
 */
export function lsmDual(first: i32, count: i32, total: i32, inner: i32, american: bool): void {
  let sum: f64 = 0, sumSq: f64 = 0;
  const end = min(first + count, total);
  for (let p0 = first; p0 < end; p0 += LANES) {
    groupPath(<u32>p0, 0, 2, groupPtr, LANE_BYTES);
    for (let l = 0; l < LANES && p0 + l < end; l++) {
      let mart: f64 = 0;
      let best: f64 = american ? payoff(S0) : -Infinity;
      let prev = S0;
      for (let m = 1; m <= M; m++) {
        const s = laneSpot(m, l);
        const dm = load<f64>(discPtr + (<usize>m << 3));
        mart += dm * (fittedValue(m, s) - innerExpectation(<u32>(p0 + l), m, prev, inner));
        const candidate = dm * payoff(s) - mart;
        if (candidate > best) best = candidate;
        prev = s;
      }
      sum += best; sumSq += best * best;
    }
  }
  store<f64>(result(R_SUM), load<f64>(result(R_SUM)) + sum);
  store<f64>(result(R_SUM_SQ), load<f64>(result(R_SUM_SQ)) + sumSq);
  store<f64>(result(R_COUNT), load<f64>(result(R_COUNT)) + <f64>(end - first));
}
