// The configuration of an American-option pricing run (docs/numerics.md): keys, defaults and limits, checked
// by the project's one validator (shared/config-schema.ts) from the API, CLI flags and attributes alike.
import type { BackendChoice } from '../../runtime/training/select.js';
import {
  defineSchema, parseStringsWith, resolveWith, type ConfigProblem, type ConfigSchema, type KeySpec,
} from '../../shared/config-schema.js';

export type AmericanOption = 'put' | 'call';
export type ExerciseStyle = 'american' | 'bermudan';
export type RegressionBasis = 'laguerre' | 'polynomial';

export interface AmericanConfig {
  option: AmericanOption;
  exercise: ExerciseStyle;
  spot: number;
  strike: number;
  rate: number;
  dividend: number;
  volatility: number;
  maturity: number;
  /** Bermudan exercise dates M (t_m = m T / M); "auto" is 50 a year. Only with exercise = bermudan. */
  dates: number | 'auto';
  steps: number;
  paths: number;
  basis: RegressionBasis;
  dualPaths: number;
  dualInner: number;
  seed: number;
  /** The value network (method "network"): units in each hidden layer. */
  hidden: number;
  /** Paths per training iteration; each gives M transitions. */
  batch: number;
  lr: number;
  lrDecay: number;
  lrDecaySteps: number;
  weightDecay: number;
  /** Iterations between refreshes of the TD target's copy of the weights. */
  targetRefresh: number;
  backend: BackendChoice;
  workers: number | 'auto';
}

/** Exercise dates a year that LSM uses for an American option, and Bermudan "auto" (Longstaff-Schwartz's grid). */
export const DATES_PER_YEAR = 50;

export const AMERICAN_SPEC: { readonly [K in keyof AmericanConfig]: KeySpec } = {
  option: { kind: 'enum', values: ['put', 'call'], doc: 'the claim: put (K - S)+ or call (S - K)+' },
  exercise: { kind: 'enum', values: ['american', 'bermudan'], doc: 'exercisable at any time, or only at the dates' },
  spot: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'spot S0 today' },
  strike: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'strike K' },
  rate: { kind: 'number', min: -0.5, max: 1, doc: 'continuous interest rate r' },
  dividend: { kind: 'number', min: -0.5, max: 1, doc: 'continuous dividend yield q' },
  volatility: { kind: 'number', min: 0, max: 5, minOpen: true, doc: 'annual volatility sigma' },
  maturity: { kind: 'number', min: 0, max: 50, minOpen: true, doc: 'time to expiry T in years' },
  dates: {
    kind: 'integer', min: 1, max: 10_000, auto: true,
    doc: `Bermudan exercise dates M (t_m = m T / M); auto = ${DATES_PER_YEAR} a year`,
  },
  steps: { kind: 'integer', min: 2, max: 100_000, doc: 'lattice steps n' },
  paths: { kind: 'integer', min: 64, max: 4_194_304, doc: 'LSM paths, in the training set and again in the pricing set; the value network\'s stopping rule is valued on the same pricing set' },
  basis: { kind: 'enum', values: ['laguerre', 'polynomial'], doc: 'LSM regression basis: exp(-x/2) L_k(x) or x^k, x = S/K, k = 0..3' },
  dualPaths: { kind: 'integer', min: 64, max: 1_048_576, doc: 'outer paths of the dual upper bound' },
  dualInner: { kind: 'integer', min: 16, max: 4096, multipleOf: 16, doc: 'inner one-step samples per date of the dual bound' },
  seed: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'Philox key of every path set and of the network\'s initial weights' },
  hidden: { kind: 'integer', min: 4, max: 128, multipleOf: 4, doc: 'value network: units in each hidden layer' },
  batch: { kind: 'integer', min: 1, max: 1_048_576, doc: 'value network: training paths per iteration (M transitions each)' },
  lr: { kind: 'number', min: 0, max: 1, minOpen: true, doc: 'value network: AdamW learning rate' },
  lrDecay: { kind: 'number', min: 0, max: 1, minOpen: true, doc: 'value network: learning-rate factor per lrDecaySteps optimiser steps' },
  lrDecaySteps: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'value network: optimiser steps over which lr decays by lrDecay' },
  weightDecay: { kind: 'number', min: 0, max: 1, doc: 'value network: decoupled (AdamW) weight decay' },
  targetRefresh: { kind: 'integer', min: 1, max: 1_000_000, doc: 'value network: iterations between refreshes of the TD target weights' },
  backend: { kind: 'enum', values: ['auto', 'webgpu', 'wasm'], doc: 'value network: training engine' },
  workers: { kind: 'integer', min: 1, max: 16, auto: true, doc: 'value network: threads of the WASM engine, or auto' },
};

/** Longstaff-Schwartz's first case: the put K = 40 at S0 = 36, r = 6%, sigma = 20%, one year (the contract's reference). */
/** Training iterations of the value network when a run names none (the CLI's --iterations, the element's iterations). */
export const DEFAULT_NETWORK_ITERATIONS = 3000;

export const AMERICAN_DEFAULTS: Readonly<AmericanConfig> = Object.freeze({
  option: 'put',
  exercise: 'american',
  spot: 36,
  strike: 40,
  rate: 0.06,
  dividend: 0,
  volatility: 0.2,
  maturity: 1,
  dates: 'auto',
  steps: 10_000,
  paths: 100_000,
  basis: 'laguerre',
  dualPaths: 8192,
  dualInner: 32,
  seed: 1,
  hidden: 16,
  batch: 1024,
  lr: 0.005,
  lrDecay: 0.3,
  lrDecaySteps: 1000,
  weightDecay: 0,
  targetRefresh: 2,
  backend: 'auto',
  workers: 'auto',
});

/** Bytes one LSM run may hold for its training spots (dates x paths f32). */
export const MAX_LSM_MEMORY = 512 * 1024 * 1024;

/** Exercise dates the LSM grid (and a Bermudan lattice) uses. */
export function exerciseDates(c: AmericanConfig): number {
  return c.dates === 'auto' ? Math.max(1, Math.round(DATES_PER_YEAR * c.maturity)) : c.dates;
}

function crossCheck(c: AmericanConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (c.dates !== 'auto' && c.exercise !== 'bermudan') {
    problems.push({
      key: 'dates', value: c.dates,
      allowed: 'only with exercise = bermudan (an American option is exercisable at every time; LSM uses 50 dates a year)',
    });
    return problems;
  }
  const M = exerciseDates(c);
  if (c.exercise === 'bermudan' && c.steps < M) {
    problems.push({ key: 'steps', value: c.steps, allowed: `at least the ${M} exercise dates, so that each date has its own lattice step` });
  }
  if (M * c.paths * 4 > MAX_LSM_MEMORY) {
    problems.push({
      key: 'paths', value: c.paths,
      allowed: `at most ${Math.floor(MAX_LSM_MEMORY / (4 * M))} with ${M} exercise dates (LSM holds dates x paths spots in 512 MiB)`,
    });
  }
  return problems;
}

export const AMERICAN_SCHEMA: ConfigSchema<AmericanConfig> = defineSchema(
  'American option configuration', AMERICAN_SPEC, AMERICAN_DEFAULTS, crossCheck,
);

export const AMERICAN_KEYS = AMERICAN_SCHEMA.keys;

/** Checks a partial configuration and fills in the defaults; a ConfigError names every bad key. */
export function resolveAmericanConfig(input: Partial<AmericanConfig> | Record<string, unknown> = {}): AmericanConfig {
  return resolveWith(AMERICAN_SCHEMA, input);
}

/** Flag and attribute strings (kebab-case keys) to typed values. */
export function parseAmericanStrings(entries: Record<string, string>): Record<string, unknown> {
  return parseStringsWith(AMERICAN_SCHEMA, entries);
}
