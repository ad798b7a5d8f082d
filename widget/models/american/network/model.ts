// The American value network as the training runtime sees it (docs/numerics.md, neural approximate dynamic
// programming): its configuration (the American schema), its engines, its parameters and its references.
import type { TrainingEngine } from '../../../runtime/training/engine.js';
import type { TrainableModel } from '../../../runtime/training/model.js';
import { selectEngine } from '../../../runtime/training/select.js';
import { trainerFor, type Trainer, type TrainingProgress } from '../../../runtime/training/trainer.js';
import { bsPrice } from '../../../shared/black-scholes.js';
import { AMERICAN_SCHEMA, type AmericanConfig } from '../config.js';
import { latticePriceOf } from '../price.js';
import { transitionsPerIteration, valueLayout, valueShape } from './network.js';
import type { NetworkReport } from './report.js';
import { AmericanWasmEngine } from './wasm-engine.js';
import { AmericanWebGpuEngine } from './webgpu/webgpu-engine.js';

export interface AmericanReference extends Record<string, number> {
  /** The CRR lattice's price at the configuration's steps (the network's price converges near it). */
  latticePrice: number;
  /** The European Black-Scholes-Merton price (the early-exercise premium is the difference). */
  european: number;
}

/** Lattice prices by pricing configuration: createEngine fills it (asynchronously), reference reads it. */
const latticeCache = new Map<string, number>();
const pricingKey = (c: AmericanConfig) =>
  JSON.stringify([c.option, c.exercise, c.spot, c.strike, c.rate, c.dividend, c.volatility, c.maturity, c.dates, c.steps]);

async function withLattice<E>(config: AmericanConfig, engine: Promise<E>): Promise<E> {
  const key = pricingKey(config);
  if (!latticeCache.has(key)) latticeCache.set(key, await latticePriceOf(config));
  return engine;
}

export const americanModel: TrainableModel<AmericanConfig, NetworkReport, AmericanReference> = {
  name: 'american',
  schema: AMERICAN_SCHEMA,
  createEngine: (config, options) =>
    withLattice(
      config,
      selectEngine<TrainingEngine<AmericanConfig, NetworkReport>>(options?.wasm ? 'wasm' : config.backend, {
        wasm: () => AmericanWasmEngine.create(config),
        webgpu: () => AmericanWebGpuEngine.create(config),
      }),
    ),
  parameterCount: (config) => valueLayout(config.hidden).count,
  shape: valueShape,
  pathStepsPerIteration: transitionsPerIteration,
  reference: (config) => ({
    latticePrice: latticeCache.get(pricingKey(config)) ?? NaN,
    european: bsPrice({
      spot: config.spot, strike: config.strike, tau: config.maturity, volatility: config.volatility,
      put: config.option === 'put', rate: config.rate, dividend: config.dividend,
    }),
  }),
};

export type AmericanTrainer = Trainer<AmericanConfig, NetworkReport, AmericanReference>;
export type AmericanTrainingProgress = TrainingProgress & AmericanReference;

/** Validates the configuration (a ConfigError names every bad key) and starts the value network's engine. */
export function createAmericanTrainer(config: Partial<AmericanConfig> | Record<string, unknown> = {}): Promise<AmericanTrainer> {
  return trainerFor(americanModel, config);
}
