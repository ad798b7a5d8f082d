// The configuration of a model-free bounds problem (docs/numerics.md): its keys, defaults and limits, through
// the one schema mechanism every model uses. Quote arrays are not a schema kind; they are checked in
// marginals.ts and their problems reported under the key `quotes`.
import {
  ConfigError, defineSchema, describeSpec, parseStringsWith, resolveWith, type ConfigProblem, type ConfigSchema, type KeySpec,
} from '../../shared/config-schema.js';
import type { BackendChoice } from '../../runtime/training/select.js';

export type PayoffName = 'forward-start' | 'straddle' | 'asian' | 'lookback' | 'cliquet' | 'variance';
export type MarginalsKind = 'binomial' | 'lognormal' | 'quotes';

export interface BoundsConfig {
  payoff: PayoffName;
  strike: number | undefined;
  moneyness: number;
  floor: number;
  cap: number;
  dates: readonly number[];
  spot: number;
  volatility: number;
  marginals: MarginalsKind;
  treeSteps: number;
  gridSize: number;
  repairTolerance: number;
  epsilon: number;
  beta: number;
  neuralIterations: number;
  batch: number;
  hiddenUnits: number;
  seed: number;
  backend: BackendChoice;
}

export const PAYOFF_NAMES: readonly PayoffName[] = ['forward-start', 'straddle', 'asian', 'lookback', 'cliquet', 'variance'];

/** Payoff parameters each named payoff needs (no default: asking for the payoff without them is an error). */
export const REQUIRED_PARAMETERS: Readonly<Record<PayoffName, readonly (keyof BoundsConfig)[]>> = {
  'forward-start': [], straddle: [], asian: ['strike'], lookback: [], cliquet: [], variance: [],
};

export const BOUNDS_SPEC: { readonly [K in keyof BoundsConfig]: KeySpec } = {
  payoff: { kind: 'enum', values: PAYOFF_NAMES, doc: 'the exotic bounded (a function of X_1..X_n)' },
  strike: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'strike K of the asian call (mean - K)+' },
  moneyness: { kind: 'number', min: 0, max: 100, doc: 'k of the forward-start call (X_n - k X_n-1)+' },
  floor: { kind: 'number', min: -1, max: 10, doc: 'cliquet floor on X_n / X_n-1 - 1' },
  cap: { kind: 'number', min: -1, max: 10, doc: 'cliquet cap on X_n / X_n-1 - 1' },
  dates: { kind: 'numbers', min: 0, max: 100, minOpen: true, minLength: 2, maxLength: 12, increasing: true, doc: 'the dates t_1 < ... < t_n in years' },
  spot: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'spot S0 (the mean of every marginal)' },
  volatility: { kind: 'number', min: 0, max: 5, minOpen: true, doc: 'volatility of the binomial and lognormal marginals' },
  marginals: { kind: 'enum', values: ['binomial', 'lognormal', 'quotes'], doc: 'where the laws of X_i come from' },
  treeSteps: { kind: 'integer', min: 1, max: 5000, doc: 'steps of the binomial tree over t_n' },
  gridSize: { kind: 'integer', min: 3, max: 2000, doc: 'atoms of each lognormal marginal' },
  repairTolerance: { kind: 'number', min: 0, max: 1, doc: 'largest move of a quoted price repaired (rounding); larger violations are refused' },
  epsilon: { kind: 'number', min: 0, max: 1, minOpen: true, doc: 'final entropic regularisation, relative to the payoff scale' },
  beta: { kind: 'number', min: 0, max: 1e6, minOpen: true, doc: 'neural dual: weight of the squared violation penalty, payoff scale units' },
  // Not `iterations`: the elements' own property (iterations trained so far).
  neuralIterations: { kind: 'integer', min: 1, max: 1000000, doc: 'neural dual: training iterations per side' },
  batch: { kind: 'integer', min: 64, max: 1048576, doc: 'neural dual: sampled paths per iteration' },
  // Not `hidden`: that is every HTML element's own attribute.
  hiddenUnits: { kind: 'integer', min: 2, max: 64, doc: 'neural dual: hidden units of each network' },
  seed: { kind: 'integer', min: 0, max: 4294967295, doc: 'neural dual: seed of the weights and the sampled paths' },
  backend: { kind: 'enum', values: ['auto', 'webgpu', 'wasm'], doc: 'engine of the entropic sweeps (WebGPU in f32, WASM in f64; rounding in f64 either way) and of the neural dual\'s training' },
};

export const DEFAULT_BOUNDS_CONFIG: Readonly<BoundsConfig> = Object.freeze({
  payoff: 'forward-start',
  strike: undefined,
  moneyness: 1,
  floor: -0.05,
  cap: 0.05,
  dates: Object.freeze([0.5, 1]),
  spot: 100,
  volatility: 0.2,
  marginals: 'binomial',
  treeSteps: 100,
  gridSize: 41,
  repairTolerance: 0.005,
  epsilon: 2e-5,
  beta: 1000,
  neuralIterations: 4000,
  batch: 4096,
  hiddenUnits: 24,
  seed: 1,
  backend: 'auto',
});

function crossCheck(c: BoundsConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of REQUIRED_PARAMETERS[c.payoff]) {
    if (c[key] === undefined) problems.push({ key, value: undefined, allowed: `required by payoff ${c.payoff}: ${BOUNDS_SPEC[key].doc}` });
  }
  if (c.payoff === 'cliquet' && c.floor > c.cap) problems.push({ key: 'floor', value: c.floor, allowed: `at most cap (${c.cap})` });
  return problems;
}

export const BOUNDS_SCHEMA: ConfigSchema<BoundsConfig> = defineSchema('cher-hedger bounds configuration', BOUNDS_SPEC, DEFAULT_BOUNDS_CONFIG, crossCheck);
export const BOUNDS_KEYS = BOUNDS_SCHEMA.keys;

/** Checks a partial configuration and fills in the defaults; a ConfigError names every bad key. */
export function resolveBoundsConfig(input: Record<string, unknown> = {}): BoundsConfig {
  return resolveWith(BOUNDS_SCHEMA, input);
}

export function parseBoundsStrings(entries: Record<string, string>): Record<string, unknown> {
  return parseStringsWith(BOUNDS_SCHEMA, entries);
}

export function describeBoundsKey(key: keyof BoundsConfig): string {
  return describeSpec(BOUNDS_SPEC[key]);
}

export { ConfigError };
