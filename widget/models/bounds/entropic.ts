// Driver of the entropic solver (assembly/bounds/, its own WASM module): epsilon annealed geometrically
// from the payoff's scale down to `epsilon` times it, sweeps within each stage until the marginal and
// martingale violations are small for that epsilon, and at each stage's end a rounded (feasible) dual,
// whose cost is a valid bound, against the entropic plan's E[f]: their difference is the duality gap.
import { DeviceLostError, type BackendName } from '../../runtime/training/engine.js';
import { selectEngine, type BackendChoice } from '../../runtime/training/select.js';
import { decodeBase64 } from '../../runtime/wasm/module.js';
import { sharedGpu, type GpuContext } from '../../runtime/webgpu/device.js';
import { BOUNDS_WASM_BASE64 } from './generated/bounds-binary.js';
import type { Problem, Strategy } from './problem.js';
import type { InstanceArrays, StageTolerance, SweepEngine, Violations } from './sweep-engine.js';
import { createGpuSweeps } from './webgpu/sweeps.js';
import { checkGpuFits } from './webgpu/program.js';

export interface EntropicProgress {
  side: 1 | -1;
  stage: number;
  sweep: number;
  epsilon: number;
  marginalError: number;
  martingaleError: number;
  /** At the end of a stage: the rounded dual's cost (a valid bound) and the plan's E[f]. */
  bound?: number;
  primal?: number;
}

export interface EntropicSide {
  value: number;
  primal: number;
  gap: number;
  strategy: Strategy;
  marginalError: number;
  martingaleError: number;
  sweeps: number;
  coupling: Float64Array;
  /** The engine that ran the sweeps (wasm after a lost GPU device). */
  backend: BackendName;
}

/** Paths above which the entropic solver is refused (its working set is 3 f64 per path). */
export const ENTROPIC_MAX_CELLS = 20_000_000;
/** Each stage divides epsilon by this. */
const ANNEAL = 4;
/** Sweeps at most per stage (the last stage may use up to four times as many). */
const STAGE_SWEEPS = 150;
/** A stage ends when both violations fall below this times epsilon (relative to the payoff scale). */
const STAGE_TOLERANCE = 0.05;

/**
 * The payoff's standard deviation under the product of the marginals: epsilon is relative to it, not to
 * the range, which atoms of negligible mass far in the tails can blow up.
 */
export function payoffScale(p: Problem): number {
  const n = p.sizes.length;
  let m1 = 0;
  let m2 = 0;
  const k = new Int32Array(n);
  for (let c = 0; c < p.cells; c++) {
    let w = 1;
    for (let i = 0; i < n; i++) w *= p.marginals[i].weights[k[i]];
    m1 += w * p.payoff[c];
    m2 += w * p.payoff[c] * p.payoff[c];
    for (let i = n - 1; i >= 0 && ++k[i] === p.sizes[i]; i--) k[i] = 0;
  }
  return Math.max(Math.sqrt(Math.max(m2 - m1 * m1, 0)), 1e-12 * (Math.abs(m1) + 1));
}

let compiled: WebAssembly.Module | null = null;

function moduleOf(): WebAssembly.Module {
  if (!compiled) {
    compiled = new WebAssembly.Module(decodeBase64(BOUNDS_WASM_BASE64));
  }
  return compiled;
}

interface Exports {
  memory: WebAssembly.Memory;
  reserve(bytes: number): number;
  setup(...args: number[]): void;
  sweep(): void;
  setEpsilon(e: number): void;
  primal(): void;
  roundDual(): number;
  marginalError: WebAssembly.Global;
  martingaleError: WebAssembly.Global;
}

/** One instance of the solver's module with the problem of one side loaded (F = side * f). */
function instantiate(p: Problem, side: 1 | -1) {
  const x = new WebAssembly.Instance(moduleOf(), { env: { abort: () => { throw new Error('bounds.wasm aborted'); } } }).exports as unknown as Exports;
  const n = p.sizes.length;
  const atomsTotal = p.sizes.reduce((s, m) => s + m, 0);
  const histories = p.prefixes.slice(1, n).reduce((s, c) => s + c, 0);
  const maxSize = Math.max(...p.sizes);
  const i32 = (len: number) => x.reserve(4 * len);
  const f64 = (len: number) => x.reserve(8 * Math.max(len, 1));
  const ptr = {
    sizes: i32(n), below: i32(n), atomOff: i32(n), hOff: i32(n),
    atoms: f64(atomsTotal), logMu: f64(atomsTotal), psi: f64(atomsTotal), rounded: f64(atomsTotal), h: f64(histories),
    f: f64(p.cells), w: f64(p.cells), r: f64(p.cells), a: f64(3 * maxSize + 2),
  };
  if (Object.values(ptr).some((v) => v === 0)) throw new Error(`the entropic solver could not reserve memory for ${p.cells} paths`);
  const mem = x.memory.buffer;
  const atomOff: number[] = [];
  const hOff: number[] = [];
  for (let i = 0, o = 0, h = 0; i < n; i++) {
    atomOff.push(o);
    o += p.sizes[i];
    hOff.push(h);
    if (i < n - 1) h += p.prefixes[i + 1];
  }
  new Int32Array(mem, ptr.sizes, n).set(p.sizes);
  new Int32Array(mem, ptr.below, n).set(p.below);
  new Int32Array(mem, ptr.atomOff, n).set(atomOff);
  new Int32Array(mem, ptr.hOff, n).set(hOff);
  const atoms = new Float64Array(mem, ptr.atoms, atomsTotal);
  const logMu = new Float64Array(mem, ptr.logMu, atomsTotal);
  p.marginals.forEach((m, i) => {
    atoms.set(m.atoms, atomOff[i]);
    logMu.set(Array.from(m.weights, Math.log), atomOff[i]);
  });
  const f = new Float64Array(mem, ptr.f, p.cells);
  for (let c = 0; c < p.cells; c++) f[c] = side * p.payoff[c];
  x.setup(n, p.cells, ptr.sizes, ptr.below, ptr.atomOff, ptr.hOff, ptr.atoms, ptr.logMu, ptr.psi, ptr.rounded, ptr.h, ptr.f, ptr.w, ptr.r, ptr.a);
  /** The rounded dual (after roundDual) as the side's strategy: a super-replication of side * f, signs undone. */
  const roundedStrategy = (): Strategy => {
    const buf = x.memory.buffer;
    const rounded = new Float64Array(buf, ptr.rounded, atomsTotal);
    const h = new Float64Array(buf, ptr.h, Math.max(histories, 1));
    return {
      // The solver maximises side * f: for the lower bound its super-replication of -f is a sub-replication of f.
      u: p.sizes.map((m, i) => Float64Array.from(rounded.subarray(atomOff[i], atomOff[i] + m), (v) => side * v)),
      h: p.sizes.slice(0, n - 1).map((_, i) => Float64Array.from(h.subarray(hOff[i], hOff[i] + p.prefixes[i + 1]), (v) => side * v)),
    };
  };
  /** Loads a strategy of the side (u, h of f's sub- or super-replication) as the solver's dual. */
  const loadStrategy = (s: Strategy): void => {
    const buf = x.memory.buffer;
    const psi = new Float64Array(buf, ptr.psi, atomsTotal);
    const h = new Float64Array(buf, ptr.h, Math.max(histories, 1));
    s.u.forEach((u, i) => u.forEach((v, a) => (psi[atomOff[i] + a] = side * v)));
    s.h.forEach((hi, i) => hi.forEach((v, q) => (h[hOff[i] + q] = side * v)));
  };
  const arrays: InstanceArrays = {
    setEpsilon: (e) => x.setEpsilon(e),
    w: () => new Float64Array(x.memory.buffer, ptr.w, p.cells),
    psi: () => new Float64Array(x.memory.buffer, ptr.psi, atomsTotal),
    h: () => new Float64Array(x.memory.buffer, ptr.h, Math.max(histories, 1)),
  };
  return { x, ptr, roundedStrategy, loadStrategy, arrays };
}

/**
 * Makes any strategy of the side valid path by path: the c-transform rounding of the solver's module (each
 * u_i shifted by the worst shortfall over the paths through its atoms). Returns the valid strategy and its
 * cost, the bound it proves.
 */
export function roundStrategy(p: Problem, side: 1 | -1, s: Strategy): { strategy: Strategy; bound: number } {
  const { x, roundedStrategy, loadStrategy } = instantiate(p, side);
  loadStrategy(s);
  const bound = side * x.roundDual();
  return { strategy: roundedStrategy(), bound };
}

/** The f64 sweeps of the WASM module itself, one per call (so a caller can park between any two). */
function wasmSweeps(x: Exports): SweepEngine {
  let tol: StageTolerance = { threshold: 0, scale: 1 };
  return {
    backend: 'wasm',
    detail: 'f64',
    start(eps, t) {
      x.setEpsilon(eps);
      tol = t;
    },
    async run() {
      x.sweep();
      const v = { marginal: x.marginalError.value as number, martingale: x.martingaleError.value as number };
      return { violations: [v], done: Math.max(v.marginal, v.martingale / tol.scale) < tol.threshold };
    },
    finish() {},
    dispose() {},
  };
}

/** The sweeps `backend` selects for this problem: WebGPU where it fits the device, else WASM. */
function sweepsFor(backend: BackendChoice, p: Problem, x: Exports, arrays: InstanceArrays, gpu?: GpuContext): Promise<SweepEngine> {
  return selectEngine(backend, { wasm: async () => wasmSweeps(x), webgpu: () => createGpuSweeps(p, arrays, gpu) });
}

/**
 * The backend `backend` gives for this problem and its status-line detail, without starting a solve (the
 * element's worker reports it before the first sweep).
 */
export function entropicBackend(backend: BackendChoice, p: Pick<Problem, 'sizes' | 'below' | 'prefixes' | 'cells'>): Promise<{ backend: BackendName; detail: string }> {
  return selectEngine<{ backend: BackendName; detail: string }>(backend, {
    wasm: async () => ({ backend: 'wasm', detail: 'f64' }),
    webgpu: async () => {
      const gpu = await sharedGpu();
      checkGpuFits(p, gpu.device.limits);
      return { backend: 'webgpu', detail: gpu.description };
    },
  });
}

export async function solveEntropic(
  p: Problem, side: 1 | -1, epsilon: number, onProgress?: (e: EntropicProgress) => void | Promise<void>, backend: BackendChoice = 'wasm',
  /** A device of its own for the WebGPU sweeps (tests); by default the thread's shared one. */
  gpu?: GpuContext,
): Promise<EntropicSide> {
  const { x, ptr, roundedStrategy, arrays } = instantiate(p, side);
  let engine = await sweepsFor(backend, p, x, arrays, gpu);
  const scale = payoffScale(p);
  const finalEps = epsilon * scale;
  const stages = Math.max(1, Math.ceil(Math.log(scale / finalEps) / Math.log(ANNEAL)) + 1);
  let sweeps = 0;
  let bound = NaN;
  let primal = NaN;
  let last: Violations = { marginal: NaN, martingale: NaN };
  try {
    for (let stage = 0; stage < stages; stage++) {
      const eps = stage === stages - 1 ? finalEps : scale / ANNEAL ** stage;
      const limit = stage === stages - 1 ? 4 * STAGE_SWEEPS : STAGE_SWEEPS;
      try {
        await engine.start(eps, { threshold: STAGE_TOLERANCE * (eps / scale), scale });
        for (let s = 0, done = false; !done;) {
          const batch = await engine.run(limit - s);
          if (batch.violations.length === 0) throw new Error(`the ${engine.backend} sweeps ran no sweep`);
          for (let b = 0; b < batch.violations.length && !done; b++) {
            s++;
            sweeps++;
            last = batch.violations[b];
            done = (batch.done && b === batch.violations.length - 1) || s === limit;
            if (done) {
              await engine.finish();
              bound = side * x.roundDual();
              x.primal();
              primal = side * new Float64Array(x.memory.buffer, ptr.a, 1)[0];
            }
            await onProgress?.({
              side, stage, sweep: sweeps, epsilon: eps, marginalError: last.marginal, martingaleError: last.martingale / scale,
              ...(done ? { bound, primal } : {}),
            });
          }
        }
      } catch (e) {
        // A lost GPU device: the stage again on WASM, from the f64 potentials of the last stage's end.
        if (!(e instanceof DeviceLostError) || engine.backend === 'wasm') throw e;
        engine.dispose();
        engine = wasmSweeps(x);
        stage--;
      }
    }
  } finally {
    engine.dispose();
  }
  const w = arrays.w();
  const strategy = roundedStrategy();
  return {
    value: bound, primal, gap: side * (bound - primal), strategy,
    marginalError: last.marginal, martingaleError: last.martingale, sweeps,
    coupling: Float64Array.from(w, Math.exp), backend: engine.backend,
  };
}
