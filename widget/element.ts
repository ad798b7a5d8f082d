// The elements' entry (dist/cher-hedger.js): defines every element of the bundle when loaded in a
// browser. Importing it elsewhere (server-side rendering, Node) touches no browser global and defines
// nothing. The elements live in elements/ (base/, the shared layer; one folder per element; worker/).
import { CherHedger } from './elements/cher-hedger/cher-hedger.js';
import type { CherBackendDetail, CherErrorDetail } from './elements/base/types.js';
import type { EvaluationReport } from './core/evaluation.js';
import type { Progress } from './trainer.js';

export { CherHedger };
export type { CherBackendDetail, CherErrorDetail, HedgerState } from './elements/cher-hedger/cher-hedger.js';
export type { AttributeProblem } from './elements/base/attributes.js';
export type { Progress, WeightsFile } from './trainer.js';
export type { EvaluationReport, StrategyStats } from './core/evaluation.js';
export type { HedgerConfig } from './config.js';

/** Defines <cher-hedger> (or another tag name) if it is not defined yet; returns the class. */
export function defineCherHedger(tagName = 'cher-hedger'): typeof CherHedger {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry && !registry.get(tagName)) registry.define(tagName, tagName === 'cher-hedger' ? CherHedger : class extends CherHedger {});
  return CherHedger;
}

defineCherHedger();

/** Attributes as JSX frameworks see them (Preact, Solid, React 19 with custom elements). */
export interface CherHedgerAttributes {
  option?: 'call' | 'put';
  strike?: number | string;
  maturity?: number | string;
  steps?: number | string;
  drift?: number | string;
  volatility?: number | string;
  cost?: number | string;
  risk?: 'mse' | 'entropic' | 'cvar' | 'mean-sd';
  'risk-aversion'?: number | string;
  'cvar-level'?: number | string;
  'sd-weight'?: number | string;
  premium?: 'learned' | 'none';
  'hidden-units'?: number | string;
  batch?: number | string;
  'test-paths'?: number | string;
  lr?: number | string;
  'lr-decay'?: number | string;
  'lr-decay-steps'?: number | string;
  'weight-decay'?: number | string;
  bptt?: 'full' | 'per-depth';
  seed?: number | string;
  backend?: 'auto' | 'webgpu' | 'wasm';
  workers?: number | 'auto' | string;
  autostart?: boolean;
  controls?: boolean;
  iterations?: number | string;
  id?: string;
  class?: string;
  className?: string;
  style?: string | Record<string, string | number>;
  slot?: string;
  hidden?: boolean;
  children?: unknown;
  key?: string | number;
  ref?: unknown;
  'oncher-progress'?: (e: CustomEvent<Progress>) => void;
  'oncher-evaluation'?: (e: CustomEvent<EvaluationReport>) => void;
  'oncher-backend'?: (e: CustomEvent<CherBackendDetail>) => void;
  'oncher-error'?: (e: CustomEvent<CherErrorDetail>) => void;
}

declare global {
  interface HTMLElementTagNameMap {
    'cher-hedger': CherHedger;
  }
  interface HTMLElementEventMap {
    'cher-progress': CustomEvent<Progress>;
    'cher-evaluation': CustomEvent<EvaluationReport>;
    'cher-backend': CustomEvent<CherBackendDetail>;
    'cher-error': CustomEvent<CherErrorDetail>;
  }
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'cher-hedger': CherHedgerAttributes;
    }
  }
}
