// The hedging market as a step-by-step environment (accounting P&L rewards), batched over every local
// path: the option position is short one option marked at Black-Scholes, the holding moves by each
// action at the spot the decision sees, and the reward is the step's option, hedge and cost P&L.
import { LANES, LANE_BYTES, splat, add, sub, mul, div, madd, abs, maxLane } from "../core/lane";
import { logLane, expLane, sqrtLane } from "../core/lane-math";
import { groups, steps, batch, spotPtr, strike, isPut, kappa, heapEnd, ensureMemory, reserve, lanePtr } from "./state";

let volatility: f32 = 0;
let maturity: f32 = 0;

export let holdingPtr: usize = 0;    // groups lanes: H_{t-1}, the holding carried into step t
export let valuePtr: usize = 0;      // groups lanes: Black-Scholes value of the option at the current step
export let actionPtr: usize = 0;     // groups lanes: A_t, written by the host
export let rewardPtr: usize = 0;     // groups lanes: R_t
export let optionPnlPtr: usize = 0;  // groups lanes: V_{t+1} - V_t
export let hedgePnlPtr: usize = 0;   // groups lanes: H_t (S_{t+1} - S_t)
export let stepCostPtr: usize = 0;   // groups lanes: kappa |S_t A_t| (+ liquidation on the last step)
export let observationPtr: usize = 0; // paths x 5 floats, row-major: time left, spot, holding, BS value, BS delta

export const OBSERVATION_SIZE = 5;

/** Lays out the environment's buffers after the engine's; returns 0, or -1 if memory could not grow. */
export function configureEnv(sigma: f32, years: f32): i32 {
  volatility = sigma;
  maturity = years;
  const G = <usize>groups;
  let at = heapEnd;
  holdingPtr = at; at = reserve(at, G * LANE_BYTES);
  valuePtr = at; at = reserve(at, G * LANE_BYTES);
  actionPtr = at; at = reserve(at, G * LANE_BYTES);
  rewardPtr = at; at = reserve(at, G * LANE_BYTES);
  optionPnlPtr = at; at = reserve(at, G * LANE_BYTES);
  hedgePnlPtr = at; at = reserve(at, G * LANE_BYTES);
  stepCostPtr = at; at = reserve(at, G * LANE_BYTES);
  observationPtr = at; at = reserve(at, G * <usize>LANES * OBSERVATION_SIZE * 4);
  if (!ensureMemory(at)) return -1;
  memory.fill(actionPtr, 0, G * LANE_BYTES);
  return 0;
}

/** Standard normal CDF: Abramowitz-Stegun 7.1.26 for erfc, absolute error below 1e-7. */
@inline function normCdf(x: Lane): Lane {
  const z = mul(x, splat(-0.70710678));
  const az = abs(z);
  const t = div(splat(1), madd(splat(0.3275911), az, splat(1)));
  let p = madd(splat(1.061405429), t, splat(-1.453152027));
  p = madd(p, t, splat(1.421413741));
  p = madd(p, t, splat(-0.284496736));
  p = madd(p, t, splat(0.254829592));
  p = mul(p, t);
  const half = mul(mul(splat(0.5), p), expLane(mul(splat(-1), mul(z, z))));
  // half is Phi(x) where z >= 0 (x <= 0), else 1 - Phi(x).
  if (isVector<Lane>()) return v128.bitselect(half, f32x4.sub(f32x4.splat(1), half), f32x4.ge(z, f32x4.splat(0)));
  else return z >= 0 ? half : <f32>1 - half;
}

let bsValue: Lane = splat(0);
let bsDelta: Lane = splat(0);

/** Black-Scholes (r = 0) value and delta of the option at spot s with `tau` years left. */
@inline function blackScholes(s: Lane, tau: f32): void {
  const k = splat(strike);
  if (tau <= 0) {
    const intrinsic = isPut ? sub(k, s) : sub(s, k);
    bsValue = maxLane(intrinsic, splat(0));
    if (isVector<Lane>()) {
      const itm = f32x4.gt(intrinsic, f32x4.splat(0));
      bsDelta = v128.and(f32x4.splat(isPut ? -1 : 1), itm);
    } else bsDelta = intrinsic > 0 ? (isPut ? <f32>-1 : 1) : 0;
    return;
  }
  const sd = volatility * Mathf.sqrt(tau);
  const d1 = div(madd(splat(0.5 * sd), splat(sd), logLane(div(s, k))), splat(sd));
  const n1 = normCdf(d1);
  const n2 = normCdf(sub(d1, splat(sd)));
  const call = sub(mul(s, n1), mul(k, n2));
  bsValue = isPut ? add(sub(call, s), k) : call;
  bsDelta = isPut ? sub(n1, splat(1)) : n1;
}

@inline function yearsLeft(t: i32): f32 {
  return maturity * (<f32>1 - <f32>t / <f32>steps);
}

/** Writes observation row `t` for group g: time left, spot, holding, BS value, BS delta. */
function writeObservations(g: i32, t: i32, s: Lane, h: Lane): void {
  const tau = splat(<f32>1 - <f32>t / <f32>steps);
  for (let l = 0; l < LANES; l++) {
    const path = g * LANES + l;
    if (path >= batch) break;
    const at = observationPtr + <usize>(path * OBSERVATION_SIZE) * 4;
    store<f32>(at, laneAt(tau, l));
    store<f32>(at, laneAt(s, l), 4);
    store<f32>(at, laneAt(h, l), 8);
    store<f32>(at, laneAt(bsValue, l), 12);
    store<f32>(at, laneAt(bsDelta, l), 16);
  }
}

@inline function laneAt(x: Lane, l: i32): f32 {
  if (isVector<Lane>()) {
    switch (l) {
      case 0: return f32x4.extract_lane(x, 0);
      case 1: return f32x4.extract_lane(x, 1);
      case 2: return f32x4.extract_lane(x, 2);
      default: return f32x4.extract_lane(x, 3);
    }
  } else return x;
}

/** Starts an episode on the simulated paths: flat book, observation O_0. */
export function envReset(): void {
  const N = steps;
  const tau = yearsLeft(0);
  for (let g = 0; g < groups; g++) {
    const s = load<Lane>(lanePtr(spotPtr, g * (N + 1)));
    blackScholes(s, tau);
    store<Lane>(lanePtr(holdingPtr, g), splat(0));
    store<Lane>(lanePtr(valuePtr, g), bsValue);
    writeObservations(g, 0, s, splat(0));
  }
}

/**
 * Step t for every path: trade A_t at S_t, the market moves to S_{t+1}, and
 * R_t = (V_{t+1} - V_t) + H_t (S_{t+1} - S_t) - kappa |S_t A_t|, with V = -(option value) and, on the
 * last step, V_N = -payoff and the liquidation cost kappa |S_N H_{N-1}|.
 */
export function envStep(t: i32): void {
  const N = steps;
  const last = t + 1 == N;
  const tauNext = yearsLeft(t + 1);
  const k0 = splat(kappa);
  for (let g = 0; g < groups; g++) {
    const s = load<Lane>(lanePtr(spotPtr, g * (N + 1) + t));
    const sNext = load<Lane>(lanePtr(spotPtr, g * (N + 1) + t + 1));
    const a = load<Lane>(lanePtr(actionPtr, g));
    const h = add(load<Lane>(lanePtr(holdingPtr, g)), a);
    const value = load<Lane>(lanePtr(valuePtr, g));
    blackScholes(sNext, last ? 0 : tauNext);
    const optionPnl = sub(value, bsValue); // (-V_{t+1}) - (-V_t) with V the short position
    const hedgePnl = mul(h, sub(sNext, s));
    let cost = mul(k0, abs(mul(s, a)));
    if (last) cost = madd(k0, abs(mul(sNext, h)), cost);
    store<Lane>(lanePtr(rewardPtr, g), sub(add(optionPnl, hedgePnl), cost));
    store<Lane>(lanePtr(optionPnlPtr, g), optionPnl);
    store<Lane>(lanePtr(hedgePnlPtr, g), hedgePnl);
    store<Lane>(lanePtr(stepCostPtr, g), cost);
    store<Lane>(lanePtr(holdingPtr, g), h);
    store<Lane>(lanePtr(valuePtr, g), bsValue);
    writeObservations(g, t + 1, sNext, h);
  }
}
