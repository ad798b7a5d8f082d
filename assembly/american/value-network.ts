// The American value network (docs/numerics.md, neural approximate dynamic programming) on a slice of the
// batch: forward and backward over every transition (t_m, S_m) -> (t_{m+1}, S_{m+1}) of the Philox paths,
// giving the squared TD error and its exact gradient; and the stopping rule the network induces, valued on
// independent paths. Vectorised on Lanes like the hedging network (assembly/hedging/network.ts).
//
// The network C(tau, x) = K * net(tau, x) estimates the continuation value at t (the value of not
// exercising at t): tau = (T - t) / T, x = log(S / K) / (sigma sqrt(T)). The value is V = max(g, C) at an
// exercise date and g at maturity. The TD target of C(t_m, S_m) is e^{-r dt} V_target(t_{m+1}, S_{m+1}), from
// the target copy of the weights the host writes (docs/numerics-american.md says why C and not V).
import {
  LANES, LANE_BYTES, splat, sub, mul, madd, div, relu, maxLane, passWherePositive, maskPaths, laneSum, add,
} from "../core/lane";
import { logLane } from "../core/lane-math";
import { ensureMemory, reserve } from "../core/memory";
import { heapStart, resultsPtr } from "./layout";
import { configurePaths, groupPath } from "./paths";

// Configuration (vnConfigure).
let H: i32 = 0;          // hidden units (a multiple of 4)
let P: i32 = 0;          // parameters
let N: i32 = 0;          // training paths of this slice
let G: i32 = 0;          // Lane groups of them
let first: u32 = 0;      // Philox path counter of the slice's first path
let M: i32 = 0;          // transitions per path (dates t_m = m T / M)
let strike: f32 = 0;
let spot0: f32 = 0;
let isPut: bool = true;
let disc: f32 = 1;       // e^{-r dt}
let invScale: f32 = 1;   // 1 / (sigma sqrt(T))
let invStrike: f32 = 1;
let discF64: f64 = 1;
let carry: f32 = 1;      // e^{-q dt} = E[e^{-r dt} S_{m+1} / S_m]
let stepUp: f32 = 1;     // e^{sigma sqrt(dt)}: the control variate's slope is a difference over S e^{+-sigma sqrt(dt)}
let stepDown: f32 = 1;
let stepX: f32 = 0;      // the same step in x: sqrt(dt / T)

// Parameter offsets (floats): W1 [H][2] over (tau, x), b1 [H], W2 [H][H] (row = output unit), b2 [H], W3 [H], b3.
let offB1: i32 = 0;
let offW2: i32 = 0;
let offB2: i32 = 0;
let offW3: i32 = 0;
let offB3: i32 = 0;

// Memory.
let paramsPtr: usize = 0;   // P f32: the weights, written by the host
let targetPtr: usize = 0;   // P f32: the target copy, written by the host
let onlineLanes: usize = 0; // P Lanes, each weight splatted
let targetLanes: usize = 0; // P Lanes
let gradAccPtr: usize = 0;  // P Lanes
let gradPtr: usize = 0;     // P f32, read by the host
let pathPtr: usize = 0;     // M Lanes: one group's spots at dates 1..M
let h1Ptr: usize = 0;       // H Lanes
let h2Ptr: usize = 0;       // H Lanes
let dz2Ptr: usize = 0;      // H Lanes
let laneOutPtr: usize = 0;  // 2 Lanes: payoff and continuation, read back lane by lane
let scratchPtr: usize = 0;  // 4 Lanes: staged uniforms

// Result slots (f64) at resultsPtr.
const R_STOP_SUM_SQ = 0;

@inline function lane(base: usize, index: i32): usize {
  return base + (<usize>index) * LANE_BYTES;
}

/** Lays out memory for `paths` training paths from path counter `firstPath`; returns 0, or -1 if memory could not grow. */
export function vnConfigure(
  hidden: i32, paths: i32, firstPath: u32, dates: i32, lo: u32, hi: u32, s0: f64, k: f64, rate: f64, dividend: f64,
  sigma: f64, maturity: f64, put: bool,
): i32 {
  H = hidden; N = paths; G = (paths + LANES - 1) / LANES; first = firstPath; M = dates;
  strike = <f32>k; spot0 = <f32>s0; isPut = put; invStrike = <f32>(1 / k);
  const dt = maturity / <f64>dates;
  discF64 = Math.exp(-rate * dt);
  disc = <f32>discF64;
  invScale = <f32>(1 / (sigma * Math.sqrt(maturity)));
  carry = <f32>Math.exp(-dividend * dt);
  stepUp = <f32>Math.exp(sigma * Math.sqrt(dt));
  stepDown = <f32>Math.exp(-sigma * Math.sqrt(dt));
  stepX = <f32>Math.sqrt(dt / maturity);
  offB1 = 2 * H; offW2 = 3 * H; offB2 = 3 * H + H * H; offW3 = 4 * H + H * H; offB3 = 5 * H + H * H;
  P = offB3 + 1;
  const PB = <usize>P;
  let at = heapStart();
  paramsPtr = at; at = reserve(at, PB * 4);
  targetPtr = at; at = reserve(at, PB * 4);
  gradPtr = at; at = reserve(at, PB * 4);
  onlineLanes = at; at = reserve(at, PB * LANE_BYTES);
  targetLanes = at; at = reserve(at, PB * LANE_BYTES);
  gradAccPtr = at; at = reserve(at, PB * LANE_BYTES);
  h1Ptr = at; at = reserve(at, <usize>H * LANE_BYTES);
  h2Ptr = at; at = reserve(at, <usize>H * LANE_BYTES);
  dz2Ptr = at; at = reserve(at, <usize>H * LANE_BYTES);
  laneOutPtr = at; at = reserve(at, 2 * LANE_BYTES);
  scratchPtr = at; at = reserve(at, 4 * LANE_BYTES);
  pathPtr = at; at = reserve(at, <usize>M * LANE_BYTES);
  if (!ensureMemory(at)) return -1;
  configurePaths(M, lo, hi, s0, <f32>((rate - dividend - 0.5 * sigma * sigma) * dt), <f32>(sigma * Math.sqrt(dt)), scratchPtr);
  return 0;
}

export function vnParamsPointer(): usize { return paramsPtr; }
export function vnTargetPointer(): usize { return targetPtr; }
export function vnGradientPointer(): usize { return gradPtr; }
export function vnParameterCount(): i32 { return P; }

/** Splats the host's weights (and the target copy) into Lanes. */
function loadParams(): void {
  for (let p = 0; p < P; p++) {
    const at = <usize>p << 2;
    store<Lane>(lane(onlineLanes, p), splat(load<f32>(paramsPtr + at)));
    store<Lane>(lane(targetLanes, p), splat(load<f32>(targetPtr + at)));
  }
}

@inline function payoffLane(s: Lane): Lane {
  return maxLane(isPut ? sub(splat(strike), s) : sub(s, splat(strike)), splat(0));
}

/** The network's input x = log(S / K) / (sigma sqrt(T)). */
@inline function moneyness(s: Lane): Lane {
  return mul(logLane(mul(s, splat(invStrike))), splat(invScale));
}

/** net(tau, x) with the weights splatted at `w`; leaves the hidden activations at h1Ptr and h2Ptr. */
function forward(w: usize, tau: Lane, x: Lane): Lane {
  let w1 = w;
  let b1 = lane(w, offB1);
  for (let j = 0; j < H; j++) {
    let z = madd(load<Lane>(w1), tau, load<Lane>(b1));
    z = madd(load<Lane>(w1, LANE_BYTES), x, z);
    store<Lane>(lane(h1Ptr, j), relu(z));
    w1 += 2 * LANE_BYTES;
    b1 += LANE_BYTES;
  }
  const rowBytes = <usize>H * LANE_BYTES;
  for (let j = 0; j < H; j += 4) {
    let a0 = load<Lane>(lane(w, offB2 + j));
    let a1 = load<Lane>(lane(w, offB2 + j + 1));
    let a2 = load<Lane>(lane(w, offB2 + j + 2));
    let a3 = load<Lane>(lane(w, offB2 + j + 3));
    let r = lane(w, offW2 + j * H);
    for (let i = 0; i < H; i++) {
      const h = load<Lane>(lane(h1Ptr, i));
      a0 = madd(load<Lane>(r), h, a0);
      a1 = madd(load<Lane>(r + rowBytes), h, a1);
      a2 = madd(load<Lane>(r + 2 * rowBytes), h, a2);
      a3 = madd(load<Lane>(r + 3 * rowBytes), h, a3);
      r += LANE_BYTES;
    }
    store<Lane>(lane(h2Ptr, j), relu(a0));
    store<Lane>(lane(h2Ptr, j + 1), relu(a1));
    store<Lane>(lane(h2Ptr, j + 2), relu(a2));
    store<Lane>(lane(h2Ptr, j + 3), relu(a3));
  }
  let z3 = load<Lane>(lane(w, offB3));
  const w3 = lane(w, offW3);
  for (let j = 0; j < H; j++) z3 = madd(load<Lane>(w3 + <usize>j * LANE_BYTES), load<Lane>(lane(h2Ptr, j)), z3);
  return z3;
}

/** Adds the gradient of d * net(tau, x) at the online weights (activations from the last forward) to the accumulators. */
function backward(d: Lane, tau: Lane, x: Lane): void {
  const w = onlineLanes;
  const acc = gradAccPtr;
  store<Lane>(lane(acc, offB3), add(load<Lane>(lane(acc, offB3)), d));
  for (let j = 0; j < H; j++) {
    const h2 = load<Lane>(lane(h2Ptr, j));
    const gw = lane(acc, offW3 + j);
    store<Lane>(gw, madd(d, h2, load<Lane>(gw)));
    const e = passWherePositive(mul(d, load<Lane>(lane(w, offW3 + j))), h2);
    store<Lane>(lane(dz2Ptr, j), e);
    const gb = lane(acc, offB2 + j);
    store<Lane>(gb, add(load<Lane>(gb), e));
  }
  // W2: row j gets dz2[j] h1[i]; dz1[i] = sum_j dz2[j] W2[j][i], four columns at a time.
  const rowBytes = <usize>H * LANE_BYTES;
  for (let i = 0; i < H; i += 4) {
    const h0 = load<Lane>(lane(h1Ptr, i));
    const h1 = load<Lane>(lane(h1Ptr, i + 1));
    const h2 = load<Lane>(lane(h1Ptr, i + 2));
    const h3 = load<Lane>(lane(h1Ptr, i + 3));
    let s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    let r = lane(w, offW2 + i);
    let g = lane(acc, offW2 + i);
    for (let j = 0; j < H; j++) {
      const e = load<Lane>(lane(dz2Ptr, j));
      s0 = madd(e, load<Lane>(r), s0);
      s1 = madd(e, load<Lane>(r, LANE_BYTES), s1);
      s2 = madd(e, load<Lane>(r, 2 * LANE_BYTES), s2);
      s3 = madd(e, load<Lane>(r, 3 * LANE_BYTES), s3);
      store<Lane>(g, madd(e, h0, load<Lane>(g)));
      store<Lane>(g, madd(e, h1, load<Lane>(g, LANE_BYTES)), LANE_BYTES);
      store<Lane>(g, madd(e, h2, load<Lane>(g, 2 * LANE_BYTES)), 2 * LANE_BYTES);
      store<Lane>(g, madd(e, h3, load<Lane>(g, 3 * LANE_BYTES)), 3 * LANE_BYTES);
      r += rowBytes;
      g += rowBytes;
    }
    layerOne(i, passWherePositive(s0, h0), tau, x);
    layerOne(i + 1, passWherePositive(s1, h1), tau, x);
    layerOne(i + 2, passWherePositive(s2, h2), tau, x);
    layerOne(i + 3, passWherePositive(s3, h3), tau, x);
  }
}

/** Unit i of the first layer with pre-activation gradient e: W1[i] against (tau, x), and b1[i]. */
@inline function layerOne(i: i32, e: Lane, tau: Lane, x: Lane): void {
  const w = lane(gradAccPtr, 2 * i);
  store<Lane>(w, madd(e, tau, load<Lane>(w)));
  store<Lane>(w, madd(e, x, load<Lane>(w, LANE_BYTES)), LANE_BYTES);
  const b = lane(gradAccPtr, offB1 + i);
  store<Lane>(b, add(load<Lane>(b), e));
}

/** V_target(t_{m+1}, s) for the Lane of spots s (inputs x): max(g, C_target) before maturity, g at it. */
@inline function targetValue(m: i32, s: Lane, x: Lane): Lane {
  const g = payoffLane(s);
  if (m + 1 >= M) return g;
  return maxLane(g, mul(splat(strike), forward(targetLanes, splat(<f32>1 - <f32>(m + 1) / <f32>M), x)));
}

/**
 * One iteration on this slice (paths of `iteration`, stream 0): for every path and m = 0 .. M-1 the TD error
 * e = C(t_m, S_m) - y_m with the target y_m = e^{-r dt} V_target(t_{m+1}, S_{m+1}) - beta_m (e^{-r dt} S_{m+1} -
 * e^{-q dt} S_m): the discounted spot's known conditional mean is a control variate, its coefficient beta_m
 * the slope of V_target(t_{m+1}, .) over S_m e^{+-sigma sqrt(dt)} (known at t_m, so E[y_m | S_m] is unchanged).
 * Writes the gradient of scale * sum e^2 at vnGradientPointer and returns sum e^2 (f64).
 */
export function vnTrain(iteration: u32, scale: f32): f64 {
  loadParams();
  memory.fill(gradAccPtr, 0, <usize>P * LANE_BYTES);
  const K = splat(strike);
  const discount = splat(disc);
  const up = splat(scale * strike);
  const dx = splat(stepX);
  let loss: f64 = 0;
  const xStart = moneyness(splat(spot0));
  for (let g = 0; g < G; g++) {
    groupPath(first + <u32>(g * LANES), iteration, 0, pathPtr, LANE_BYTES);
    let x = xStart;
    let s = splat(spot0);
    let sum = splat(0);
    for (let m = 0; m < M; m++) {
      const sNext = load<Lane>(lane(pathPtr, m));
      const xNext = moneyness(sNext);
      const vNext = targetValue(m, sNext, xNext);
      const sUp = mul(s, splat(stepUp));
      const sDown = mul(s, splat(stepDown));
      const beta = div(sub(targetValue(m, sUp, add(x, dx)), targetValue(m, sDown, sub(x, dx))), sub(sUp, sDown));
      const y = sub(mul(discount, vNext), mul(beta, sub(mul(discount, sNext), mul(splat(carry), s))));
      const tau = splat(<f32>1 - <f32>m / <f32>M);
      const c = mul(K, forward(onlineLanes, tau, x));
      const e = maskPaths(sub(c, y), g * LANES, N);
      sum = madd(e, e, sum);
      backward(mul(up, e), tau, x);
      x = xNext;
      s = sNext;
    }
    loss += <f64>laneSum(sum);
  }
  for (let p = 0; p < P; p++) store<f32>(gradPtr + (<usize>p << 2), laneSum(load<Lane>(lane(gradAccPtr, p))));
  return loss;
}

/**
 * The network's stopping rule on paths [firstPath, firstPath + count) of `total`, stream 1, iteration 0: exercise
 * at the first date t_m, m = 1..M, whose payoff is positive and reaches C(t_m, S_m) (at maturity when in the
 * money). Returns the sum of the discounted payoffs (f64); their sum of squares goes to result slot 0.
 * Needs vnTrain's or vnLoad's weights splatted (call vnLoad first).
 */
export function vnStopping(firstPath: i32, count: i32, total: i32): f64 {
  let sum: f64 = 0, sumSq: f64 = 0;
  const end = min(firstPath + count, total);
  const K = splat(strike);
  for (let p0 = firstPath; p0 < end; p0 += LANES) {
    groupPath(<u32>p0, 0, 1, pathPtr, LANE_BYTES);
    const live = min(LANES, end - p0);
    let open = live;               // lanes not yet stopped
    let stopped: u32 = 0;          // bit l: lane l has stopped
    let d: f64 = 1;
    for (let m = 1; m <= M && open > 0; m++) {
      d *= discF64;
      const s = load<Lane>(lane(pathPtr, m - 1));
      store<Lane>(laneOutPtr, payoffLane(s));
      if (m < M) {
        const c = mul(K, forward(onlineLanes, splat(<f32>1 - <f32>m / <f32>M), moneyness(s)));
        store<Lane>(laneOutPtr, c, LANE_BYTES);
      }
      for (let l = 0; l < live; l++) {
        if (stopped & (1 << l)) continue;
        const gl = load<f32>(laneOutPtr + (<usize>l << 2));
        if (gl <= 0) continue;
        if (m == M || gl >= load<f32>(laneOutPtr + LANE_BYTES + (<usize>l << 2))) {
          const v = d * <f64>gl;
          sum += v; sumSq += v * v;
          stopped |= 1 << l;
          open--;
        }
      }
    }
  }
  const at = resultsPtr() + (<usize>R_STOP_SUM_SQ << 3);
  store<f64>(at, load<f64>(at) + sumSq);
  return sum;
}

/** Splats the host's weights for vnStopping, and clears the sums. */
export function vnLoad(): void {
  loadParams();
  store<f64>(resultsPtr() + (<usize>R_STOP_SUM_SQ << 3), 0);
}

/** Sum of squares of the discounted payoffs since vnLoad. */
export function vnStoppingSumSq(): f64 {
  return load<f64>(resultsPtr() + (<usize>R_STOP_SUM_SQ << 3));
}
