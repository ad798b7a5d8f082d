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


/** Lays out memory for one configuration; returns 0, or -1 if memory could not grow. */
export function configure(
  hiddenUnits: i32, stepCount: i32, batchSize: i32, firstPath: u32, lo: u32, hi: u32,
  driftPerStep: f32, volPerStep: f32, strikePrice: f32, put: bool, costRate: f32, perDepth: bool,
  logMoneynessInput: bool, lnStrike: f32, inputScale: f32,
): i32 {
  hidden = hiddenUnits;
  steps = stepCount;
  batch = batchSize;
  groups = (batchSize + LANES - 1) / LANES;
  depths = perDepth ? stepCount : 1;
  pathOffset = firstPath;
  seedLo = lo;
  seedHi = hi;
  driftDt = driftPerStep;
  volSqrtDt = volPerStep;
  strike = strikePrice;
  isPut = put;
  kappa = costRate;
  logMoneyness = logMoneynessInput;
  logStrike = lnStrike;
  featureScale = inputScale;

  const H = hidden;
  offB1 = 3 * H;
  offW2 = 4 * H;
  offB2 = 4 * H + H * H;
  offW3 = 5 * H + H * H;
  offB3 = 6 * H + H * H;
  offP0 = offB3 + 1;
  paramCount = offP0 + 1;
  tapeStride = 4 * H + 2;

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
