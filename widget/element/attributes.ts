// The element's attributes: every configuration key in kebab-case (checked by the one validator,
// resolveConfig), plus the element's own `autostart`, `controls` and `iterations`.
import type { PropertyDeclaration } from 'lit';
import {
  CONFIG_KEYS, CONFIG_SPEC, ConfigError, kebabCase, parseConfigStrings, resolveConfig, type HedgerConfig,
} from '../models/hedging/config.js';

/**
 * The configuration key `hidden` (units per hidden layer) would collide with the global HTML `hidden`
 * attribute and the HTMLElement.hidden property, so the element spells it `hidden-units` / `hiddenUnits`.
 */
export const RENAMED: Partial<Record<keyof HedgerConfig, string>> = { hidden: 'hiddenUnits' };

/** Property name on the element for a configuration key. */
export function propertyOf(key: keyof HedgerConfig): string {
  return RENAMED[key] ?? key;
}

/** Attribute name on the element for a configuration key. */
export function attributeOf(key: keyof HedgerConfig): string {
  return kebabCase(propertyOf(key));
}

/** Attribute text goes to the validator as written; properties may also be set to numbers. */
const configConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : value),
  toAttribute: (value: unknown) => (value === undefined || value === null ? null : String(value)),
};

/** Lit property declarations for every configuration key (reflected, so properties mirror attributes). */
export function configProperties(): Record<string, PropertyDeclaration> {
  const out: Record<string, PropertyDeclaration> = {};
  for (const key of CONFIG_KEYS) {
    out[propertyOf(key)] = { attribute: attributeOf(key), reflect: true, converter: configConverter };
  }
  return out;
}

export interface AttributeProblem {
  /** The attribute as written in HTML (kebab-case). */
  attribute: string;
  /** The configuration key or element property it sets. */
  key: string;
  value: unknown;
  allowed: string;
}

export interface ElementSettings {
  config: HedgerConfig | null;
  iterations: number | null;
  problems: AttributeProblem[];
}

/**
 * The element's default thread count when `workers` is not set: one less than the hardware threads
 * (at least 1, at most 4), so the page keeps a core to itself. `workers="auto"` takes them all (up to 4).
 */
export function elementDefaultWorkers(hardwareConcurrency: number | undefined): number {
  const n = hardwareConcurrency && hardwareConcurrency > 0 ? hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, n - 1));
}

/**
 * Reads the configuration properties and `iterations` off the element and validates them all at once.
 * `defaults` fills keys the element leaves unset before the validator's own defaults apply.
 */
export function readSettings(source: Record<string, unknown>, defaults: Partial<HedgerConfig> = {}): ElementSettings {
  const problems: AttributeProblem[] = [];
  const strings: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = source[propertyOf(key)];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') strings[kebabCase(key)] = value;
    else typed[key] = value;
  }
  let config: HedgerConfig | null = null;
  try {
    config = resolveConfig({ ...defaults, ...parseConfigStrings(strings), ...typed });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      const key = p.key as keyof HedgerConfig;
      const known = key in CONFIG_SPEC;
      const shown = known && typeof source[propertyOf(key)] === 'string' ? source[propertyOf(key)] : p.value;
      problems.push({ attribute: known ? attributeOf(key) : p.key, key: known ? propertyOf(key) : p.key, value: shown, allowed: p.allowed });
    }
  }
  let iterations: number | null = null;
  const raw = source.iterations;
  if (raw !== undefined && raw !== null && raw !== '') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (Number.isInteger(n) && n >= 1 && n <= Number.MAX_SAFE_INTEGER) iterations = n;
    else problems.push({ attribute: 'iterations', key: 'iterations', value: raw, allowed: 'a positive integer (train this many iterations, then stop)' });
  }
  return { config: problems.length ? null : config, iterations, problems };
}

/** `strike="abc": a number greater than 0 and at most 10`, as shown inline and in cher-error. */
export function describeProblem(p: AttributeProblem): string {
  const value = typeof p.value === 'string' ? JSON.stringify(p.value) : String(p.value);
  return `${p.attribute}=${value}: expected ${p.allowed}`;
}
