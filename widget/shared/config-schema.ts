// The one validation mechanism behind every model's configuration: a schema of keys (kind, range, doc),
// defaults, and cross-key checks. The headless API, CLI flags and element attributes all go through it, so
// a bad key gets the same message (the key, its value, what is allowed) wherever it was written.

export type KeySpec =
  | { kind: 'enum'; values: readonly string[]; doc: string }
  | { kind: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; doc: string }
  | { kind: 'integer'; min: number; max: number; multipleOf?: number; auto?: boolean; doc: string }
  /** A list of numbers (`"0.5,1"` in attributes and flags), each within range, strictly increasing if asked. */
  | {
      kind: 'numbers'; min: number; max: number; minOpen?: boolean; minLength: number; maxLength: number;
      increasing?: boolean; doc: string;
    };

export interface ConfigProblem {
  key: string;
  value: unknown;
  allowed: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: ConfigProblem[], what = 'cher-hedger configuration') {
    super(`Invalid ${what}:\n` + problems.map((p) => `  ${p.key} = ${show(p.value)}: ${p.allowed}`).join('\n'));
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

/** camelCase key -> kebab-case name used by CLI flags and element attributes. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** kebab-case name -> camelCase key. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function describeRange(spec: { min: number; max: number; minOpen?: boolean; maxOpen?: boolean }): string {
  const lo = spec.minOpen ? `greater than ${spec.min}` : `at least ${spec.min}`;
  const hi = spec.maxOpen ? `less than ${spec.max}` : `at most ${spec.max}`;
  return `${lo} and ${hi}`;
}

/** What a key accepts, in words, for error messages and help text. */
export function describeSpec(spec: KeySpec): string {
  if (spec.kind === 'enum') return `one of ${spec.values.join(', ')}`;
  if (spec.kind === 'integer') {
    const range = `an integer from ${spec.min} to ${spec.max}`;
    const multiple = spec.multipleOf ? `, a multiple of ${spec.multipleOf}` : '';
    return (spec.auto ? '"auto" or ' : '') + range + multiple;
  }
  if (spec.kind === 'numbers') {
    const count = spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength} to ${spec.maxLength}`;
    return `a list of ${count} numbers ${describeRange(spec)}${spec.increasing ? ', strictly increasing' : ''}`;
  }
  return `a number ${describeRange(spec)}`;
}

function inRange(spec: { min: number; max: number; minOpen?: boolean; maxOpen?: boolean }, value: number): boolean {
  const aboveMin = spec.minOpen ? value > spec.min : value >= spec.min;
  const belowMax = spec.maxOpen ? value < spec.max : value <= spec.max;
  return aboveMin && belowMax;
}

/** Whether a value satisfies its key's spec. */
export function checkSpec(spec: KeySpec, value: unknown): boolean {
  if (spec.kind === 'enum') return typeof value === 'string' && spec.values.includes(value);
  if (spec.kind === 'integer' && spec.auto && value === 'auto') return true;
  if (spec.kind === 'numbers') {
    if (!Array.isArray(value) || value.length < spec.minLength || value.length > spec.maxLength) return false;
    return value.every(
      (v, i) =>
        typeof v === 'number' && Number.isFinite(v) && inRange(spec, v) && (!spec.increasing || i === 0 || v > value[i - 1]),
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (spec.kind === 'integer') {
    return Number.isInteger(value) && value >= spec.min && value <= spec.max && (!spec.multipleOf || value % spec.multipleOf === 0);
  }
  return inRange(spec, value);
}

/** A model's configuration: its keys, defaults, and the checks that involve more than one key. */
export interface ConfigSchema<T extends object> {
  /** Named in error messages: "Invalid <what>". */
  readonly what: string;
  readonly spec: { readonly [K in keyof T]: KeySpec };
  readonly defaults: Readonly<T>;
  readonly keys: readonly (keyof T & string)[];
  /** Problems between keys, run once every key is valid on its own. */
  readonly crossCheck?: (config: T) => ConfigProblem[];
}

export function defineSchema<T extends object>(
  what: string,
  spec: { readonly [K in keyof T]: KeySpec },
  defaults: T,
  crossCheck?: (config: T) => ConfigProblem[],
): ConfigSchema<T> {
  return Object.freeze({
    what,
    spec,
    defaults: Object.freeze({ ...defaults }),
    keys: Object.keys(spec) as (keyof T & string)[],
    crossCheck,
  });
}

/**
 * Checks a partial configuration and fills in the defaults. Throws a ConfigError naming every bad key
 * (unknown keys, wrong types, NaN, out of range, cross-key problems) at once.
 */
export function resolveWith<T extends object>(schema: ConfigSchema<T>, input: unknown = {}): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError([{ key: '(configuration)', value: input, allowed: 'an object of configuration keys' }], schema.what);
  }
  const specs = schema.spec as Record<string, KeySpec>;
  const problems: ConfigProblem[] = [];
  const config: Record<string, unknown> = { ...schema.defaults };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const spec = specs[key];
    if (!spec) {
      problems.push({ key, value, allowed: `not a configuration key; known keys: ${schema.keys.join(', ')}` });
      continue;
    }
    if (!checkSpec(spec, value)) problems.push({ key, value, allowed: describeSpec(spec) });
    else config[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  if (problems.length === 0 && schema.crossCheck) problems.push(...schema.crossCheck(config as T));
  if (problems.length > 0) throw new ConfigError(problems, schema.what);
  return Object.freeze(config) as T;
}

/**
 * Turns string values keyed by kebab-case (CLI flags, attributes) into typed values. Numbers that do not
 * parse stay strings, so the validator reports them with the text the user wrote.
 */
export function parseStringsWith<T extends object>(schema: ConfigSchema<T>, entries: Record<string, string>): Record<string, unknown> {
  const specs = schema.spec as Record<string, KeySpec>;
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(entries)) {
    const key = camelCase(name);
    const spec = specs[key];
    const trimmed = text.trim();
    if (!spec) out[name] = text;
    else if (spec.kind === 'enum' || (spec.kind === 'integer' && spec.auto && trimmed === 'auto')) out[key] = trimmed;
    else if (spec.kind === 'numbers') {
      const parts = trimmed === '' ? [] : trimmed.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
      out[key] = parts.every(Number.isFinite) ? parts : text;
    } else {
      const n = trimmed === '' ? NaN : Number(trimmed);
      out[key] = Number.isFinite(n) ? n : text;
    }
  }
  return out;
}
