// The headless API, for Node and browsers. The element lives in its own entry (element.ts).
export { createTrainer, Trainer, TrainingDivergedError } from './runtime/training/trainer.js';
export type { Progress, RunOptions, WeightsFile } from './runtime/training/trainer.js';
export {
  resolveConfig, parseConfigStrings, ConfigError, DEFAULT_CONFIG, CONFIG_SPEC, CONFIG_KEYS, describeAllowed,
  kebabCase, camelCase,
} from './models/hedging/config.js';
export type {
  HedgerConfig, OptionType, RiskMeasure, PremiumMode, BpttMode, BackendChoice, ConfigProblem,
} from './models/hedging/config.js';
export type { EvaluationReport, StrategyStats } from './models/hedging/evaluation.js';
export { bsPrice, bsDelta, bsGamma } from './shared/black-scholes.js';
export type { BackendName } from './runtime/training/engine.js';
export { HedgingEnv, EnvError, OBSERVATION_FEATURES, OBSERVATION_SIZE } from './models/hedging/env/hedging-env.js';
export type { EnvOptions, EnvStep } from './models/hedging/env/hedging-env.js';
export { ReplayBuffer } from './runtime/training/replay-buffer.js';
export type { Transitions } from './runtime/training/replay-buffer.js';
