/// <reference types="@webgpu/types" />
// The WGSL program for one configuration: workgroup shapes, buffer sizes checked against the device's
// limits, and the constants prelude that completes the kernels of shaders/hedging/ (with shaders/core/).
import type { HedgerConfig } from '../config.js';
import { paramLayout, spotFeature, type ParamLayout } from '../network.js';
import { seedKey } from '../../../shared/philox.js';
import bindingsSource from '../../../../shaders/hedging/bindings.wgsl?raw';
import gradientSumsSource from '../../../../shaders/hedging/gradient-sums.wgsl?raw';
import kernelsSource from '../../../../shaders/hedging/kernels.wgsl?raw';
import pathSource from '../../../../shaders/hedging/path.wgsl?raw';
import reduceSource from '../../../../shaders/hedging/reduce.wgsl?raw';
import statsSource from '../../../../shaders/hedging/stats.wgsl?raw';
import mathSource from '../../../../shaders/core/math.wgsl?raw';
import networkSource from '../../../../shaders/core/network.wgsl?raw';
import philoxSource from '../../../../shaders/core/philox.wgsl?raw';
import reduceCoreSource from '../../../../shaders/core/reduce.wgsl?raw';
import { gbmStep } from '../market.js';
import { learnsPremium as learnsPremiumOf, varRank } from '../risk.js';
import { unitConfig } from '../units.js';
import { adamwSourceWgsl, f32, HISTORY, REDUCE_THREADS, u32 } from '../../../runtime/webgpu/wgsl.js';
import { DeviceLimitError, dispatchGrid } from '../../../runtime/webgpu/resources.js';

/** Paths per workgroup (one thread each) in the forward and backward kernels. */
export const PATHS_PER_WORKGROUP = 64;
/** Threads of the statistics kernel (one workgroup). */
export const STATS_THREADS = 256;
/** Floats of the statistics block at the start of `misc`. */
const STATS_FLOATS = 16;

export const RISK_CODE = { mse: 0, entropic: 1, cvar: 2, 'mean-sd': 3 } as const;

export interface Plan {
  layout: ParamLayout;
  /** Parameters plus the two loss sums carried through the reduction. */
  px: number;
  depths: number;
  batch: number;
  workgroups: number;
  /** Dispatch grid of the path kernels (x * y >= workgroups, each <= maxComputeWorkgroupsPerDimension). */
  grid: [number, number];
  reduceGrid: [number, number];
  /** Paths staged in workgroup memory at once. */
  sub: number;
  row: number;
  /** Gradient tiles (4 x 4 sums) each thread owns in the backward kernel. */
  tileSlots: number;
  paramsInWorkgroup: boolean;
  /**
   * The second hidden layer's activations of every path and step are kept in device memory (the
   * "tape" buffer) for the backward pass, when that buffer fits the device's limits; else the backward
   * pass recomputes them.
   */
  tape: boolean;
  /** Iterations encoded per queue submission. */
  iterationsPerSubmit: number;
  /** Optimiser steps the schedule holds (iterationsPerSubmit * depths). */
  schedCapacity: number;
  offsets: { m: number; v: number; grad: number; stats: number; hist: number; tau: number; sched: number };
  bytes: { state: number; partials: number; y: number; misc: number; frames: number; tape: number };
  /** Bytes of workgroup memory the backward kernel declares. */
  workgroupBytes: number;
  /** Bytes of private memory per thread (tape and accumulators), a figure for the report. */
  privateBytes: number;
}

export interface PlanOptions {
  /** false: no activation tape in device memory, the backward pass recomputes both hidden layers. */
  tape?: boolean;
  /** Override maxComputeWorkgroupsPerDimension (tests of the 2-D dispatch). */
  maxWorkgroupsPerDimension?: number;
  iterationsPerSubmit?: number;
}

export function makePlan(config: HedgerConfig, limits: GPUSupportedLimits, options: PlanOptions = {}): Plan {
  const layout = paramLayout(config.hidden);
  const H = config.hidden;
  const N = config.steps;
  const P = layout.count;
  const px = P + 2;
  const depths = config.bptt === 'per-depth' ? N : 1;
  const WG = PATHS_PER_WORKGROUP;
  const batch = config.batch;
  const workgroups = Math.ceil(batch / WG);
  const perDim = Math.min(options.maxWorkgroupsPerDimension ?? Infinity, limits.maxComputeWorkgroupsPerDimension);
  const grid = dispatchGrid(workgroups, perDim);
  if (grid[1] > perDim) {
    throw new DeviceLimitError(
      `batch = ${batch} needs ${workgroups} workgroups, more than maxComputeWorkgroupsPerDimension^2 = ${perDim}^2 on this device`,
    );
  }
  const reduceGrid = dispatchGrid(px, perDim);
  const row = 4 * H + 8;
  const wgLimit = limits.maxComputeWorkgroupStorageSize;
  const paramBytes = 4 * P;
  // Parameters in workgroup memory when they leave room for at least half a workgroup of staged rows.
  const paramsInWorkgroup = paramBytes + (WG / 2) * row * 4 <= wgLimit;
  const room = wgLimit - (paramsInWorkgroup ? paramBytes : 0);
  let sub = WG;
  while (sub > 1 && sub * row * 4 > room) sub >>= 1;
  if (sub * row * 4 > room) {
    throw new DeviceLimitError(
      `hidden = ${H} needs ${row * 4} bytes of workgroup memory per staged path; maxComputeWorkgroupStorageSize is ${wgLimit}`,
    );
  }
  const workgroupBytes = sub * row * 4 + (paramsInWorkgroup ? paramBytes : 0);
  const T4 = H / 4;
  const tiles = T4 * T4 + 3 * T4 + 1;
  const tileSlots = Math.ceil(tiles / WG);
  const iterationsPerSubmit = Math.max(1, options.iterationsPerSubmit ?? 8);
  const schedCapacity = iterationsPerSubmit * depths;

  const offsets = {
    m: P,
    v: 2 * P,
    grad: 3 * P,
    stats: 0,
    hist: STATS_FLOATS,
    tau: STATS_FLOATS + 2 * HISTORY,
    sched: 0,
  };
  offsets.sched = offsets.tau + N + ((4 - (N % 4)) % 4);
  const bytes = {
    state: 4 * (3 * P + depths * px),
    partials: 4 * depths * px * workgroups,
    y: 4 * (config.risk === 'mse' ? 4 : batch),
    misc: 4 * (offsets.sched + 4 * schedCapacity),
    frames: 256 * iterationsPerSubmit,
    tape: 0,
  };
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const tapeBytes = 4 * batch * N * H;
  const tape = (options.tape ?? true) && tapeBytes <= maxBinding;
  for (const [name, size] of [['partials', bytes.partials], ['y', bytes.y], ['state', bytes.state], ['misc', bytes.misc]] as const) {
    if (size > maxBinding) {
      const hint = name === 'partials'
        ? ` (${depths} depth(s) x ${px} sums x ${workgroups} workgroups; use a smaller batch${depths > 1 ? ' or bptt = "full"' : ''})`
        : '';
      throw new DeviceLimitError(
        `this configuration needs a ${size}-byte "${name}" buffer${hint}, more than this device's maxStorageBufferBindingSize = ${limits.maxStorageBufferBindingSize}` +
          (limits.maxBufferSize < limits.maxStorageBufferBindingSize ? ` / maxBufferSize = ${limits.maxBufferSize}` : ''),
      );
    }
  }
  bytes.tape = tape ? tapeBytes : 16;
  // spot, spot input, hedge, activations and their gradients, per-depth carries, tile sums.
  const privateBytes = 4 * ((N + 1) + 2 * N + 4 * H + 1 + (depths > 1 ? 2 * N : 0) + 16 * tileSlots);
  return {
    layout, px, depths, batch, workgroups, grid, reduceGrid, sub, row, tileSlots, paramsInWorkgroup, tape,
    iterationsPerSubmit, schedCapacity, offsets, bytes, workgroupBytes, privateBytes,
  };
}

/** Host-side numbers the kernels use, rounded to f32 exactly once (as the WASM engine's host does). */
export function marketConstants(config: HedgerConfig): { driftDt: number; volSqrtDt: number } {
  const { driftDt, volSqrtDt } = gbmStep(config);
  return { driftDt: Math.fround(driftDt), volSqrtDt: Math.fround(volSqrtDt) };
}

/** tau_k = 1 - k/N in f32 arithmetic, as the AssemblyScript kernel computes it. */
export function tauTable(steps: number): Float32Array<ArrayBuffer> {
  const t = new Float32Array(steps);
  for (let k = 0; k < steps; k++) t[k] = Math.fround(1 - Math.fround(k / steps));
  return t;
}

export function cvarRank(config: HedgerConfig): number {
  return varRank(config.cvarLevel, config.batch);
}

/** The complete WGSL source of the training program (on the unit scale, as the engines simulate). */
export function programSource(input: HedgerConfig, plan: Plan): string {
  const config = unitConfig(input);
  const L = plan.layout;
  const [k0, k1] = seedKey(config.seed);
  const { driftDt, volSqrtDt } = marketConstants(config);
  const B = config.batch;
  const learnsPremium = learnsPremiumOf(config);
  const feature = spotFeature(config);
  const lines = [
    `// Prelude generated for this configuration by widget/models/hedging/webgpu/program.ts.`,
    `const H: u32 = ${u32(config.hidden)};`,
    `const N: u32 = ${u32(config.steps)};`,
    `const B: u32 = ${u32(B)};`,
    `const FB: f32 = ${f32(B)};`,
    `const INV_B: f32 = ${f32(1 / B)};`,
    `const WG: u32 = ${u32(PATHS_PER_WORKGROUP)};`,
    `const SUB: u32 = ${u32(plan.sub)};`,
    `const ROW: u32 = ${u32(plan.row)};`,
    `const P: u32 = ${u32(L.count)};`,
    `const PX: u32 = ${u32(plan.px)};`,
    `const NSLOT: u32 = ${u32(plan.tileSlots)};`,
    `const DEPTHS: u32 = ${u32(plan.depths)};`,
    `const PER_DEPTH: bool = ${plan.depths > 1};`,
    `const TAPE: bool = ${plan.tape};`,
    `const NWG: u32 = ${u32(plan.workgroups)};`,
    `const GRID_X: u32 = ${u32(plan.grid[0])};`,
    `const REDUCE_GRID_X: u32 = ${u32(plan.reduceGrid[0])};`,
    `const RISK: u32 = ${u32(RISK_CODE[config.risk])};`,
    `const STREAM: u32 = 0u;`,
    `const KEY0: u32 = ${u32(k0)};`,
    `const KEY1: u32 = ${u32(k1)};`,
    `const DRIFT_DT: f32 = ${f32(driftDt)};`,
    `const VOL_SQRT_DT: f32 = ${f32(volSqrtDt)};`,
    `const STRIKE: f32 = ${f32(config.strike)};`,
    `const IS_PUT: bool = ${config.option === 'put'};`,
    `const KAPPA: f32 = ${f32(config.cost)};`,
    `const LOG_MONEYNESS: bool = ${feature.logMoneyness};`,
    `const LOG_STRIKE: f32 = ${f32(feature.logStrike)};`,
    `const FEATURE_SCALE: f32 = ${f32(feature.scale)};`,
    `const LEARNS_PREMIUM: bool = ${learnsPremium};`,
    `const MSE_SCALE: f32 = ${f32(2 / B)};`,
    `const RISK_A: f32 = ${f32(config.riskAversion)};`,
    `const CVAR_K: u32 = ${u32(cvarRank(config))};`,
    `const TAIL_W: f32 = ${f32(1 / ((1 - config.cvarLevel) * B))};`,
    `const SD_C: f32 = ${f32(config.sdWeight)};`,
    `const OFF_B1: u32 = ${u32(L.b1)};`,
    `const OFF_W2: u32 = ${u32(L.w2)};`,
    `const OFF_B2: u32 = ${u32(L.b2)};`,
    `const OFF_W3: u32 = ${u32(L.w3)};`,
    `const OFF_B3: u32 = ${u32(L.b3)};`,
    `const OFF_P0: u32 = ${u32(L.p0)};`,
    `const OFF_M: u32 = ${u32(plan.offsets.m)};`,
    `const OFF_V: u32 = ${u32(plan.offsets.v)};`,
    `const OFF_GRAD: u32 = ${u32(plan.offsets.grad)};`,
    `const STATS_OFF: u32 = ${u32(plan.offsets.stats)};`,
    `const HIST_OFF: u32 = ${u32(plan.offsets.hist)};`,
    `const TAU_OFF: u32 = ${u32(plan.offsets.tau)};`,
    `const SCHED_OFF: u32 = ${u32(plan.offsets.sched)};`,
    `const REDUCE_THREADS: u32 = ${u32(REDUCE_THREADS)};`,
    `const STATS_THREADS: u32 = ${u32(STATS_THREADS)};`,
  ];
  if (plan.paramsInWorkgroup) {
    lines.push(
      `var<workgroup> wparams: array<f32, P>;`,
      `fn loadParams(lid: u32) { for (var i = lid; i < P; i += WG) { wparams[i] = state[i]; } }`,
      `fn prm(i: u32) -> f32 { return wparams[i]; }`,
    );
  } else {
    lines.push(`fn loadParams(lid: u32) {}`, `fn prm(i: u32) -> f32 { return state[i]; }`);
  }
  // The two H-term dot products of the hidden layer's matrix, unrolled over the private-array index so
  // that h1[i] and dz2[j] are loads at fixed offsets (SwiftShader gathers at computed ones); the matrix
  // index stays a loop variable, and the sums keep the AssemblyScript engine's order.
  const H = config.hidden;
  const w2Row = [`fn w2RowDot(row: u32, a0: f32) -> f32 {`, `  var a = a0;`];
  const w2Col = [`fn w2ColDot(i: u32) -> f32 {`, `  var a = 0.0;`];
  for (let t = 0; t < H; t++) {
    w2Row.push(`  a = prm(row + ${t}u) * h1[${t}] + a;`);
    w2Col.push(`  a = dz2[${t}] * prm(OFF_W2 + ${t * H}u + i) + a;`);
  }
  w2Row.push(`  return a;`, `}`);
  w2Col.push(`  return a;`, `}`);
  lines.push(...w2Row, ...w2Col);
  return [
    lines.join('\n'), mathSource, philoxSource, adamwSourceWgsl(), reduceCoreSource, networkSource,
    bindingsSource, pathSource, gradientSumsSource, kernelsSource, reduceSource, statsSource,
  ].join('\n');
}

/**
 * f32 operations of one training path-step (one path advanced one step, forward and backward, full
 * BPTT), counting a multiply-add as 2 and the polynomial exp, log, sin/cos and tanh by their arithmetic.
 * Philox's integer work (about 100 32-bit operations a step) is not counted.
 */
export function flopsPerPathStep(config: HedgerConfig, plan?: Plan): { flops: number; detail: string } {
  const H = config.hidden;
  // Forward evaluations: (forward kernel, risk != mse) + the backward kernel's own forward pass.
  const passes = config.risk === 'mse' ? 1 : 2;
  const net = 2 * (3 * H + H * H + H) + 2 * H + 24; // one network step (+ReLU and tanh's polynomial)
  const market = 45; // uniforms, Box-Muller (log, sqrt, sin/cos polynomials) per normal, GBM's exp and product
  const pnl = 8;
  // The backward step recomputes the first hidden layer (the second's activations and the hedge are on
  // the tape; without the tape buffer, both layers).
  const hidden = 2 * (3 * H) + H + (plan?.tape === false ? 2 * H * H + H : 0);
  const back = 2 * (H * H + 2 * H) + 4 * H + 6; // dz3, dz2, dh1, dz1, r
  // Gradient sums as executed: 4 x 4 tiles of products (see shaders/hedging/gradient-sums.wgsl), some products unused.
  const T4 = H / 4;
  const grads = 2 * 16 * (T4 * T4 + 3 * T4 + 1);
  const useful = 2 * (H * H + 6 * H + 4);
  const flops = passes * (net + market + pnl) + hidden + back + grads;
  return {
    flops,
    detail: `${passes} forward evaluation${passes > 1 ? 's' : ''} of ${net + market + pnl}, hidden-layer recompute ${hidden}, backward ${back}, gradient sums ${grads} (${useful} of them needed)`,
  };
}

/** Bytes of device memory (storage buffers) read and written per path-step, not counting private memory. */
export function bytesPerPathStep(config: HedgerConfig, plan: Plan): number {
  // Per path: y written and read (non-mse), partials written per workgroup and read once.
  const yBytes = config.risk === 'mse' ? 0 : 4 * 2 + 4 * 6; // forward write, backward read, stats passes
  const partialBytes = (2 * 4 * plan.depths * plan.px) / PATHS_PER_WORKGROUP;
  // The tape: the second hidden layer written once, read once per depth.
  const tapeBytes = plan.tape ? 4 * config.hidden * config.steps * (1 + (plan.depths > 1 ? (config.steps + 1) / 2 : 1)) : 0;
  return (yBytes + partialBytes + tapeBytes) / config.steps;
}
