// The compact parameter panel shown with the `controls` attribute. Each field sets the element's
// property (which reflects to its attribute), so the panel goes through the same validator as HTML.
import { html, type TemplateResult } from 'lit';
import { CONFIG_SPEC, type HedgerConfig } from '../../models/hedging/config.js';
import { attributeOf, propertyOf } from '../attributes.js';

interface Field {
  key: keyof HedgerConfig;
  label: string;
  step?: string;
}

const FIELDS: Field[] = [
  { key: 'option', label: 'Option' },
  { key: 'risk', label: 'Risk' },
  { key: 'strike', label: 'Strike', step: '0.05' },
  { key: 'volatility', label: 'Volatility', step: '0.05' },
  { key: 'cost', label: 'Cost rate', step: '0.001' },
  { key: 'steps', label: 'Steps', step: '1' },
  { key: 'batch', label: 'Batch', step: '256' },
  { key: 'lr', label: 'Learning rate', step: '0.001' },
];

export interface ControlsHost extends HTMLElement {
  /** Unique per element, so several elements on a page have distinct ids. */
  readonly uid: string;
}

export function renderControls(host: ControlsHost, config: HedgerConfig | null): TemplateResult {
  const values = host as unknown as Record<string, unknown>;
  const onChange = (key: keyof HedgerConfig) => (e: Event) => {
    const value = (e.target as HTMLInputElement | HTMLSelectElement).value;
    values[propertyOf(key)] = value;
  };
  return html`<form part="controls" class="controls" aria-label="Training parameters" @submit=${(e: Event) => e.preventDefault()}>
    ${FIELDS.map(({ key, label, step }) => {
      const spec = CONFIG_SPEC[key];
      const id = `${host.uid}-${attributeOf(key)}`;
      const raw = values[propertyOf(key)];
      const current = raw !== undefined && raw !== null ? String(raw) : config ? String(config[key]) : '';
      const field =
        spec.kind === 'enum'
          ? html`<select id=${id} name=${attributeOf(key)} .value=${current} @change=${onChange(key)}>
              ${spec.values.map((v) => html`<option value=${v} ?selected=${v === current}>${v}</option>`)}
            </select>`
          : html`<input id=${id} name=${attributeOf(key)} type="number" inputmode="decimal" .value=${current}
              min=${spec.min} max=${spec.max} step=${step ?? 'any'} @change=${onChange(key)} />`;
      return html`<div class="field"><label for=${id} title=${spec.doc}>${label}</label>${field}</div>`;
    })}
  </form>`;
}
