/// <reference types="@webgpu/types" />
// The entropic solver's WGSL program for one problem: what fits the device, the constant tables (log mu,
// the martingale increments of each level, rounded from f64 once), and the uniform frames of one sweep's
// dispatches, in the order of the WASM sweep.
import entropicSource from '../../../../shaders/bounds/entropic.wgsl?raw';
import { f32, u32 } from '../../../runtime/webgpu/wgsl.js';
import type { Problem } from '../problem.js';

/** Threads per workgroup (a thread per atom or history; 16 measured no faster on SwiftShader). */
const WG = 64;
/** Newton iterations per history, its tolerance and the largest move in W, as in assembly/bounds/. */
const NEWTON_STEPS = 8;
const NEWTON_TOLERANCE = 1e-9;
const MAX_W_STEP = 30;
/** log mu of an atom of no mass (f32 has no safe -inf): its paths' W falls by this much, mass 0. */
const LOG_MASS_FLOOR = -1e4;
/** u32 words of a frame (shaders/bounds/entropic.wgsl, struct Frame), and its bytes. */
const FRAME_WORDS = 28;
export const FRAME_SIZE = 4 * FRAME_WORDS;

export function entropicProgramSource(): string {
  return [
    `const WG: u32 = ${u32(WG)};`,
    `const NEWTON_STEPS: u32 = ${u32(NEWTON_STEPS)};`,
    `const NEWTON_TOLERANCE: f32 = ${f32(NEWTON_TOLERANCE)};`,
    `const MAX_W_STEP: f32 = ${f32(MAX_W_STEP)};`,
    entropicSource,
  ].join('\n');
}

/** Sizes of a problem, all its layout needs. */
export type Shape = Pick<Problem, 'sizes' | 'below' | 'prefixes' | 'cells'>;

/** Throws unless the problem fits the device: its largest buffers hold an f32 per path. */
export function checkGpuFits(s: Shape, limits: GPUSupportedLimits): void {
  const bytes = 4 * s.cells;
  const most = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > most) {
    throw new Error(`backend = "webgpu" cannot take ${s.cells.toLocaleString('en-US')} paths here: ${bytes}-byte buffers, this device's limit is ${most}. Use backend = "auto" or "wasm".`);
  }
}

export interface EntropicPlan {
  atoms: number;
  histories: number;
  /** log mu per atom, then x_{i+1} - x_i per (atom of date i, atom of date i+1) for each level. */
  consts: Float32Array<ArrayBuffer>;
  /** One sweep's dispatches: kernel, workgroup grid and frame (the reduce frame's slot and tolerance set per use). */
  dispatches: { kernel: 'martingale' | 'marginal' | 'reduce'; grid: [number, number]; frame: ArrayBuffer }[];
}

/** Workgroups for a thread per group, in 2D past the per-dimension limit. */
function grid(groups: number, perDim: number): [number, number] {
  const workgroups = Math.ceil(groups / WG);
  const y = Math.ceil(workgroups / perDim);
  return [Math.ceil(workgroups / y), y];
}

export function entropicPlan(p: Problem, limits: GPUSupportedLimits): EntropicPlan {
  checkGpuFits(p, limits);
  const n = p.sizes.length;
  const atomOff: number[] = [];
  const hOff: number[] = [];
  const dxOff: number[] = [];
  let atoms = 0;
  let histories = 0;
  let dx = 0;
  for (let i = 0; i < n; i++) {
    atomOff.push(atoms);
    atoms += p.sizes[i];
    hOff.push(histories);
    dxOff.push(dx);
    if (i < n - 1) {
      histories += p.prefixes[i + 1];
      dx += p.sizes[i] * p.sizes[i + 1];
    }
  }
  const consts = new Float32Array(atoms + dx);
  p.marginals.forEach((m, i) => {
    m.weights.forEach((v, a) => (consts[atomOff[i] + a] = Math.max(Math.log(v), LOG_MASS_FLOOR)));
    if (i < n - 1) {
      const next = p.marginals[i + 1].atoms;
      m.atoms.forEach((x, a) => next.forEach((y, j) => (consts[atoms + dxOff[i] + a * next.length + j] = y - x)));
    }
  });
  const perDim = limits.maxComputeWorkgroupsPerDimension;
  const frame = (groups: number, words: number[]) => {
    const g = grid(groups, perDim);
    const buf = new ArrayBuffer(FRAME_SIZE);
    new Uint32Array(buf).set([...words, g[0]]);
    return { grid: g, frame: buf };
  };
  const dispatches: EntropicPlan['dispatches'] = [];
  for (let i = 0; i < n - 1; i++) {
    const m = p.sizes[i + 1];
    dispatches.push({ kernel: 'martingale', ...frame(p.prefixes[i + 1], [m, p.below[i + 1], 0, p.prefixes[i + 1], atoms + hOff[i], p.sizes[i], atoms + dxOff[i]]) });
  }
  for (let i = 0; i < n; i++) {
    const m = p.sizes[i];
    dispatches.push({ kernel: 'marginal', ...frame(m, [m, p.below[i], p.cells / (m * p.below[i]), m, atomOff[i], 0, 0]) });
  }
  const reduce = frame(1, [0, 0, 0, 0, 0, 0, 0]);
  const words = new Uint32Array(reduce.frame);
  words[9] = n;
  words.set([...atomOff, atoms, atoms + histories], 12);
  dispatches.push({ kernel: 'reduce', ...reduce });
  return { atoms, histories, consts, dispatches };
}

/** The reduce frame of sweep slot `slot`: done once max(marginal, martingale invScale) < threshold. */
export function reduceFrame(base: ArrayBuffer, slot: number, threshold: number, invScale: number): ArrayBuffer {
  const out = base.slice(0);
  new Uint32Array(out)[8] = slot;
  new Float32Array(out).set([threshold, invScale], 10);
  return out;
}
