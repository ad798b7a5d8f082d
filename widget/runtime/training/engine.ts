// The contract between the trainer and a model's engines (WASM, WebGPU): what any engine of any model
// does, so the trainer owns chunking, snapshots, divergence and device loss once for every model.

export type BackendName = 'wasm' | 'webgpu';

/** How status lines name each backend, and whether its thread count says anything (a GPU's does not). */
export const BACKEND_LABELS: Readonly<Record<BackendName, { name: string; threads: boolean }>> = {
  wasm: { name: 'WASM', threads: true },
  webgpu: { name: 'WebGPU', threads: false },
};

/** Everything needed to continue training elsewhere: weights, AdamW state and the iteration. */
export interface TrainerSnapshot {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  optimizerStep: number;
  iteration: number;
}

export interface IterationResult {
  /** The training loss of the iteration's batch. */
  loss: number;
  /** The price the model reports, estimated on that batch (hedging: the risk measure's price). */
  price: number;
}

/** What train(n) gives: the last iteration's result, and every iteration's in order. */
export interface TrainResult extends IterationResult {
  history: IterationResult[];
}

/**
 * The engine's device went away (a GPU driver reset, a long-hidden tab, destroy()). The trainer catches
 * this type and continues on the WASM engine from its last snapshot.
 */
export class DeviceLostError extends Error {
  constructor(readonly detail: string) {
    super(`the WebGPU device was lost (${detail})`);
    this.name = 'DeviceLostError';
  }
}

/** Throws unless the snapshot's arrays hold `count` parameters (restore calls this first). */
export function checkSnapshot(s: TrainerSnapshot, count: number, network: string): void {
  if (s.params.length !== count || s.m.length !== count || s.v.length !== count) {
    throw new Error(`snapshot has ${s.params.length} parameters; ${network} needs ${count}`);
  }
}

export interface TrainingEngine<Config = unknown, Report = unknown> {
  readonly backend: BackendName;
  /** Threads the engine trains on. */
  readonly workers: number;
  /** Extra detail for status lines, e.g. "simd" or the GPU adapter. */
  readonly detail: string;
  readonly config: Config;
  readonly iteration: number;
  /** Runs `iterations` training iterations (stopping early after a non-finite loss); throws DeviceLostError if its device goes. */
  train(iterations: number): Promise<TrainResult>;
  evaluate(): Promise<Report>;
  snapshot(): TrainerSnapshot;
  restore(snapshot: TrainerSnapshot): void;
  dispose(): void;
}
