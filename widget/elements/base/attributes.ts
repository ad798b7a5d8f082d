// An element's attributes from its model's configuration schema: every key in kebab-case (checked by
// the schema's one validator, as the headless API and CLI are), plus every training element's own
// `iterations`. Keys whose names collide with HTML are renamed per element (ElementDescriptor.renamed).
import type { PropertyDeclaration } from 'lit';
import { ConfigError, kebabCase, parseStringsWith, resolveWith } from '../../shared/config-schema.js';
import type { ElementDescriptor } from './types.js';

type Naming<C extends object> = Pick<ElementDescriptor<C>, 'renamed'>;

/** The configuration keys the element offers: the schema's, less those its descriptor omits. */
export function elementKeys<C extends object>(d: ElementDescriptor<C>): (keyof C & string)[] {
  return d.schema.keys.filter((key) => !d.omitted?.includes(key));
}

/** Property name on the element for a configuration key. */
export function propertyOf<C extends object>(d: Naming<C>, key: keyof C & string): string {
  return d.renamed[key] ?? key;
}

/** Attribute name on the element for a configuration key. */
export function attributeOf<C extends object>(d: Naming<C>, key: keyof C & string): string {
  return kebabCase(propertyOf(d, key));
}

/** Attribute text goes to the validator as written; properties may also be set to numbers. */
export const textConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : value),
  toAttribute: (value: unknown) => (value === undefined || value === null ? null : String(value)),
};

/** Lit property declarations for every configuration key (reflected, so properties mirror attributes). */
export function configProperties<C extends object>(d: ElementDescriptor<C>): Record<string, PropertyDeclaration> {
  const out: Record<string, PropertyDeclaration> = {};
  for (const key of elementKeys(d)) out[propertyOf(d, key)] = { attribute: attributeOf(d, key), reflect: true, converter: textConverter };
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

export interface ElementSettings<C> {
  config: C | null;
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
 * `defaults` fills keys the element leaves unset before the schema's own defaults apply.
 */
export function readSettingsWith<C extends object>(
  d: ElementDescriptor<C>, source: Record<string, unknown>, defaults: Partial<C> = {},
): ElementSettings<C> {
  const problems: AttributeProblem[] = [];
  const strings: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  for (const key of elementKeys(d)) {
    const value = source[propertyOf(d, key)];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') strings[kebabCase(key)] = value;
    else typed[key] = value;
  }
  let config: C | null = null;
  try {
    config = resolveWith(d.schema, { ...defaults, ...parseStringsWith(d.schema, strings), ...typed });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      const key = p.key as keyof C & string;
      const known = key in d.schema.spec;
      const shown = known && typeof source[propertyOf(d, key)] === 'string' ? source[propertyOf(d, key)] : p.value;
      problems.push({ attribute: known ? attributeOf(d, key) : p.key, key: known ? propertyOf(d, key) : p.key, value: shown, allowed: p.allowed });
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
