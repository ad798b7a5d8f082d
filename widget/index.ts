// The headless API, for Node and browsers. The element lives in its own entry (element.ts).
// The scalar WASM builds, for runtimes without SIMD (the element bundle leaves them out).
import './models/hedging/scalar.js';
import './models/american/scalar.js';
export { Trainer, TrainingDivergedError } from './runtime/training/trainer.js';
export type { RunOptions, TrainingProgress, WeightsFile } from './runtime/training/trainer.js';
export { createTrainer, hedgingModel } from './models/hedging/model.js';
export type { HedgingTrainer, Progress } from './models/hedging/model.js';
export {
  resolveConfig, parseConfigStrings, ConfigError, DEFAULT_CONFIG, CONFIG_SPEC, CONFIG_KEYS, describeAllowed,
  kebabCase, camelCase,
} from './models/hedging/config.js';
export type {
  HedgerConfig, OptionType, RiskMeasure, PremiumMode, BpttMode, BackendChoice, FeatureMode, ConfigProblem,
} from './models/hedging/config.js';
export type { EvaluationReport, StrategyStats } from './models/hedging/evaluation.js';
export { bsPrice, bsDelta, bsGamma } from './shared/black-scholes.js';
export type { BackendName } from './runtime/training/engine.js';
export { HedgingEnv, EnvError, OBSERVATION_FEATURES, OBSERVATION_SIZE, NETWORK_INPUTS } from './models/hedging/env/hedging-env.js';
export { hedgeOf, spotFeature, spotInput } from './models/hedging/network.js';
export type { SpotFeature } from './models/hedging/network.js';
export type { EnvOptions, EnvStep } from './models/hedging/env/hedging-env.js';
export { ReplayBuffer } from './runtime/training/replay-buffer.js';
export type { Transitions } from './runtime/training/replay-buffer.js';
export {
  priceBounds, prepareBounds, parseQuotesCsv, quotesFromMarginals, callPrices, replicationCheck, QuoteError,
  resolveBoundsConfig, BOUNDS_SPEC,
} from './models/bounds/index.js';
export type {
  BoundsInput, BoundsReport, BoundsProgress, SolverReport, PriceBoundsOptions, BoundsSolver, SolverChoice, BoundsConfig,
  CallQuote, Marginal, Repair, Strategy, PathPayoff,
} from './models/bounds/index.js';
export { priceAmerican, AMERICAN_METHODS } from './models/american/price.js';
export type {
  AmericanReport, AmericanMethod, AmericanProgress, LatticeResult, LsmResult, ExerciseBoundary, PriceOptions,
} from './models/american/price.js';
export {
  resolveAmericanConfig, parseAmericanStrings, AMERICAN_SPEC, AMERICAN_DEFAULTS, AMERICAN_KEYS, DATES_PER_YEAR,
} from './models/american/config.js';
export type { AmericanConfig, AmericanOption, ExerciseStyle, RegressionBasis } from './models/american/config.js';
export { createAmericanTrainer, americanModel } from './models/american/network/model.js';
export type { AmericanTrainer, AmericanTrainingProgress, AmericanReference } from './models/american/network/model.js';
export type { NetworkReport } from './models/american/network/report.js';
