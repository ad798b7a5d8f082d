// What runs the entropic solver's sweeps: the f64 WASM module, or WGSL kernels in f32 on WebGPU. Both
// work on one WASM instance of assembly/bounds/, which holds the f64 potentials between stages and does
// everything that makes a bound valid (the residual, the c-transform rounding, E[f] of the plan).
import type { BackendName } from '../../runtime/training/engine.js';

/** A sweep's violations: the largest marginal L1 error over dates, the martingale error (not scaled). */
export interface Violations {
  marginal: number;
  martingale: number;
}

/** When a stage ends: max(marginal, martingale / scale) < threshold. */
export interface StageTolerance {
  threshold: number;
  scale: number;
}

export interface SweepEngine {
  readonly backend: BackendName;
  readonly detail: string;
  /** Starts a stage at `eps`: W rebuilt in f64 from the instance's potentials. */
  start(eps: number, tolerance: StageTolerance): void | Promise<void>;
  /** At most `limit` sweeps, ending after the first that meets the tolerance (`done`); each one's violations. */
  run(limit: number): Promise<{ violations: Violations[]; done: boolean }>;
  /** Ends a stage: the potentials and the plan W back in the instance, in f64. */
  finish(): void | Promise<void>;
  dispose(): void;
}

/** The instance's f64 arrays the engines share (views made afresh: they are cheap). */
export interface InstanceArrays {
  setEpsilon(eps: number): void;
  w(): Float64Array;
  psi(): Float64Array;
  h(): Float64Array;
}
