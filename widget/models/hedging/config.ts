// The one configuration of a hedging run: its keys, defaults and limits, and the validator that every
// entry point (headless API, CLI flags, element attributes) goes through.
import {
  ConfigError, camelCase, defineSchema, describeSpec, kebabCase, parseStringsWith, resolveWith,
  type ConfigProblem, type ConfigSchema, type KeySpec,
} from '../../shared/config-schema.js';

export { ConfigError, camelCase, kebabCase };
export type { ConfigProblem };

export type OptionType = 'call' | 'put';
export type RiskMeasure = 'mse' | 'entropic' | 'cvar' | 'mean-sd';
export type PremiumMode = 'learned' | 'none';
export type BpttMode = 'full' | 'per-depth';
import type { BackendChoice } from '../../runtime/training/select.js';

export type { BackendChoice };
export type FeatureMode = 'log-moneyness' | 'spot';

export interface HedgerConfig {
  option: OptionType;
  spot: number;
  strike: number;
  maturity: number;
  steps: number;
  drift: number;
  volatility: number;
  cost: number;
  risk: RiskMeasure;
  riskAversion: number;
  cvarLevel: number;
  sdWeight: number;
  premium: PremiumMode;
  hidden: number;
  features: FeatureMode;
  batch: number;
  testPaths: number;
  lr: number;
  lrDecay: number;
  lrDecaySteps: number;
  weightDecay: number;
  bptt: BpttMode;
  seed: number;
  backend: BackendChoice;
  workers: number | 'auto';
}

/** Every key, in the order the CLI help and the README list them. */
export const CONFIG_SPEC: { readonly [K in keyof HedgerConfig]: KeySpec } = {
  option: { kind: 'enum', values: ['call', 'put'], doc: 'the option the hedger is short' },
  spot: { kind: 'number', min: 0, max: 1e6, minOpen: true, doc: 'spot price at the start, in currency' },
  strike: { kind: 'number', min: 0, max: 1e7, minOpen: true, doc: 'strike in currency (at most 10 times the spot)' },
  maturity: { kind: 'number', min: 0, max: 10, minOpen: true, doc: 'time to expiry in years' },
  steps: { kind: 'integer', min: 1, max: 1000, doc: 'hedging dates (equal steps)' },
  drift: { kind: 'number', min: -2, max: 2, doc: 'annual drift of the spot (real-world measure)' },
  volatility: { kind: 'number', min: 0, max: 3, minOpen: true, doc: 'annual volatility' },
  cost: { kind: 'number', min: 0, max: 0.1, doc: 'proportional transaction cost rate kappa' },
  risk: { kind: 'enum', values: ['mse', 'entropic', 'cvar', 'mean-sd'], doc: 'risk measure minimised' },
  riskAversion: { kind: 'number', min: 0, max: 100, minOpen: true, doc: 'entropic risk aversion; also the Whalley-Wilmott band' },
  cvarLevel: { kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'expected-shortfall level alpha' },
  sdWeight: { kind: 'number', min: 0, max: 100, doc: 'weight of the standard deviation in mean-sd' },
  premium: { kind: 'enum', values: ['learned', 'none'], doc: 'learn the premium p0 (mse only) or fix it at 0' },
  hidden: { kind: 'integer', min: 4, max: 128, multipleOf: 4, doc: 'units in each hidden layer' },
  features: {
    kind: 'enum', values: ['log-moneyness', 'spot'],
    doc: "the network's spot input: log(S/K) / (sigma sqrt T), or the seed's S / S0",
  },
  batch: { kind: 'integer', min: 1, max: 4_194_304, doc: 'training paths per iteration' },
  testPaths: { kind: 'integer', min: 16, max: 4_194_304, doc: 'fixed paths used for evaluation' },
  lr: { kind: 'number', min: 0, max: 1, minOpen: true, doc: 'AdamW learning rate' },
  lrDecay: { kind: 'number', min: 0, max: 1, minOpen: true, doc: 'learning-rate factor per lrDecaySteps optimiser steps' },
  lrDecaySteps: { kind: 'number', min: 0, max: 1e9, minOpen: true, doc: 'optimiser steps over which lr decays by lrDecay' },
  weightDecay: { kind: 'number', min: 0, max: 1, doc: 'decoupled (AdamW) weight decay' },
  bptt: { kind: 'enum', values: ['full', 'per-depth'], doc: 'exact BPTT, or one optimiser step per depth (the seed)' },
  seed: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'fixes paths and initial weights' },
  backend: { kind: 'enum', values: ['auto', 'webgpu', 'wasm'], doc: 'training engine' },
  workers: { kind: 'integer', min: 1, max: 16, auto: true, doc: 'threads for the WASM engine, or auto' },
};

/** Defaults: a 30-day at-the-money call on a spot of 100 hedged daily, volatility 20%, no costs. */
export const DEFAULT_CONFIG: Readonly<HedgerConfig> = Object.freeze({
  option: 'call',
  spot: 100,
  strike: 100,
  maturity: 30 / 365,
  steps: 30,
  drift: 0,
  volatility: 0.2,
  cost: 0,
  risk: 'mse',
  riskAversion: 1,
  cvarLevel: 0.95,
  sdWeight: 1.5,
  premium: 'learned',
  hidden: 16,
  features: 'log-moneyness',
  batch: 4096,
  testPaths: 16384,
  lr: 0.005,
  lrDecay: 0.5,
  lrDecaySteps: 1000,
  weightDecay: 0,
  bptt: 'full',
  seed: 1,
  backend: 'auto',
  workers: 'auto',
});

export const CONFIG_KEYS = Object.keys(CONFIG_SPEC) as (keyof HedgerConfig)[];

/** Largest linear memory one engine instance may use for its paths (bytes). */
export const MAX_PATH_MEMORY = 1 << 30;

/** Bytes of path buffers per path: spot (N+1), hedges (N), P&L, cost and upstream. */
export function pathBytes(steps: number): number {
  return 4 * (2 * steps + 4);
}

/** Largest strike as a multiple of the spot (engines simulate in units of the spot). */
export const MAX_MONEYNESS = 10;

function crossProblems(c: HedgerConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (c.strike > MAX_MONEYNESS * c.spot) {
    problems.push({
      key: 'strike',
      value: c.strike,
      allowed: `at most ${MAX_MONEYNESS} times the spot (spot = ${c.spot}, so at most ${MAX_MONEYNESS * c.spot})`,
    });
  }
  const perPath = pathBytes(c.steps);
  const limit = Math.floor(MAX_PATH_MEMORY / perPath);
  for (const key of ['batch', 'testPaths'] as const) {
    if (c[key] > limit) {
      problems.push({
        key,
        value: c[key],
        allowed: `at most ${limit} with steps = ${c.steps} (${perPath} bytes a path; an engine instance holds at most 1 GiB of paths)`,
      });
    }
  }
  return problems;
}

export const HEDGER_SCHEMA: ConfigSchema<HedgerConfig> = defineSchema(
  'cher-hedger configuration', CONFIG_SPEC, DEFAULT_CONFIG, crossProblems,
);

/** What a key accepts, in words, for error messages and help text. */
export function describeAllowed(key: keyof HedgerConfig): string {
  return describeSpec(CONFIG_SPEC[key]);
}

/**
 * Checks a partial configuration and fills in the defaults. Throws a ConfigError naming every bad key
 * (unknown keys, wrong types, NaN, out of range, a batch too large for memory) at once.
 */
export function resolveConfig(input: Partial<HedgerConfig> | Record<string, unknown> = {}): HedgerConfig {
  return resolveWith(HEDGER_SCHEMA, input);
}

/** Flag and attribute strings (kebab-case keys) to typed values; see parseStringsWith. */
export function parseConfigStrings(entries: Record<string, string>): Record<string, unknown> {
  return parseStringsWith(HEDGER_SCHEMA, entries);
}
