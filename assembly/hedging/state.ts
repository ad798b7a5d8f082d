// The engine's configuration and its buffers, laid out once by `configure` in linear memory.
// Path-indexed buffers are lane-interleaved: value (group g, step k, lane l) of a buffer with
// `stride` steps per group sits at ((g * stride + k) * LANES + l) floats.
import { LANES, LANE_BYTES, splat } from "../core/lane";
import { ensureMemory, reserve } from "../core/memory";

export { ensureMemory, reserve };

export let hidden: i32 = 0;
export let steps: i32 = 0;
export let batch: i32 = 0;
export let groups: i32 = 0;
export let depths: i32 = 1;
export let paramCount: i32 = 0;
export let pathOffset: u32 = 0;
export let seedLo: u32 = 0;
export let seedHi: u32 = 0;
export let driftDt: f32 = 0;
export let volSqrtDt: f32 = 0;
export let strike: f32 = 1;
export let isPut: bool = false;
export let kappa: f32 = 0;
// The spot input x (docs/numerics.md, Features): (ln S - logStrike) * featureScale, or S itself.
export let logMoneyness: bool = true;
export let logStrike: f32 = 0;
export let featureScale: f32 = 1;

// Parameter offsets (floats): W1 [H][3] (tau, spot input, previous hedge), b1 [H], W2 [H][H], b2 [H], W3 [H], b3, p0.
export let offB1: i32 = 0;
export let offW2: i32 = 0;
export let offB2: i32 = 0;
export let offW3: i32 = 0;
export let offB3: i32 = 0;
export let offP0: i32 = 0;

export let paramsPtr: usize = 0;      // P f32, written by the host
export let paramLanesPtr: usize = 0;  // P lanes, each parameter splatted
export let gradPtr: usize = 0;        // depths x P f32, read by the host
export let gradAccPtr: usize = 0;     // depths x P lanes
export let spotPtr: usize = 0;        // groups x (N+1) lanes
export let deltaPtr: usize = 0;       // groups x N lanes
export let pnlPtr: usize = 0;         // groups lanes: PnL - Z per path
export let costPtr: usize = 0;        // groups lanes: costs paid per path
export let upstreamPtr: usize = 0;    // groups lanes: dLoss/d(PnL - Z) per path, written by the host
export let tapePtr: usize = 0;        // N x TAPE_STRIDE lanes: one group's activations and their gradients
export let depthCurPtr: usize = 0;    // N lanes (per-depth backward)
export let depthNextPtr: usize = 0;   // N lanes
export let tauPtr: usize = 0;         // N lanes: time left 1 - k/N, splatted
export let scratchPtr: usize = 0;     // uniforms staged for Box-Muller (64 bytes), then 4096 bytes of test probe output
export let tapeStride: i32 = 0;       // lanes per step: h1[H], h2[H], dz1[H], dz2[H], dz3, x (spot input)

@inline export function lanePtr(base: usize, index: i32): usize {
  return base + (<usize>index) * LANE_BYTES;
}

/** First free byte after the buffers `configure` laid out; the environment's buffers follow it. */
export let heapEnd: usize = 0;


// The configuration the host writes before configure(): f64 slots, in the order of CONFIG_SLOTS in
// widget/models/hedging/wasm/slice.ts. The parameter offsets come from the host too, so the network's
// layout is computed in one place (widget/models/hedging/network.ts).
const S_HIDDEN = 0;
const S_STEPS = 1;
const S_BATCH = 2;
const S_FIRST_PATH = 3;
const S_SEED_LO = 4;
const S_SEED_HI = 5;
const S_DRIFT_DT = 6;
const S_VOL_SQRT_DT = 7;
const S_STRIKE = 8;
const S_PUT = 9;
const S_COST = 10;
const S_PER_DEPTH = 11;
const S_LOG_MONEYNESS = 12;
const S_LOG_STRIKE = 13;
const S_FEATURE_SCALE = 14;
const S_OFF_B1 = 15;
const S_OFF_W2 = 16;
const S_OFF_B2 = 17;
const S_OFF_W3 = 18;
const S_OFF_B3 = 19;
const S_OFF_P0 = 20;
const S_PARAM_COUNT = 21;
const SLOTS = 22;
const configBlock: usize = memory.data(SLOTS * 8, 16);

export function configBlockPointer(): usize {
  return configBlock;
}

@inline function slot(i: i32): f64 {
  return load<f64>(configBlock + (<usize>i << 3));
}

/** Lays out memory for the configuration in the block; returns 0, or -1 if memory could not grow. */
export function configure(): i32 {
  hidden = <i32>slot(S_HIDDEN);
  steps = <i32>slot(S_STEPS);
  batch = <i32>slot(S_BATCH);
  groups = (batch + LANES - 1) / LANES;
  depths = slot(S_PER_DEPTH) != 0 ? steps : 1;
  pathOffset = <u32>slot(S_FIRST_PATH);
  seedLo = <u32>slot(S_SEED_LO);
  seedHi = <u32>slot(S_SEED_HI);
  driftDt = <f32>slot(S_DRIFT_DT);
  volSqrtDt = <f32>slot(S_VOL_SQRT_DT);
  strike = <f32>slot(S_STRIKE);
  isPut = slot(S_PUT) != 0;
  kappa = <f32>slot(S_COST);
  logMoneyness = slot(S_LOG_MONEYNESS) != 0;
  logStrike = <f32>slot(S_LOG_STRIKE);
  featureScale = <f32>slot(S_FEATURE_SCALE);
  offB1 = <i32>slot(S_OFF_B1);
  offW2 = <i32>slot(S_OFF_W2);
  offB2 = <i32>slot(S_OFF_B2);
  offW3 = <i32>slot(S_OFF_W3);
  offB3 = <i32>slot(S_OFF_B3);
  offP0 = <i32>slot(S_OFF_P0);
  paramCount = <i32>slot(S_PARAM_COUNT);
  tapeStride = 4 * hidden + 2;
  const stepCount = steps;

  const P = <usize>paramCount;
  const G = <usize>groups;
  const N = <usize>steps;
  let at: usize = (__heap_base + 15) & ~<usize>15;
  paramsPtr = at; at = reserve(at, P * 4);
  paramLanesPtr = at; at = reserve(at, P * LANE_BYTES);
  gradPtr = at; at = reserve(at, <usize>depths * P * 4);
  gradAccPtr = at; at = reserve(at, <usize>depths * P * LANE_BYTES);
  tapePtr = at; at = reserve(at, N * <usize>tapeStride * LANE_BYTES);
  depthCurPtr = at; at = reserve(at, N * LANE_BYTES);
  depthNextPtr = at; at = reserve(at, N * LANE_BYTES);
  tauPtr = at; at = reserve(at, N * LANE_BYTES);
  scratchPtr = at; at = reserve(at, 64 + 4096);
  pnlPtr = at; at = reserve(at, G * LANE_BYTES);
  costPtr = at; at = reserve(at, G * LANE_BYTES);
  upstreamPtr = at; at = reserve(at, G * LANE_BYTES);
  deltaPtr = at; at = reserve(at, G * N * LANE_BYTES);
  spotPtr = at; at = reserve(at, G * (N + 1) * LANE_BYTES);

  heapEnd = at;
  if (!ensureMemory(at)) return -1;
  // Padded lanes of the last group must carry no gradient, whatever the host writes.
  memory.fill(upstreamPtr, 0, G * LANE_BYTES);
  for (let k = 0; k < stepCount; k++) {
    store<Lane>(tauPtr + <usize>k * LANE_BYTES, splat(<f32>1 - <f32>k / <f32>stepCount));
  }
  return 0;
}
