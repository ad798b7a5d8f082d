// The hedging model (Buehler et al. 2018) as the runtime sees it: its configuration, its engines (WASM
// passes in wasm/, WGSL passes in webgpu/), its parameters and its reference price.
import { selectEngine } from '../../runtime/training/select.js';
import type { TrainingEngine } from '../../runtime/training/engine.js';
import type { TrainableModel } from '../../runtime/training/model.js';
import { trainerFor, type Trainer, type TrainingProgress } from '../../runtime/training/trainer.js';
import { optionPrice } from './market.js';
import { HEDGER_SCHEMA, type HedgerConfig } from './config.js';
import type { EvaluationReport } from './evaluation.js';
import { networkShape, paramLayout } from './network.js';
import { lossOf, moneyOf, reportInCurrency } from './units.js';
import { WasmEngine } from './wasm/wasm-engine.js';
import { WebGpuEngine } from './webgpu/webgpu-engine.js';

export interface HedgingReference extends Record<string, number> {
  /** Black-Scholes price of the option (the network's price converges to it without costs). */
  bsPrice: number;
}

export const hedgingModel: TrainableModel<HedgerConfig, EvaluationReport, HedgingReference> = {
  name: 'hedging',
  schema: HEDGER_SCHEMA,
  createEngine: (config, options) =>
    selectEngine<TrainingEngine<HedgerConfig, EvaluationReport>>(options?.wasm ? 'wasm' : config.backend, {
      wasm: () => WasmEngine.create(config),
      webgpu: () => WebGpuEngine.create(config),
    }),
  parameterCount: (config) => paramLayout(config.hidden).count,
  shape: networkShape,
  pathStepsPerIteration: (config) => config.batch * config.steps,
  reference: (config) => ({ bsPrice: optionPrice(config) }),
  present: {
    iteration: (config, r) => ({ loss: lossOf(config, r.loss), price: moneyOf(config, r.price) }),
    evaluation: reportInCurrency,
  },
};

/** A hedging trainer, and its progress: the runtime's, with the Black-Scholes price beside. */
export type HedgingTrainer = Trainer<HedgerConfig, EvaluationReport, HedgingReference>;
export type Progress = TrainingProgress & HedgingReference;

/** Validates the configuration (throwing a ConfigError naming every bad key) and starts an engine. */
export function createTrainer(config: Partial<HedgerConfig> | Record<string, unknown> = {}): Promise<HedgingTrainer> {
  return trainerFor(hedgingModel, config);
}
