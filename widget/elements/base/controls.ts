// The compact parameter panel shown with the `controls` attribute. Each field sets the element's
// property (which reflects to its attribute), so the panel goes through the same validator as HTML.
import { html, type TemplateResult } from 'lit';
import type { KeySpec } from '../../shared/config-schema.js';
import { attributeOf, propertyOf } from './attributes.js';
import type { ElementDescriptor } from './types.js';

/** A configuration key offered in the panel. */
export interface ControlField<C extends object> {
  key: keyof C & string;
  label: string;
  /** The number input's step (default: any). */
  step?: string;
}

export interface ControlsHost extends HTMLElement {
  /** Unique per element, so several elements on a page have distinct ids. */
  readonly uid: string;
}

export function renderControls<C extends object>(
  host: ControlsHost, d: ElementDescriptor<C>, fields: readonly ControlField<C>[], config: C | null,
): TemplateResult {
  const values = host as unknown as Record<string, unknown>;
  const onChange = (key: keyof C & string) => (e: Event) => {
    values[propertyOf(d, key)] = (e.target as HTMLInputElement | HTMLSelectElement).value;
  };
  // Named after the element's title, so that two elements' panels are distinct landmarks.
  return html`<form part="controls" class="controls" aria-labelledby=${`${host.uid}-controls ${host.uid}-title`} @submit=${(e: Event) => e.preventDefault()}>
    <span class="sr-only" id=${`${host.uid}-controls`}>Parameters:</span>
    ${fields.map(({ key, label, step }) => {
      const spec: KeySpec = d.schema.spec[key];
      const name = attributeOf(d, key);
      const id = `${host.uid}-${name}`;
      const raw = values[propertyOf(d, key)];
      const value = raw ?? config?.[key];
      // An unset optional key (a strike only some payoffs need) is an empty field, not "undefined".
      const current = value !== undefined && value !== null ? String(value) : '';
      const field =
        spec.kind === 'enum'
          ? html`<select id=${id} name=${name} .value=${current} @change=${onChange(key)}>
              ${spec.values.map((v) => html`<option value=${v} ?selected=${v === current}>${v}</option>`)}
            </select>`
          : spec.kind === 'numbers'
            ? html`<input id=${id} name=${name} type="text" inputmode="decimal" .value=${current} @change=${onChange(key)} />`
            : html`<input id=${id} name=${name} type="number" inputmode="decimal" .value=${current}
                min=${spec.min} max=${spec.max} step=${step ?? 'any'} @change=${onChange(key)} />`;
      return html`<div class="field"><label for=${id} title=${spec.doc}>${label}</label>${field}</div>`;
    })}
  </form>`;
}
