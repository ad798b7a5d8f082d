// <cher-bounds>: model-free price bounds of an exotic (docs/numerics.md), solved live by the entropic solver
// in the page's training worker. The base (elements/base/training-element.ts) does the session, states,
// laziness, events and layout; this class declares the bounds schema, quotes, charts, table and words.
import type { PropertyDeclarations } from 'lit';
import type { BoundsConfig } from '../../models/bounds/config.js';
import type { CallQuote } from '../../models/bounds/solve.js';
import { configProperties, type AttributeProblem } from '../base/attributes.js';
import { elementStyles } from '../base/styles.js';
import { TrainingElement } from '../base/training-element.js';
import type { ChartSpec, ConfigProperties } from '../base/types.js';
import type { BoundsEvaluation } from '../worker/bounds-task.js';
import type { ProgressMessage } from '../worker/protocol.js';
import type { ChartId } from './chart-options.js';
import { boundsCharts } from './charts.js';
import { BOUNDS_FIELDS } from './controls.js';
import { BOUNDS_ELEMENT, BOUNDS_RENAMED } from './descriptor.js';
import { BoundsResults } from './results.js';
import { boundsStats, insideText } from './stats.js';
import { describeBounds, formatBound, statusParts } from './status.js';
import { BOUNDS_COLORS } from './theme.js';
import { refineBounds } from './validate.js';

export type { BoundsEvaluation } from '../worker/bounds-task.js';

// Declaration merging gives the class typed configuration properties (created by Lit from `properties`).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CherBounds extends ConfigProperties<BoundsConfig, typeof BOUNDS_RENAMED> {}

/**
 * Model-free price bounds of an exotic option: the lowest and highest price over every joint law of the
 * spot at the given dates that keeps the marginals (from a binomial tree, Black-Scholes laws or call
 * quotes) and is a martingale, with the couplings that attain them, the super- and sub-replicating static
 * positions, and where the marginals' own model price lies. Solved by the entropic solver (epsilon
 * annealed towards 0) in the page's one worker, a few dozen sweeps per turn, so other elements keep
 * theirs; it starts when scrolled into view and pauses off-screen.
 *
 * Every configuration key is an attribute in kebab-case with the CLI's flag names (`payoff`, `strike`,
 * `dates="0.5,1"`, `tree-steps`, ...), checked by the same validator as the headless API `priceBounds`.
 *
 * @tag cher-bounds
 * @summary Model-free bounds: the cheapest super-replication and richest sub-replication of an exotic, live.
 *
 * @attr {boolean} autostart - Start solving when the element scrolls into view (with prefers-reduced-motion: reduce, waits for Start instead).
 * @attr {boolean} controls - Show the parameter panel (payoff, strike, dates, marginals, volatility, tree steps, grid size, epsilon) and Reset.
 * @attr {number} iterations - Stop after this many sweeps (both sides together).
 * @attr {string} quotes - Call quotes (sets marginals to quotes unless given): JSON, an array of {maturity, strike, call} or of [maturity, strike, call], or CSV text with the header maturity,strike,call. The `quotes` property also takes the array itself.
 * @attr {string} state - Read-only: idle, loading, ready, training (solving), paused, done, invalid or error.
 *
 * @fires {CustomEvent<Progress>} cher-progress - About four times a second while solving: iteration (sweeps), lower and upper bounds known so far, gap, marginal and martingale violations, epsilon, modelPrice.
 * @fires {CustomEvent<BoundsEvaluation>} cher-evaluation - On start, about every 1.5 s while solving, and when done: the marginals, bounds so far, and (when done) the solver's full report in `result`.
 * @fires {CustomEvent<CherBackendDetail>} cher-backend - When the solver is ready: backend (webgpu or wasm, as the `backend` attribute chose), detail and workers.
 * @fires {CustomEvent<CherErrorDetail>} cher-error - An invalid attribute or quotes (kind config, with problems) or a solver failure (kind worker).
 *
 * @csspart base - The card around everything.
 * @csspart header - Title, status line and buttons.
 * @csspart title - The exotic, its dates and where the marginals come from.
 * @csspart status - The status line: engine, sweep, epsilon, the interval so far and the model's price.
 * @csspart button - Every button (start-button and reset-button too).
 * @csspart start-button - The Start / Pause button.
 * @csspart reset-button - The Reset button (with controls).
 * @csspart message - The inline message for invalid attributes and solver errors.
 * @csspart controls - The parameter panel.
 * @csspart charts - The grid of charts.
 * @csspart chart - Each chart's figure (also chart-interval, chart-convergence, chart-marginals, chart-coupling-lower, chart-coupling-upper, chart-strategy, chart-stats).
 * @csspart legend - Each chart's legend.
 *
 * @cssprop [--cher-bounds-background=#fff / #111827] - Card background (light / dark scheme).
 * @cssprop [--cher-bounds-text-color=#1f2937 / #e5e7eb] - Text colour, and the duality gap's line.
 * @cssprop [--cher-bounds-muted-color=#4b5563 / #a7b0be] - Secondary text and axis labels.
 * @cssprop [--cher-bounds-border-color=#d1d5db / #374151] - Card and field borders.
 * @cssprop [--cher-bounds-grid-color=#eceef1 / #253041] - Chart grid lines.
 * @cssprop [--cher-bounds-accent-color=#1d4ed8 / #93c5fd] - Buttons and focus rings.
 * @cssprop [--cher-bounds-accent-text-color=#fff / #0b1220] - Text on accent buttons.
 * @cssprop [--cher-bounds-lower-color=#1d4ed8 / #60a5fa] - The lower bound, its coupling and the sub-replication.
 * @cssprop [--cher-bounds-upper-color=#c2410c / #fb923c] - The upper bound, its coupling and the super-replication.
 * @cssprop [--cher-bounds-model-color=#047857 / #34d399] - The marginals' own model price.
 * @cssprop [--cher-bounds-plan-color=#6b7280 / #9ca3af] - The entropic plan's E[f].
 * @cssprop [--cher-bounds-marginal-color=#7c3aed / #c4b5fd] - The marginals, and the marginal violation.
 * @cssprop [--cher-bounds-martingale-color=#be185d / #f472b6] - The martingale violation.
 * @cssprop [--cher-bounds-error-color=#b91c1c / #fca5a5] - Error message accent.
 * @cssprop [--cher-bounds-error-background=#fef2f2 / #3b1212] - Error message background.
 * @cssprop [--cher-bounds-radius=8px] - Card corner radius.
 * @cssprop [--cher-bounds-chart-height=150px] - Height of each chart.
 * @cssprop [--cher-bounds-chart-min-width=230px] - Narrowest chart column before the grid wraps.
 * @cssprop [--cher-bounds-font-family=system-ui] - Font.
 * @cssprop [--cher-bounds-font-size=14px] - Base font size.
 */
export class CherBounds extends TrainingElement<BoundsConfig, BoundsEvaluation> {
  static override styles = elementStyles(BOUNDS_ELEMENT.tag, BOUNDS_COLORS);
  static override properties: PropertyDeclarations = {
    ...configProperties(BOUNDS_ELEMENT),
    quotes: { attribute: 'quotes' },
  };

  /** Call quotes: an array of {maturity, strike, call}, or the attribute's JSON or CSV text. */
  quotes: readonly CallQuote[] | string | undefined = undefined;

  protected override get descriptor() {
    return BOUNDS_ELEMENT;
  }
  protected override readonly extraProperties = ['quotes'];
  protected override readonly theme = BOUNDS_COLORS;
  protected override readonly controlFields = BOUNDS_FIELDS;
  /** @internal What the charts draw from. */
  readonly results = new BoundsResults();
  private readonly specs = boundsCharts(this);

  protected override get chartSpecs(): readonly ChartSpec[] {
    return (this.config?.dates.length ?? 2) === 2 ? this.specs.twoDates : this.specs.manyDates;
  }

  protected override refineConfig(config: BoundsConfig): { config: BoundsConfig } | { problems: AttributeProblem[] } {
    const own = this as unknown as Record<string, unknown>;
    return refineBounds(config, {
      quotes: this.quotes,
      dates: own.dates !== undefined && own.dates !== null,
      marginals: own.marginals !== undefined && own.marginals !== null,
      shown: (key) => own[key],
    });
  }

  protected override onReady(reference: Record<string, number>): void {
    this.results.modelPrice = reference.modelPrice ?? NaN;
  }

  protected override onProgress(m: ProgressMessage): ChartId[] {
    this.results.takeProgress(m);
    return ['interval', 'convergence'];
  }

  protected override onEvaluation(report: BoundsEvaluation): ChartId[] {
    if (report.result) return ['interval', 'marginals', 'coupling-lower', 'coupling-upper', 'strategy'];
    return ['marginals'];
  }

  protected override clearResults(): void {
    this.results.clear();
  }

  protected override resultSummary(): string {
    const r = this.report;
    if (!r || r.lower === null || r.upper === null) return '';
    const model = r.modelPrice === null ? '' : `; the model's price ${formatBound(r.modelPrice)} is ${insideText(r.lower, r.upper, r.modelPrice) === 'NO' ? 'outside' : 'inside'}`;
    return ` Bounds [${formatBound(r.lower)}, ${formatBound(r.upper)}]${model}.`;
  }

  protected override heading(config: BoundsConfig | null): string {
    return config ? describeBounds(config) : 'Model-free bounds';
  }

  protected override statusParts(): string[] {
    return statusParts(this.engine, this.progress, this.results.modelPrice);
  }

  protected override statsTable() {
    return boundsStats(this.report, this.results.modelPrice);
  }
}
