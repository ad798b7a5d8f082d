// The elements' entry (dist/cher-hedger.js): defines every element of the bundle when loaded in a
// browser. Importing it elsewhere (server-side rendering, Node) touches no browser global and defines
// nothing. The elements live in elements/ (base/, the shared layer; one folder per element; worker/).
import { CherAmerican } from './elements/cher-american/cher-american.js';
import { CherBounds } from './elements/cher-bounds/cher-bounds.js';
import type { BOUNDS_RENAMED } from './elements/cher-bounds/descriptor.js';
import { CherHedger } from './elements/cher-hedger/cher-hedger.js';
import type { CherBackendDetail, CherErrorDetail, ConfigAttributes } from './elements/base/types.js';
import type { AMERICAN_RENAMED } from './elements/cher-american/descriptor.js';
import type { HEDGER_RENAMED } from './elements/cher-hedger/descriptor.js';
import type { AmericanConfig } from './models/american/config.js';
import type { AmericanReport } from './models/american/price.js';
import type { AmericanTaskProgress } from './models/american/task-progress.js';
import type { HedgerConfig } from './models/hedging/config.js';
import type { EvaluationReport } from './models/hedging/evaluation.js';
import type { Progress } from './models/hedging/model.js';
import type { BoundsConfig } from './models/bounds/config.js';
import type { BoundsEvaluation } from './elements/worker/bounds-task.js';
import type { Progress as AnyProgress } from './elements/worker/protocol.js';

export { CherHedger, CherAmerican, CherBounds };
export type { CherAmericanEventMap } from './elements/cher-american/cher-american.js';
export type { AmericanConfig } from './models/american/config.js';
export type { AmericanReport, LatticeResult, LsmResult, ExerciseBoundary } from './models/american/price.js';
export type { AmericanTaskProgress } from './models/american/task-progress.js';
export type { CherBackendDetail, CherErrorDetail, HedgerState } from './elements/cher-hedger/cher-hedger.js';
export type { AttributeProblem } from './elements/base/attributes.js';
export type { Progress } from './models/hedging/model.js';
export type { WeightsFile } from './runtime/training/trainer.js';
export type { EvaluationReport, StrategyStats } from './models/hedging/evaluation.js';
export type { HedgerConfig } from './models/hedging/config.js';
export type { BoundsEvaluation } from './elements/worker/bounds-task.js';
export type { BoundsConfig } from './models/bounds/config.js';
export type { BoundsReport, CallQuote, Marginal, Repair, SolverReport, Strategy } from './models/bounds/solve.js';

/** Defines <cher-hedger> (or another tag name) if it is not defined yet; returns the class. */
export function defineCherHedger(tagName = 'cher-hedger'): typeof CherHedger {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry && !registry.get(tagName)) registry.define(tagName, tagName === 'cher-hedger' ? CherHedger : class extends CherHedger {});
  return CherHedger;
}

/** Defines <cher-american> (or another tag name) if it is not defined yet; returns the class. */
export function defineCherAmerican(tagName = 'cher-american'): typeof CherAmerican {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry && !registry.get(tagName)) registry.define(tagName, tagName === 'cher-american' ? CherAmerican : class extends CherAmerican {});
  return CherAmerican;
}


/** Defines <cher-bounds> (or another tag name) if it is not defined yet; returns the class. */
export function defineCherBounds(tagName = 'cher-bounds'): typeof CherBounds {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry && !registry.get(tagName)) registry.define(tagName, tagName === 'cher-bounds' ? CherBounds : class extends CherBounds {});
  return CherBounds;
}

defineCherHedger();
defineCherAmerican();
defineCherBounds();

/** What every training element accepts in JSX besides its configuration: its own attributes, the global ones, events. */
export interface TrainingElementAttributes<Report, P = Progress> {
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
  'oncher-progress'?: (e: CustomEvent<P>) => void;
  'oncher-evaluation'?: (e: CustomEvent<Report>) => void;
  'oncher-backend'?: (e: CustomEvent<CherBackendDetail>) => void;
  'oncher-error'?: (e: CustomEvent<CherErrorDetail>) => void;
}

/** <cher-hedger>'s attributes as JSX frameworks see them (Preact, Solid, React 19 with custom elements). */
export interface CherHedgerAttributes
  extends ConfigAttributes<HedgerConfig, typeof HEDGER_RENAMED>, TrainingElementAttributes<EvaluationReport> {}

/** <cher-american>'s attributes as JSX frameworks see them. */
export interface CherAmericanAttributes
  extends ConfigAttributes<AmericanConfig, typeof AMERICAN_RENAMED>, TrainingElementAttributes<AmericanReport, AmericanTaskProgress> {}

/** <cher-bounds>'s attributes as JSX frameworks see them; `quotes` also takes the array as a property. */
export interface CherBoundsAttributes
  extends ConfigAttributes<BoundsConfig, typeof BOUNDS_RENAMED>, TrainingElementAttributes<BoundsEvaluation, AnyProgress> {
  quotes?: string;
}

declare global {
  interface HTMLElementTagNameMap {
    'cher-hedger': CherHedger;
    'cher-american': CherAmerican;
    'cher-bounds': CherBounds;
  }
  /** The page-wide map gives <cher-hedger>'s details; <cher-american> types its own (CherAmericanEventMap). */
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
      'cher-american': CherAmericanAttributes;
      'cher-bounds': CherBoundsAttributes;
    }
  }
}
