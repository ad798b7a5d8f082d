// What the bounds schema cannot check attribute by attribute, checked before anything starts, as the
// headless API checks it: the quotes (form and arbitrage), dates against the quotes' maturities and the
// tree, and the problem's size. Each problem names its attribute.
import { BOUNDS_SCHEMA, type BoundsConfig } from '../../models/bounds/config.js';
import { ENTROPIC_MAX_CELLS } from '../../models/bounds/entropic.js';
import { pathCount, prepareBounds, type CallQuote } from '../../models/bounds/solve.js';
import { ConfigError } from '../../shared/config-schema.js';
import { attributeOf, type AttributeProblem } from '../base/attributes.js';
import { BOUNDS_ELEMENT } from './descriptor.js';
import { readQuotes } from './quotes.js';

/** The configuration the worker gets: the schema's keys, and the quotes when the marginals come from them. */
export type BoundsWorkerConfig = BoundsConfig & { quotes?: CallQuote[] };

export interface Written {
  /** The quotes property (array or text). */
  quotes: unknown;
  /** Whether `dates` and `marginals` were set (with quotes, unset dates are the quotes' maturities). */
  dates: boolean;
  marginals: boolean;
  /** What the reader wrote for a key, as shown in a message. */
  shown(key: string): unknown;
}

export function refineBounds(config: BoundsConfig, written: Written): { config: BoundsWorkerConfig } | { problems: AttributeProblem[] } {
  const attribute = (key: string) => (key in BOUNDS_SCHEMA.spec ? attributeOf(BOUNDS_ELEMENT, key as keyof BoundsConfig) : key);
  const problem = (key: string, value: unknown, allowed: string): AttributeProblem => ({ attribute: attribute(key), key, value, allowed });
  const { quotes, problem: quoteProblem } = readQuotes(written.quotes);
  if (quoteProblem) return { problems: [problem('quotes', shownQuotes(written.quotes), quoteProblem)] };
  const input: Record<string, unknown> = { ...config };
  if (quotes) {
    input.quotes = quotes;
    if (!written.marginals) input.marginals = 'quotes';
    if (!written.dates) delete input.dates;
  }
  try {
    const { config: resolved, marginals } = prepareBounds(input);
    const cells = pathCount(marginals);
    if (cells > ENTROPIC_MAX_CELLS) {
      const key = resolved.marginals === 'binomial' ? 'treeSteps' : resolved.marginals === 'lognormal' ? 'gridSize' : 'quotes';
      const allowed = `a smaller problem: ${resolved.dates.length} dates give ${cells.toLocaleString('en-US')} paths, the entropic solver takes at most ${ENTROPIC_MAX_CELLS.toLocaleString('en-US')} (fewer atoms or dates)`;
      return { problems: [problem(key, key === 'quotes' ? shownQuotes(written.quotes) : written.shown(key), allowed)] };
    }
    return { config: Object.freeze({ ...(resolved as BoundsConfig), ...(quotes ? { quotes } : {}) }) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems.map((p) => problem(p.key, p.key === 'quotes' ? shownQuotes(written.quotes) : written.shown(p.key) ?? p.value, p.allowed)) };
  }
}

/** Quotes in a message: attribute text as written (shortened), an array by its length. */
function shownQuotes(value: unknown): string {
  if (typeof value === 'string') return value.length > 60 ? value.slice(0, 57) + '...' : value;
  return Array.isArray(value) ? `(${value.length} quotes)` : String(value);
}
