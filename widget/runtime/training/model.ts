// The one contract a model implements to train on the runtime. The runtime owns the rest: the trainer's
// chunks, snapshots, divergence and device-loss handling, AdamW and its schedule (WasmTrainingEngine on
// WASM; the model's WGSL passes end in the shared reduce + AdamW kernel on WebGPU), the WASM thread pool,
// the GPU device, and the page's worker. See docs/architecture.md for the worked example (hedging).
import type { ConfigSchema } from '../../shared/config-schema.js';
import type { IterationResult, TrainingEngine } from './engine.js';

/** Keys every trainable model's configuration has. */
export interface TrainableConfig {
  lr: number;
  lrDecay: number;
  lrDecaySteps: number;
  weightDecay: number;
  seed: number;
  backend: 'auto' | 'webgpu' | 'wasm';
  workers: number | 'auto';
}

export interface TrainableModel<Config extends TrainableConfig, Report, Reference extends Record<string, number>> {
  /** The name `createTrainer({ model })` and the worker protocol use. */
  readonly name: string;
  /** Configuration keys, defaults, limits and cross-key checks. */
  readonly schema: ConfigSchema<Config>;
  /**
   * The engine `config.backend` selects (WebGPU passes, or WASM passes on the runtime's WASM engine).
   * `wasm: true` asks for the WASM engine whatever the backend: the trainer's fallback after a device loss.
   */
  createEngine(config: Config, options?: { wasm?: boolean }): Promise<TrainingEngine<Config, Report>>;
  /** Parameters of the network for this configuration (weights files are checked against it). */
  parameterCount(config: Config): number;
  /** The network's shape in words, for messages: "hidden = 16". */
  shape(config: Config): string;
  /** Path-steps one iteration computes (throughput figures). */
  pathStepsPerIteration(config: Config): number;
  /** Values the model's price is compared with, e.g. `{ bsPrice }`; reported with every progress. */
  reference(config: Config): Reference;
  /**
   * The engines' figures in the units the user sees, where the engines compute in others (hedging's
   * simulate on the unit scale, spot 1, and report in currency). Absent: figures pass through.
   */
  present?: {
    iteration(config: Config, r: IterationResult): IterationResult;
    evaluation(config: Config, report: Report): Report;
  };
}
