// custom-elements.json's configuration attributes for every element of the bundle, from its schema:
// one per key, named as the element spells it, with its type, default and what it allows, so the
// manifest, the demo's reference and the validator cannot disagree. The build runs this in Node.
import { describeSpec, type KeySpec } from '../shared/config-schema.js';
import { attributeOf, elementKeys, propertyOf } from './base/attributes.js';
import type { ElementDescriptor } from './base/types.js';
import { ELEMENTS } from './registry.js';

export interface ManifestAttribute {
  name: string;
  fieldName: string;
  type: { text: string };
  default: string;
  description: string;
}

function typeOf(spec: KeySpec): string {
  if (spec.kind === 'enum') return spec.values.map((v) => `'${v}'`).join(' | ');
  if (spec.kind === 'numbers') return 'number[]';
  return spec.kind === 'integer' && spec.auto ? "number | 'auto'" : 'number';
}

function shownDefault(value: unknown): string {
  return JSON.stringify(typeof value === 'number' ? Number(value.toPrecision(6)) : value);
}

export function configAttributes<C extends object>(d: ElementDescriptor<C>): ManifestAttribute[] {
  return elementKeys(d).map((key) => {
    const spec: KeySpec = d.schema.spec[key];
    return {
      name: attributeOf(d, key),
      fieldName: propertyOf(d, key),
      type: { text: typeOf(spec) },
      default: shownDefault(d.schema.defaults[key]),
      description: `${spec.doc[0].toUpperCase()}${spec.doc.slice(1)}: ${describeSpec(spec)}.`,
    };
  });
}

/** Each element's configuration attributes, by tag. */
export function elementAttributes(): Record<string, ManifestAttribute[]> {
  return Object.fromEntries(ELEMENTS.map((d) => [d.tag, configAttributes(d)]));
}
