// The hedging network run over one group of paths: forward through all steps with a tape, the P&L
// with proportional costs, and backpropagation through time (full, or split by depth).
import {
  LANES, LANE_BYTES, splat, add, sub, mul, madd, relu, abs, sign, tanh, maxLane,
  passWherePositive, maskPaths, laneSum,
} from "../core/lane";
import { logLane } from "../core/lane-math";
import {
  hidden, steps, batch, groups, depths, paramCount, strike, isPut, kappa, logMoneyness, logStrike, featureScale,
  offB1, offW2, offB2, offW3, offB3, offP0,
  paramsPtr, paramLanesPtr, gradPtr, gradAccPtr, spotPtr, deltaPtr, pnlPtr, costPtr, upstreamPtr,
  tapePtr, tapeStride, depthCurPtr, depthNextPtr, tauPtr, lanePtr,
} from "./state";

// Tape slots within one step (in lanes): h1 at 0, h2 at H, dz1 at 2H, dz2 at 3H, dz3 at 4H, x at 4H + 1.

/** The network's spot input for spot s (docs/numerics.md, Features). */
@inline function spotInput(s: Lane): Lane {
  return logMoneyness ? mul(sub(logLane(s), splat(logStrike)), splat(featureScale)) : s;
}

@inline function param(index: i32): Lane {
  return load<Lane>(lanePtr(paramLanesPtr, index));
}
@inline function spotAt(g: i32, k: i32): Lane {
  return load<Lane>(lanePtr(spotPtr, g * (steps + 1) + k));
}
@inline function deltaAt(g: i32, k: i32): Lane {
  return load<Lane>(lanePtr(deltaPtr, g * steps + k));
}
@inline function tapeStep(k: i32): usize {
  return lanePtr(tapePtr, k * tapeStride);
}

/** Splats the host's parameters into lanes; call once after the host writes them. */
export function loadParams(): void {
  for (let p = 0; p < paramCount; p++) {
    store<Lane>(lanePtr(paramLanesPtr, p), splat(load<f32>(paramsPtr + (<usize>p << 2))));
  }
}

/** Forward pass of group g: fills the tape, the hedges, and the group's P&L and costs. */
export function forwardGroup(g: i32): void {
  const H = hidden;
  const N = steps;
  const zero = splat(0);
  const k0 = splat(kappa);
  let prev = zero;
  let pnl = zero;
  let cost = zero;
  let s = spotAt(g, 0);
  for (let k = 0; k < N; k++) {
    const tau = load<Lane>(lanePtr(tauPtr, k));
    const sNext = spotAt(g, k + 1);
    const h1 = tapeStep(k);
    const h2 = h1 + <usize>H * LANE_BYTES;
    const x = spotInput(s);
    store<Lane>(h1 + <usize>(4 * H + 1) * LANE_BYTES, x);
    let w1 = paramLanesPtr;
    let b1 = lanePtr(paramLanesPtr, offB1);
    for (let j = 0; j < H; j++) {
      let z = madd(load<Lane>(w1), tau, load<Lane>(b1));
      z = madd(load<Lane>(w1, LANE_BYTES), x, z);
      z = madd(load<Lane>(w1, 2 * LANE_BYTES), prev, z);
      store<Lane>(h1 + <usize>j * LANE_BYTES, relu(z));
      w1 += 3 * LANE_BYTES;
      b1 += LANE_BYTES;
    }
    for (let j = 0; j < H; j += 4) {
      let a0 = param(offB2 + j);
      let a1 = param(offB2 + j + 1);
      let a2 = param(offB2 + j + 2);
      let a3 = param(offB2 + j + 3);
      let w = lanePtr(paramLanesPtr, offW2 + j * H);
      const rowBytes = <usize>H * LANE_BYTES;
      for (let i = 0; i < H; i++) {
        const x = load<Lane>(h1 + <usize>i * LANE_BYTES);
        a0 = madd(load<Lane>(w), x, a0);
        a1 = madd(load<Lane>(w + rowBytes), x, a1);
        a2 = madd(load<Lane>(w + 2 * rowBytes), x, a2);
        a3 = madd(load<Lane>(w + 3 * rowBytes), x, a3);
        w += LANE_BYTES;
      }
      store<Lane>(h2 + <usize>j * LANE_BYTES, relu(a0));
      store<Lane>(h2 + <usize>(j + 1) * LANE_BYTES, relu(a1));
      store<Lane>(h2 + <usize>(j + 2) * LANE_BYTES, relu(a2));
      store<Lane>(h2 + <usize>(j + 3) * LANE_BYTES, relu(a3));
    }
    let z3 = param(offB3);
    const w3 = lanePtr(paramLanesPtr, offW3);
    for (let j = 0; j < H; j++) {
      const at = <usize>j * LANE_BYTES;
      z3 = madd(load<Lane>(w3 + at), load<Lane>(h2 + at), z3);
    }
    const d = tanh(z3);
    store<Lane>(lanePtr(deltaPtr, g * N + k), d);
    pnl = madd(d, sub(sNext, s), pnl);
    cost = madd(mul(k0, abs(sub(d, prev))), s, cost);
    prev = d;
    s = sNext;
  }
  cost = madd(mul(k0, abs(prev)), s, cost);
  const payoff = isPut ? maxLane(sub(splat(strike), s), zero) : maxLane(sub(s, splat(strike)), zero);
  store<Lane>(lanePtr(pnlPtr, g), sub(sub(pnl, cost), payoff));
  store<Lane>(lanePtr(costPtr, g), cost);
}

/** dPnL/d(delta[k]) for group g: the step's gain and the two trades delta[k] takes part in. */
@inline function pnlSensitivity(g: i32, k: i32): Lane {
  const N = steps;
  const s = spotAt(g, k);
  const sNext = spotAt(g, k + 1);
  const d = deltaAt(g, k);
  const prev = k > 0 ? deltaAt(g, k - 1) : splat(0);
  const next = k + 1 < N ? deltaAt(g, k + 1) : splat(0);
  const k0 = splat(kappa);
  let out = sub(sNext, s);
  out = sub(out, mul(mul(k0, sign(sub(d, prev))), s));
  out = add(out, mul(mul(k0, sign(sub(next, d))), sNext));
  return out;
}

/**
 * Backpropagates upstream gradient `up` (dLoss/d delta[k]) through step k of group g. Writes dz1,
 * dz2, dz3 to the tape and returns dLoss/d(previous hedge input), which flows to step k - 1.
 */
function backwardStep(g: i32, k: i32, up: Lane): Lane {
  const H = hidden;
  const t = tapeStep(k);
  const h1 = t;
  const h2 = t + <usize>H * LANE_BYTES;
  const dz1 = t + <usize>(2 * H) * LANE_BYTES;
  const dz2 = t + <usize>(3 * H) * LANE_BYTES;
  const d = deltaAt(g, k);
  const dz3 = mul(up, sub(splat(1), mul(d, d)));
  store<Lane>(t + <usize>(4 * H) * LANE_BYTES, dz3);
  for (let j = 0; j < H; j++) {
    const at = <usize>j * LANE_BYTES;
    store<Lane>(dz2 + at, passWherePositive(mul(dz3, param(offW3 + j)), load<Lane>(h2 + at)));
  }
  let r = splat(0);
  const rowBytes = <usize>H * LANE_BYTES;
  for (let i = 0; i < H; i += 4) {
    let a0 = splat(0);
    let a1 = splat(0);
    let a2 = splat(0);
    let a3 = splat(0);
    let w = lanePtr(paramLanesPtr, offW2 + i);
    for (let j = 0; j < H; j++) {
      const e = load<Lane>(dz2 + <usize>j * LANE_BYTES);
      a0 = madd(e, load<Lane>(w), a0);
      a1 = madd(e, load<Lane>(w, LANE_BYTES), a1);
      a2 = madd(e, load<Lane>(w, 2 * LANE_BYTES), a2);
      a3 = madd(e, load<Lane>(w, 3 * LANE_BYTES), a3);
      w += rowBytes;
    }
    const at = <usize>i * LANE_BYTES;
    const e0 = passWherePositive(a0, load<Lane>(h1 + at));
    const e1 = passWherePositive(a1, load<Lane>(h1 + at + LANE_BYTES));
    const e2 = passWherePositive(a2, load<Lane>(h1 + at + 2 * LANE_BYTES));
    const e3 = passWherePositive(a3, load<Lane>(h1 + at + 3 * LANE_BYTES));
    store<Lane>(dz1 + at, e0);
    store<Lane>(dz1 + at + LANE_BYTES, e1);
    store<Lane>(dz1 + at + 2 * LANE_BYTES, e2);
    store<Lane>(dz1 + at + 3 * LANE_BYTES, e3);
    r = madd(e0, param(3 * i + 2), r);
    r = madd(e1, param(3 * (i + 1) + 2), r);
    r = madd(e2, param(3 * (i + 2) + 2), r);
    r = madd(e3, param(3 * (i + 3) + 2), r);
  }
  return r;
}

/** Adds the weight gradients of steps 0 .. count-1 (dz on the tape) into depth `depth`'s accumulators. */
function accumulate(g: i32, count: i32, depth: i32): void {
  const H = hidden;
  const acc = gradAccPtr + <usize>depth * <usize>paramCount * LANE_BYTES;
  const stepBytes = <usize>tapeStride * LANE_BYTES;
  const dz1Off = <usize>(2 * H) * LANE_BYTES;
  const dz2Off = <usize>(3 * H) * LANE_BYTES;
  const dz3Off = <usize>(4 * H) * LANE_BYTES;
  // Layer 1: W1[i] against (tau, spot input, previous hedge), and b1[i].
  const xOff = <usize>(4 * H + 1) * LANE_BYTES;
  const delta0 = lanePtr(deltaPtr, g * steps);
  for (let i = 0; i < H; i++) {
    const wAt = lanePtr(acc, 3 * i);
    const bAt = lanePtr(acc, offB1 + i);
    let a0 = load<Lane>(wAt);
    let a1 = load<Lane>(wAt, LANE_BYTES);
    let a2 = load<Lane>(wAt, 2 * LANE_BYTES);
    let a3 = load<Lane>(bAt);
    let prev = splat(0);
    let t = tapePtr + dz1Off + <usize>i * LANE_BYTES;
    let tau = tauPtr;
    let xp = tapePtr + xOff;
    let dp = delta0;
    for (let k = 0; k < count; k++) {
      const e = load<Lane>(t);
      a0 = madd(e, load<Lane>(tau), a0);
      a1 = madd(e, load<Lane>(xp), a1);
      a2 = madd(e, prev, a2);
      a3 = add(a3, e);
      prev = load<Lane>(dp);
      t += stepBytes;
      tau += LANE_BYTES;
      xp += stepBytes;
      dp += LANE_BYTES;
    }
    store<Lane>(wAt, a0);
    store<Lane>(wAt, a1, LANE_BYTES);
    store<Lane>(wAt, a2, 2 * LANE_BYTES);
    store<Lane>(bAt, a3);
  }
  // Layer 2: W2[j][i] += sum_k dz2[j] h1[i], blocked 2 x 4 so the sums stay in registers.
  for (let j = 0; j < H; j += 2) {
    for (let i = 0; i < H; i += 4) {
      const r0 = lanePtr(acc, offW2 + j * H + i);
      const r1 = lanePtr(acc, offW2 + (j + 1) * H + i);
      let a00 = load<Lane>(r0); let a01 = load<Lane>(r0, LANE_BYTES);
      let a02 = load<Lane>(r0, 2 * LANE_BYTES); let a03 = load<Lane>(r0, 3 * LANE_BYTES);
      let a10 = load<Lane>(r1); let a11 = load<Lane>(r1, LANE_BYTES);
      let a12 = load<Lane>(r1, 2 * LANE_BYTES); let a13 = load<Lane>(r1, 3 * LANE_BYTES);
      let t = tapePtr;
      for (let k = 0; k < count; k++) {
        const e0 = load<Lane>(t + dz2Off + <usize>j * LANE_BYTES);
        const e1 = load<Lane>(t + dz2Off + <usize>(j + 1) * LANE_BYTES);
        const x = t + <usize>i * LANE_BYTES;
        const x0 = load<Lane>(x);
        const x1 = load<Lane>(x, LANE_BYTES);
        const x2 = load<Lane>(x, 2 * LANE_BYTES);
        const x3 = load<Lane>(x, 3 * LANE_BYTES);
        a00 = madd(e0, x0, a00); a01 = madd(e0, x1, a01); a02 = madd(e0, x2, a02); a03 = madd(e0, x3, a03);
        a10 = madd(e1, x0, a10); a11 = madd(e1, x1, a11); a12 = madd(e1, x2, a12); a13 = madd(e1, x3, a13);
        t += stepBytes;
      }
      store<Lane>(r0, a00); store<Lane>(r0, a01, LANE_BYTES);
      store<Lane>(r0, a02, 2 * LANE_BYTES); store<Lane>(r0, a03, 3 * LANE_BYTES);
      store<Lane>(r1, a10); store<Lane>(r1, a11, LANE_BYTES);
      store<Lane>(r1, a12, 2 * LANE_BYTES); store<Lane>(r1, a13, 3 * LANE_BYTES);
    }
  }
  // b2, W3 and b3.
  for (let j = 0; j < H; j++) {
    const bAt = lanePtr(acc, offB2 + j);
    const wAt = lanePtr(acc, offW3 + j);
    let b = load<Lane>(bAt);
    let w = load<Lane>(wAt);
    let t = tapePtr;
    for (let k = 0; k < count; k++) {
      b = add(b, load<Lane>(t + dz2Off + <usize>j * LANE_BYTES));
      w = madd(load<Lane>(t + dz3Off), load<Lane>(t + <usize>(H + j) * LANE_BYTES), w);
      t += stepBytes;
    }
    store<Lane>(bAt, b);
    store<Lane>(wAt, w);
  }
  const b3At = lanePtr(acc, offB3);
  let b3 = load<Lane>(b3At);
  for (let k = 0; k < count; k++) b3 = add(b3, load<Lane>(tapeStep(k) + dz3Off));
  store<Lane>(b3At, b3);
}

/** Backward pass of group g (tape filled by forwardGroup) for upstream dLoss/d(PnL - Z) = `up`. */
function backwardGroup(g: i32, up: Lane): void {
  const N = steps;
  if (depths == 1) {
    let r = splat(0);
    for (let k = N - 1; k >= 0; k--) {
      r = backwardStep(g, k, madd(pnlSensitivity(g, k), up, r));
    }
    accumulate(g, N, 0);
    return;
  }
  // Per depth j: the loss terms of step k + j carried back to step k through j recurrent links.
  let cur = depthCurPtr;
  let next = depthNextPtr;
  for (let k = 0; k < N; k++) store<Lane>(lanePtr(cur, k), mul(pnlSensitivity(g, k), up));
  for (let j = 0; j < N; j++) {
    const last = N - 1 - j;
    for (let k = last; k >= 0; k--) {
      const r = backwardStep(g, k, load<Lane>(lanePtr(cur, k)));
      if (k > 0) store<Lane>(lanePtr(next, k - 1), r);
    }
    accumulate(g, last + 1, j);
    const swap = cur; cur = next; next = swap;
  }
}

function clearGradients(): void {
  memory.fill(gradAccPtr, 0, <usize>depths * <usize>paramCount * LANE_BYTES);
}

/** Sums the accumulators' lanes into the host-visible gradient; the premium's slot gets `premiumGrad`. */
function finishGradients(premiumGrad: f32): void {
  const P = paramCount;
  for (let d = 0; d < depths; d++) {
    for (let p = 0; p < P; p++) {
      const v = laneSum(load<Lane>(lanePtr(gradAccPtr, d * P + p)));
      store<f32>(gradPtr + (<usize>(d * P + p) << 2), v);
    }
    store<f32>(gradPtr + (<usize>(d * P + offP0) << 2), d == 0 ? premiumGrad : 0);
  }
}

/** Forward pass over every local path (training phase one, or evaluation). */
export function forwardAll(): void {
  loadParams();
  for (let g = 0; g < groups; g++) forwardGroup(g);
}

/**
 * Mean squared error in one pass: forward, dLoss/dX = scale * (p0 + PnL - Z) for each real path,
 * backward. `scale` is 2 / (global batch).
 */
export function trainMse(p0: f32, scale: f32): void {
  loadParams();
  clearGradients();
  const p = splat(p0);
  const c = splat(scale);
  let premium = splat(0);
  for (let g = 0; g < groups; g++) {
    forwardGroup(g);
    const up = maskPaths(mul(c, add(p, load<Lane>(lanePtr(pnlPtr, g)))), g * LANES, batch);
    premium = add(premium, up);
    backwardGroup(g, up);
  }
  finishGradients(laneSum(premium));
}

/** Training phase two: recompute each group's forward pass, then backward with the host's upstream. */
export function backwardAll(): void {
  loadParams();
  clearGradients();
  let premium = splat(0);
  for (let g = 0; g < groups; g++) {
    forwardGroup(g);
    const up = load<Lane>(lanePtr(upstreamPtr, g));
    premium = add(premium, up);
    backwardGroup(g, up);
  }
  finishGradients(laneSum(premium));
}
