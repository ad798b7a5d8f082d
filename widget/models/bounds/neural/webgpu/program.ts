/// <reference types="@webgpu/types" />
// The WGSL program of the neural dual for one configuration: workgroup shapes, buffer layout checked
// against the device's limits, and the prelude of sizes and offsets that completes
// shaders/bounds/neural-dual.wgsl. The tables themselves (setup.ts) are uploaded as the WASM engine's are.
import dualSource from '../../../../../shaders/bounds/neural-dual.wgsl?raw';
import mathSource from '../../../../../shaders/core/math.wgsl?raw';
import philoxSource from '../../../../../shaders/core/philox.wgsl?raw';
import reduceCoreSource from '../../../../../shaders/core/reduce.wgsl?raw';
import partialsSource from '../../../../../shaders/core/partials.wgsl?raw';
import { seedKey } from '../../../../shared/philox.js';
import { adamwSourceWgsl, COLUMN_CHUNK, HISTORY, REDUCE_THREADS, u32 } from '../../../../runtime/webgpu/wgsl.js';
import { dualLayout, type DualLayout } from '../network.js';
import { ATOM_FIELDS, CONST_FIELDS, DATE_FIELDS, type NeuralDualConfig } from '../setup.js';
import { DeviceLimitError, dispatchGrid } from '../../../../runtime/webgpu/resources.js';

/** Threads per workgroup in the training kernel (one path or atom each). */
export const ITEMS_PER_WORKGROUP = 64;

export interface DualPlan {
  layout: DualLayout;
  /** Parameters plus the loss carried through the reduction. */
  px: number;
  workgroups: number;
  grid: [number, number];
  reduceGrid: [number, number];
  iterationsPerSubmit: number;
  offsets: { m: number; v: number; grad: number; consts: number; dates: number; atoms: number; hist: number; sched: number; penalty: number };
  bytes: { state: number; partials: number; misc: number; frames: number };
}

export interface DualPlanOptions {
  iterationsPerSubmit?: number;
}

export function makeDualPlan(config: NeuralDualConfig, limits: GPUSupportedLimits, options: DualPlanOptions = {}): DualPlan {
  const layout = dualLayout(config.hidden);
  const P = layout.count;
  const px = P + 1;
  const s = config.setup;
  const items = config.batch + s.atomsTotal;
  const workgroups = Math.ceil(items / ITEMS_PER_WORKGROUP);
  const perDim = limits.maxComputeWorkgroupsPerDimension;
  const grid = dispatchGrid(workgroups, perDim);
  if (grid[1] > perDim) throw new DeviceLimitError(`batch = ${config.batch} needs ${workgroups} workgroups, more than this device's maxComputeWorkgroupsPerDimension^2`);
  const iterationsPerSubmit = Math.max(1, options.iterationsPerSubmit ?? 8);
  const consts = 0;
  const dates = CONST_FIELDS;
  const atoms = dates + DATE_FIELDS * s.dates;
  const hist = atoms + ATOM_FIELDS * s.atomsTotal;
  const sched = hist + 2 * HISTORY;
  const offsets = { m: P, v: 2 * P, grad: 3 * P, consts, dates, atoms, hist, sched, penalty: sched + 4 * iterationsPerSubmit };
  const bytes = {
    state: 4 * (3 * P + px),
    partials: 4 * px * workgroups,
    misc: 4 * (offsets.penalty + 2 * iterationsPerSubmit),
    frames: 256 * iterationsPerSubmit,
  };
  const maxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes.partials > maxBinding) {
    throw new Error(`the neural dual needs a ${bytes.partials}-byte "partials" buffer (use a smaller batch), more than this device's limit of ${maxBinding}`);
  }
  return { layout, px, workgroups, grid, reduceGrid: dispatchGrid(px, perDim), iterationsPerSubmit, offsets, bytes };
}

/** The complete WGSL source of the neural dual's training program. */
export function dualProgramSource(config: NeuralDualConfig, plan: DualPlan): string {
  const [k0, k1] = seedKey(config.seed);
  const s = config.setup;
  const o = plan.offsets;
  const lines = [
    `// Prelude generated for this configuration by widget/models/bounds/neural/webgpu/program.ts.`,
    `const N: u32 = ${u32(s.dates)};`,
    `const H: u32 = ${u32(config.hidden)};`,
    `const PU: u32 = ${u32(plan.layout.hBase)};`,
    `const P: u32 = ${u32(plan.layout.count)};`,
    `const PX: u32 = ${u32(plan.px)};`,
    `const B: u32 = ${u32(config.batch)};`,
    `const A: u32 = ${u32(s.atomsTotal)};`,
    `const WG: u32 = ${u32(ITEMS_PER_WORKGROUP)};`,
    `const CH: u32 = ${u32(COLUMN_CHUNK)};`,
    `const NWG: u32 = ${u32(plan.workgroups)};`,
    `const GRID_X: u32 = ${u32(plan.grid[0])};`,
    `const REDUCE_GRID_X: u32 = ${u32(plan.reduceGrid[0])};`,
    `const REDUCE_THREADS: u32 = ${u32(REDUCE_THREADS)};`,
    `const KEY0: u32 = ${u32(k0)};`,
    `const KEY1: u32 = ${u32(k1)};`,
    `const PAYOFF_KIND: u32 = ${u32(s.payoffKind)};`,
    `const DATE_FIELDS: u32 = ${u32(DATE_FIELDS)};`,
    `const ATOM_FIELDS: u32 = ${u32(ATOM_FIELDS)};`,
    `const CONST_OFF: u32 = ${u32(o.consts)};`,
    `const DATE_OFF: u32 = ${u32(o.dates)};`,
    `const ATOM_OFF: u32 = ${u32(o.atoms)};`,
    `const OFF_M: u32 = ${u32(o.m)};`,
    `const OFF_V: u32 = ${u32(o.v)};`,
    `const OFF_GRAD: u32 = ${u32(o.grad)};`,
    `const HIST_OFF: u32 = ${u32(o.hist)};`,
    `const SCHED_OFF: u32 = ${u32(o.sched)};`,
    `const PEN_OFF: u32 = ${u32(o.penalty)};`,
  ];
  return [lines.join('\n'), mathSource, philoxSource, adamwSourceWgsl(), reduceCoreSource, partialsSource, dualSource].join('\n');
}
