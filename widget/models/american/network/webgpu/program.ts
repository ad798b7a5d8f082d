/// <reference types="@webgpu/types" />
// The WGSL program of the American value network for one configuration: workgroup shapes, buffer sizes
// checked against the device's limits, and the constants prelude that completes
// shaders/american/value-network.wgsl, every constant rounded to f32 as the WASM engine's vnConfigure does.
import { seedKey } from '../../../../shared/philox.js';
import valueSource from '../../../../../shaders/american/value-network.wgsl?raw';
import mathSource from '../../../../../shaders/core/math.wgsl?raw';
import philoxSource from '../../../../../shaders/core/philox.wgsl?raw';
import reduceCoreSource from '../../../../../shaders/core/reduce.wgsl?raw';
import partialsSource from '../../../../../shaders/core/partials.wgsl?raw';
import { adamwSourceWgsl, COLUMN_CHUNK, f32, HISTORY, REDUCE_THREADS, u32 } from '../../../../runtime/webgpu/wgsl.js';
import type { AmericanConfig } from '../../config.js';
import { networkDates, transitionsPerIteration, valueLayout, type ValueLayout } from '../network.js';
import { DeviceLimitError, dispatchGrid } from '../../../../runtime/webgpu/resources.js';

/** Paths per workgroup (one thread each) in the training kernel. */
export const PATHS_PER_WORKGROUP = 64;

export interface ValuePlan {
  layout: ValueLayout;
  /** Parameters plus the loss sum carried through the reduction. */
  px: number;
  dates: number;
  batch: number;
  workgroups: number;
  grid: [number, number];
  reduceGrid: [number, number];
  iterationsPerSubmit: number;
  offsets: { m: number; v: number; target: number; grad: number; tau: number; hist: number; sched: number };
  bytes: { state: number; partials: number; misc: number; frames: number };
}

export interface ValuePlanOptions {
  iterationsPerSubmit?: number;
}

export function makeValuePlan(config: AmericanConfig, limits: GPUSupportedLimits, options: ValuePlanOptions = {}): ValuePlan {
  const layout = valueLayout(config.hidden);
  const P = layout.count;
  const px = P + 1;
  const M = networkDates(config);
  const batch = config.batch;
  const workgroups = Math.ceil(batch / PATHS_PER_WORKGROUP);
  const perDim = limits.maxComputeWorkgroupsPerDimension;
  const grid = dispatchGrid(workgroups, perDim);
  if (grid[1] > perDim) {
    throw new DeviceLimitError(`batch = ${batch} needs ${workgroups} workgroups, more than this device's maxComputeWorkgroupsPerDimension^2`);
  }
  const reduceGrid = dispatchGrid(px, perDim);
  const iterationsPerSubmit = Math.max(1, options.iterationsPerSubmit ?? 8);
  const hist = M + 1 + ((4 - ((M + 1) % 4)) % 4);
  const offsets = { m: P, v: 2 * P, target: 3 * P, grad: 4 * P, tau: 0, hist, sched: hist + 2 * HISTORY };
  const bytes = {
    state: 4 * (4 * P + px),
    partials: 4 * px * workgroups,
    misc: 4 * (offsets.sched + 4 * iterationsPerSubmit),
    frames: 256 * iterationsPerSubmit,
  };
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes.partials > maxBinding) {
    throw new DeviceLimitError(
      `this configuration needs a ${bytes.partials}-byte "partials" buffer (${px} sums x ${workgroups} workgroups; use a smaller batch), more than this device's limit of ${maxBinding}`,
    );
  }
  const wgBytes = 4 * (COLUMN_CHUNK * PATHS_PER_WORKGROUP + REDUCE_THREADS);
  if (wgBytes > limits.maxComputeWorkgroupStorageSize) {
    throw new DeviceLimitError(`the value network's kernels need ${wgBytes} bytes of workgroup memory; this device has ${limits.maxComputeWorkgroupStorageSize}`);
  }
  return { layout, px, dates: M, batch, workgroups, grid, reduceGrid, iterationsPerSubmit, offsets, bytes };
}

/** tau_m = 1 - m/M in f32 arithmetic, m = 0..M, as the AssemblyScript kernel computes it. */
export function valueTauTable(dates: number): Float32Array<ArrayBuffer> {
  const t = new Float32Array(dates + 1);
  for (let m = 0; m <= dates; m++) t[m] = Math.fround(1 - Math.fround(m / dates));
  return t;
}

/** The complete WGSL source of the value network's training program. */
export function valueProgramSource(c: AmericanConfig, plan: ValuePlan): string {
  const L = plan.layout;
  const [k0, k1] = seedKey(c.seed);
  const M = plan.dates;
  const dt = c.maturity / M;
  const transitions = transitionsPerIteration(c);
  const fr = Math.fround;
  const lines = [
    `// Prelude generated for this configuration by widget/models/american/network/webgpu/program.ts.`,
    `const H: u32 = ${u32(c.hidden)};`,
    `const M: u32 = ${u32(M)};`,
    `const B: u32 = ${u32(plan.batch)};`,
    `const P: u32 = ${u32(L.count)};`,
    `const PX: u32 = ${u32(plan.px)};`,
    `const WG: u32 = ${u32(PATHS_PER_WORKGROUP)};`,
    `const CH: u32 = ${u32(COLUMN_CHUNK)};`,
    `const NWG: u32 = ${u32(plan.workgroups)};`,
    `const GRID_X: u32 = ${u32(plan.grid[0])};`,
    `const REDUCE_GRID_X: u32 = ${u32(plan.reduceGrid[0])};`,
    `const REDUCE_THREADS: u32 = ${u32(REDUCE_THREADS)};`,
    `const KEY0: u32 = ${u32(k0)};`,
    `const KEY1: u32 = ${u32(k1)};`,
    `const LOG2E_AS: f32 = ${f32(1.44269504)};`,
    `const SPOT0: f32 = ${f32(c.spot)};`,
    `const STRIKE: f32 = ${f32(c.strike)};`,
    `const INV_STRIKE: f32 = ${f32(1 / c.strike)};`,
    `const IS_PUT: bool = ${c.option === 'put'};`,
    `const DRIFT_DT: f32 = ${f32((c.rate - c.dividend - 0.5 * c.volatility * c.volatility) * dt)};`,
    `const VOL_SQRT_DT: f32 = ${f32(c.volatility * Math.sqrt(dt))};`,
    `const DISC: f32 = ${f32(Math.exp(-c.rate * dt))};`,
    `const CARRY: f32 = ${f32(Math.exp(-c.dividend * dt))};`,
    `const INV_SCALE: f32 = ${f32(1 / (c.volatility * Math.sqrt(c.maturity)))};`,
    `const STEP_UP: f32 = ${f32(Math.exp(c.volatility * Math.sqrt(dt)))};`,
    `const STEP_DOWN: f32 = ${f32(Math.exp(-c.volatility * Math.sqrt(dt)))};`,
    `const STEP_X: f32 = ${f32(Math.sqrt(dt / c.maturity))};`,
    `const UP: f32 = ${f32(fr(fr(2 / transitions) * fr(c.strike)))};`,
    `const INV_T: f32 = ${f32(1 / transitions)};`,
    `const OFF_B1: u32 = ${u32(L.b1)};`,
    `const OFF_W2: u32 = ${u32(L.w2)};`,
    `const OFF_B2: u32 = ${u32(L.b2)};`,
    `const OFF_W3: u32 = ${u32(L.w3)};`,
    `const OFF_B3: u32 = ${u32(L.b3)};`,
    `const OFF_M: u32 = ${u32(plan.offsets.m)};`,
    `const OFF_V: u32 = ${u32(plan.offsets.v)};`,
    `const OFF_T: u32 = ${u32(plan.offsets.target)};`,
    `const OFF_GRAD: u32 = ${u32(plan.offsets.grad)};`,
    `const TAU_OFF: u32 = ${u32(plan.offsets.tau)};`,
    `const HIST_OFF: u32 = ${u32(plan.offsets.hist)};`,
    `const SCHED_OFF: u32 = ${u32(plan.offsets.sched)};`,
  ];
  return [lines.join('\n'), mathSource, philoxSource, adamwSourceWgsl(), reduceCoreSource, partialsSource, valueSource].join('\n');
}
