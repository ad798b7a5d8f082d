// <cher-hedger>: trains a deep hedging network in the page's training worker and shows it learning.
// The base (elements/base/training-element.ts) does the session, states, laziness, events and layout;
// this class declares the hedging model's schema, charts, stats table, panel and words.
import type { HedgerConfig } from '../../models/hedging/config.js';
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import { configProperties } from '../base/attributes.js';
import { elementStyles } from '../base/styles.js';
import { TrainingElement } from '../base/training-element.js';
import type { ChartSpec, ConfigProperties } from '../base/types.js';
import type { ChartId } from './chart-options.js';
import { hedgingCharts } from './charts.js';
import { HEDGER_FIELDS } from './controls.js';
import { HEDGER_ELEMENT, HEDGER_RENAMED } from './descriptor.js';
import { HedgingResults } from './results.js';
import { hedgingStats } from './stats.js';
import { describeProblemSetup, formatPrice, statusParts } from './status.js';
import { HEDGER_COLORS } from './theme.js';
import type { ProgressMessage } from '../worker/protocol.js';

export type { CherBackendDetail, CherErrorDetail, ElementState as HedgerState } from '../base/types.js';

// Declaration merging gives the class typed configuration properties (created by Lit from `properties`).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CherHedger extends ConfigProperties<HedgerConfig, typeof HEDGER_RENAMED> {}

/**
 * Trains a deep hedging network (Buehler et al. 2018) live in the page and charts it learning.
 * Training runs in the page's one training worker, shared by every element (WebGPU where available, else
 * multi-threaded WASM); the element starts when scrolled into view and pauses when off-screen or in a hidden tab.
 *
 * Every configuration key is an attribute in kebab-case (`risk-aversion`, `test-paths`, ...), checked by
 * the same validator as the headless API; `hidden` is spelt `hidden-units` because `hidden` is a global
 * HTML attribute. Unless `workers` is set, the WASM engine uses one thread less than the hardware has
 * (1 to 4), leaving a core to the page.
 *
 * @tag cher-hedger
 * @summary Live deep hedging: a network learns to hedge an option in the reader's browser.
 *
 * @attr {boolean} autostart - Start training when the element scrolls into view (with prefers-reduced-motion: reduce, waits for Start instead).
 * @attr {boolean} controls - Show the parameter panel (option, risk, strike, volatility, cost, steps, batch, learning rate) and Reset.
 * @attr {number} iterations - Stop after this many training iterations.
 * @attr {string} state - Read-only: idle, loading, ready, training, paused, done, diverged, invalid or error.
 *
 * @fires {CustomEvent<Progress>} cher-progress - About four times a second while training: iteration, loss, price, bsPrice, seconds, pathStepsPerSecond, secondsPerIteration.
 * @fires {CustomEvent<EvaluationReport>} cher-evaluation - About every 1.5 s while training, and on start, pause and stop: the network and baselines on the test set.
 * @fires {CustomEvent<CherBackendDetail>} cher-backend - When the engine is ready: backend (webgpu or wasm), detail and workers.
 * @fires {CustomEvent<CherErrorDetail>} cher-error - An invalid attribute (kind config, with problems), divergence (kind diverged), an engine failure (kind worker) or bad imported weights (kind import).
 *
 * @csspart base - The card around everything.
 * @csspart header - Title, status line and buttons.
 * @csspart title - The one-line description of the hedging problem.
 * @csspart status - The status line: engine, iteration, path-steps/s, time per iteration, price vs Black-Scholes.
 * @csspart button - Every button (start-button and reset-button too).
 * @csspart start-button - The Start / Pause button.
 * @csspart reset-button - The Reset button (with controls).
 * @csspart message - The inline message for invalid attributes, divergence and engine errors.
 * @csspart controls - The parameter panel.
 * @csspart charts - The grid of charts.
 * @csspart chart - Each chart's figure (also chart-loss, chart-price, chart-path, chart-rewards, chart-histogram, chart-policy).
 * @csspart chart-rewards - The test path's accounting P&L per step: option P&L, hedge P&L and cost stacked, with their running total.
 * @csspart legend - Each chart's legend.
 *
 * @cssprop [--cher-hedger-background=#fff / #111827] - Card background (light / dark scheme).
 * @cssprop [--cher-hedger-text-color=#1f2937 / #e5e7eb] - Text colour.
 * @cssprop [--cher-hedger-muted-color=#4b5563 / #a7b0be] - Secondary text and axis labels.
 * @cssprop [--cher-hedger-border-color=#d1d5db / #374151] - Card and field borders.
 * @cssprop [--cher-hedger-grid-color=#eceef1 / #253041] - Chart grid lines.
 * @cssprop [--cher-hedger-accent-color=#1d4ed8 / #93c5fd] - Buttons and focus rings.
 * @cssprop [--cher-hedger-accent-text-color=#fff / #0b1220] - Text on accent buttons.
 * @cssprop [--cher-hedger-network-color=#2563eb / #60a5fa] - The network's series.
 * @cssprop [--cher-hedger-bs-color=#c2410c / #fb923c] - Black-Scholes series.
 * @cssprop [--cher-hedger-no-hedge-color=#9ca3af / #6b7280] - The no-hedge histogram.
 * @cssprop [--cher-hedger-spot-color=#059669 / #34d399] - The spot on the test path.
 * @cssprop [--cher-hedger-cost-color=#9333ea / #c084fc] - Trading costs in the P&L-per-step chart (whose option P&L takes the Black-Scholes colour and hedge P&L the network's).
 * @cssprop [--cher-hedger-error-color=#b91c1c / #fca5a5] - Error message accent.
 * @cssprop [--cher-hedger-error-background=#fef2f2 / #3b1212] - Error message background.
 * @cssprop [--cher-hedger-radius=8px] - Card corner radius.
 * @cssprop [--cher-hedger-chart-height=150px] - Height of each chart.
 * @cssprop [--cher-hedger-chart-min-width=230px] - Narrowest chart column before the grid wraps.
 * @cssprop [--cher-hedger-font-family=system-ui] - Font.
 * @cssprop [--cher-hedger-font-size=14px] - Base font size.
 */
export class CherHedger extends TrainingElement<HedgerConfig, EvaluationReport> {
  static override styles = elementStyles(HEDGER_ELEMENT.tag, HEDGER_COLORS);
  static override properties = configProperties(HEDGER_ELEMENT);

  protected override get descriptor() {
    return HEDGER_ELEMENT;
  }
  protected override readonly theme = HEDGER_COLORS;
  protected override readonly controlFields = HEDGER_FIELDS;
  /** @internal What the charts draw from. */
  readonly results = new HedgingResults();
  protected override readonly chartSpecs: readonly ChartSpec[] = hedgingCharts(this);

  protected override onReady(reference: Record<string, number>): void {
    this.results.bsPrice = reference.bsPrice;
  }

  protected override onProgress(m: ProgressMessage): ChartId[] {
    this.results.takeProgress(m);
    return ['loss', 'price'];
  }

  protected override onEvaluation(report: EvaluationReport): ChartId[] {
    this.results.takeEvaluation(report);
    return ['price', 'path', 'rewards', 'histogram', 'policy'];
  }

  protected override clearResults(): void {
    this.results.clear();
  }

  protected override resultSummary(): string {
    const r = this.report;
    return r ? ` Price ${formatPrice(r.network.price)}, Black-Scholes ${formatPrice(this.results.bsPrice)}.` : '';
  }

  protected override heading(config: HedgerConfig | null): string {
    return config ? describeProblemSetup(config) : 'Deep hedging';
  }

  protected override statusParts(): string[] {
    const r = this.report;
    const p = this.progress;
    const bs = Number.isFinite(this.results.bsPrice) ? this.results.bsPrice : (r?.bsPrice ?? NaN);
    return statusParts(this.engine, p && p.iteration > 0 ? p : null, r?.network.price ?? null, bs);
  }

  protected override statsTable() {
    return hedgingStats(this.report);
  }
}
