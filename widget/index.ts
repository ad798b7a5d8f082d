// The headless API, for Node and browsers. The element lives in its own entry (element.ts).
export { createTrainer, Trainer, TrainingDivergedError } from './trainer.js';
export type { Progress, RunOptions, WeightsFile } from './trainer.js';
export {
  resolveConfig, parseConfigStrings, ConfigError, DEFAULT_CONFIG, CONFIG_SPEC, CONFIG_KEYS, describeAllowed,
  kebabCase, camelCase,
} from './config.js';
export type {
  HedgerConfig, OptionType, RiskMeasure, PremiumMode, BpttMode, BackendChoice, ConfigProblem,
} from './config.js';
export type { EvaluationReport, StrategyStats } from './core/evaluation.js';
export { bsPrice, bsDelta, bsGamma } from './core/black-scholes.js';
export type { BackendName } from './engine/types.js';
export { HedgingEnv, EnvError, OBSERVATION_FEATURES, OBSERVATION_SIZE } from './env/hedging-env.js';
export type { EnvOptions, EnvStep } from './env/hedging-env.js';
export { ReplayBuffer } from './env/replay-buffer.js';
export type { Transitions } from './env/replay-buffer.js';
export {
  priceBounds, prepareBounds, parseQuotesCsv, quotesFromMarginals, callPrices, replicationCheck, QuoteError,
  resolveBoundsConfig, BOUNDS_SPEC,
} from './models/bounds/index.js';
export type {
  BoundsInput, BoundsReport, BoundsProgress, SolverReport, PriceBoundsOptions, BoundsSolver, SolverChoice, BoundsConfig,
  CallQuote, Marginal, Repair, Strategy, PathPayoff,
} from './models/bounds/index.js';
