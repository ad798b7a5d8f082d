// The one configuration of a hedging run: its keys, defaults and limits, and the validator that every
// entry point (headless API, CLI flags, element attributes) goes through.

export type OptionType = 'call' | 'put';
export type RiskMeasure = 'mse' | 'entropic' | 'cvar' | 'mean-sd';
export type PremiumMode = 'learned' | 'none';
export type BpttMode = 'full' | 'per-depth';
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

export interface HedgerConfig {
  option: OptionType;
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

type Spec =
  | { kind: 'enum'; values: readonly string[]; doc: string }
  | { kind: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; doc: string }
  | { kind: 'integer'; min: number; max: number; multipleOf?: number; auto?: boolean; doc: string };

/** Every key, in the order the CLI help and the README list them. */
export const CONFIG_SPEC: { readonly [K in keyof HedgerConfig]: Spec } = {
  option: { kind: 'enum', values: ['call', 'put'], doc: 'the option the hedger is short' },
  strike: { kind: 'number', min: 0, max: 10, minOpen: true, doc: 'strike, with spot starting at 1' },
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

/** Defaults: a 30-day at-the-money call hedged daily, volatility 20%, no costs. */
export const DEFAULT_CONFIG: Readonly<HedgerConfig> = Object.freeze({
  option: 'call',
  strike: 1,
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

export interface ConfigProblem {
  key: string;
  value: unknown;
  allowed: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(
      'Invalid cher-hedger configuration:\n' +
        problems.map((p) => `  ${p.key} = ${show(p.value)}: ${p.allowed}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What a key accepts, in words, for error messages and help text. */
export function describeAllowed(key: keyof HedgerConfig): string {
  const spec = CONFIG_SPEC[key];
  if (spec.kind === 'enum') return `one of ${spec.values.join(', ')}`;
  if (spec.kind === 'integer') {
    const range = `an integer from ${spec.min} to ${spec.max}`;
    const multiple = spec.multipleOf ? `, a multiple of ${spec.multipleOf}` : '';
    return (spec.auto ? '"auto" or ' : '') + range + multiple;
  }
  const lo = spec.minOpen ? `greater than ${spec.min}` : `at least ${spec.min}`;
  const hi = spec.maxOpen ? `less than ${spec.max}` : `at most ${spec.max}`;
  return `a number ${lo} and ${hi}`;
}

function checkValue(key: keyof HedgerConfig, value: unknown): boolean {
  const spec = CONFIG_SPEC[key];
  if (spec.kind === 'enum') return typeof value === 'string' && spec.values.includes(value);
  if (spec.kind === 'integer' && spec.auto && value === 'auto') return true;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (spec.kind === 'integer') {
    return (
      Number.isInteger(value) &&
      value >= spec.min &&
      value <= spec.max &&
      (!spec.multipleOf || value % spec.multipleOf === 0)
    );
  }
  const aboveMin = spec.minOpen ? value > spec.min : value >= spec.min;
  const belowMax = spec.maxOpen ? value < spec.max : value <= spec.max;
  return aboveMin && belowMax;
}

/**
 * Checks a partial configuration and fills in the defaults. Throws a ConfigError naming every bad key
 * (unknown keys, wrong types, NaN, out of range, a batch too large for memory) at once.
 */
export function resolveConfig(input: Partial<HedgerConfig> | Record<string, unknown> = {}): HedgerConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError([{ key: '(configuration)', value: input, allowed: 'an object of configuration keys' }]);
  }
  const problems: ConfigProblem[] = [];
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(key in CONFIG_SPEC)) {
      problems.push({ key, value, allowed: `not a configuration key; known keys: ${CONFIG_KEYS.join(', ')}` });
      continue;
    }
    const k = key as keyof HedgerConfig;
    if (!checkValue(k, value)) problems.push({ key, value, allowed: describeAllowed(k) });
    else config[key] = value;
  }
  if (problems.length === 0) {
    const c = config as unknown as HedgerConfig;
    const perPath = pathBytes(c.steps);
    for (const key of ['batch', 'testPaths'] as const) {
      const limit = Math.floor(MAX_PATH_MEMORY / perPath);
      if (c[key] > limit) {
        problems.push({
          key,
          value: c[key],
          allowed: `at most ${limit} with steps = ${c.steps} (${perPath} bytes a path; an engine instance holds at most 1 GiB of paths)`,
        });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config) as unknown as HedgerConfig;
}

/** camelCase key -> kebab-case name used by CLI flags and element attributes. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** kebab-case name -> camelCase key. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Turns string values keyed by kebab-case (CLI flags, attributes) into typed values. Numbers that do not
 * parse stay strings, so the validator reports them with the text the user wrote.
 */
export function parseConfigStrings(entries: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(entries)) {
    const key = camelCase(name);
    const spec = (CONFIG_SPEC as Record<string, Spec>)[key];
    if (!spec) {
      out[name] = text;
      continue;
    }
    if (spec.kind === 'enum' || (spec.kind === 'integer' && spec.auto && text.trim() === 'auto')) {
      out[key] = text.trim();
      continue;
    }
    const trimmed = text.trim();
    const n = trimmed === '' ? NaN : Number(trimmed);
    out[key] = Number.isFinite(n) ? n : text;
  }
  return out;
}
