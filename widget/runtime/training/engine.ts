// The contract between the headless trainer and its engines (WASM now, WebGPU alike).
import type { HedgerConfig } from '../../models/hedging/config.js';
import { paramLayout } from '../../models/hedging/network.js';
import type { EvaluationReport } from '../../models/hedging/evaluation.js';

export type BackendName = 'wasm' | 'webgpu';

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
  /** The price the risk measure reports, estimated on that batch. */
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

/** Throws unless the snapshot's arrays fit the network of `config` (restore calls this first). */
export function checkSnapshot(s: TrainerSnapshot, config: HedgerConfig): void {
  const P = paramLayout(config.hidden).count;
  if (s.params.length !== P || s.m.length !== P || s.v.length !== P) {
    throw new Error(`snapshot has ${s.params.length} parameters; hidden = ${config.hidden} needs ${P}`);
  }
}

export interface TrainingEngine {
  readonly backend: BackendName;
  /** Threads the engine trains on. */
  readonly workers: number;
  /** Extra detail for status lines, e.g. "simd" or the GPU adapter. */
  readonly detail: string;
  readonly config: HedgerConfig;
  readonly iteration: number;
  /** Runs `iterations` training iterations (stopping early after a non-finite loss); throws DeviceLostError if its device goes. */
  train(iterations: number): Promise<TrainResult>;
  evaluate(): Promise<EvaluationReport>;
  snapshot(): TrainerSnapshot;
  restore(snapshot: TrainerSnapshot): void;
  dispose(): void;
}
