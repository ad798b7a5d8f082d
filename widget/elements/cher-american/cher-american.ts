// <cher-american>: prices an American (or Bermudan) option in the page's worker (the lattice at once,
// then least-squares Monte Carlo with its dual bound, then the neural value network trained live) and
// charts the exercise boundary, the early-exercise premium and the network's training. The base (elements/base/training-element.ts) does the session, states,
// laziness, events and layout; this class declares the American model's schema, charts, table and words.
import { css } from 'lit';
import type { AmericanConfig } from '../../models/american/config.js';
import type { AmericanTaskProgress, AmericanTaskReport } from '../../models/american/task-progress.js';
import { configProperties } from '../base/attributes.js';
import { elementStyles } from '../base/styles.js';
import { TrainingElement } from '../base/training-element.js';
import type { CherBackendDetail, CherErrorDetail, ChartSpec, ConfigProperties } from '../base/types.js';
import type { ProgressMessage, SeriesData } from '../worker/protocol.js';
import { CHART_IDS, americanCharts } from './charts.js';
import { AMERICAN_FIELDS } from './controls.js';
import { AMERICAN_ELEMENT, AMERICAN_RENAMED } from './descriptor.js';
import { describeOption, formatInterval, formatValue, statusParts } from './format.js';
import { NETWORK_CHART_IDS, networkCharts } from './network.js';
import { americanStats } from './stats.js';
import { AMERICAN_COLORS } from './theme.js';

// Declaration merging gives the class typed configuration properties (created by Lit from `properties`).
// It also types the element's events: the page-wide HTMLElementEventMap gives <cher-hedger>'s details.
/** <cher-american>'s events and their details. */
export interface CherAmericanEventMap {
  'cher-progress': CustomEvent<AmericanTaskProgress>;
  'cher-evaluation': CustomEvent<AmericanTaskReport>;
  'cher-backend': CustomEvent<CherBackendDetail>;
  'cher-error': CustomEvent<CherErrorDetail>;
}
type Listener<E> = (this: CherAmerican, ev: E) => unknown;
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CherAmerican extends ConfigProperties<AmericanConfig, typeof AMERICAN_RENAMED> {
  addEventListener<K extends keyof CherAmericanEventMap>(type: K, listener: Listener<CherAmericanEventMap[K]>, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: Listener<HTMLElementEventMap[K]>, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CherAmericanEventMap>(type: K, listener: Listener<CherAmericanEventMap[K]>, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: Listener<HTMLElementEventMap[K]>, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/**
 * Prices an American or Bermudan option in the page and charts why early exercise is worth something:
 * the Cox-Ross-Rubinstein lattice answers at once, then least-squares Monte Carlo (Longstaff-Schwartz)
 * prices it on simulated paths with a lower bound, a dual upper bound and their standard errors, then a
 * neural value network trains live (its TD error, its price converging into LSM's interval) and is valued
 * with the lower bound of the stopping rule it induces. Pricing
 * runs in the page's one worker, shared by every element; the element starts when scrolled into view.
 *
 * Every configuration key is an attribute in kebab-case, the same names as the CLI's `cher-hedger american`
 * flags (`spot`, `strike`, `dual-paths`, ...), checked by the same validator as `priceAmerican`.
 *
 * @tag cher-american
 * @summary American options priced live: lattice and least-squares Monte Carlo, the exercise boundary and the early-exercise premium.
 *
 * @attr {boolean} autostart - Run LSM and the network when the element scrolls into view (the lattice always prices at once; with prefers-reduced-motion: reduce, they wait for Start).
 * @attr {boolean} controls - Show the parameter panel (option, exercise, spot, strike, rate, dividend, volatility, maturity, steps, paths) and Reset.
 * @attr {number} iterations - The value network's training iterations (default 3000); the lattice and LSM always run to the end.
 * @attr {string} state - Read-only: idle, loading, ready, training (LSM or the network running), paused, done, diverged, invalid or error.
 *
 * @fires {CustomEvent<AmericanTaskProgress>} cher-progress - About four times a second while running: lattice, european, lsmFraction (0 to 1), lsmPhase, seconds; then the network's iteration, loss (TD error) and network (its price).
 * @fires {CustomEvent<AmericanTaskReport>} cher-evaluation - The report so far: with the lattice (at once), with LSM when it has finished, and with methods.network once the network is trained and evaluated.
 * @fires {CustomEvent<CherBackendDetail>} cher-backend - When the engine is ready: backend (wasm), detail (simd or scalar) and workers.
 * @fires {CustomEvent<CherErrorDetail>} cher-error - An invalid attribute (kind config, with problems) or an engine failure (kind worker).
 *
 * @csspart base - The card around everything.
 * @csspart header - Title, status line and buttons.
 * @csspart title - The option in one line.
 * @csspart status - The status line: engine, the lattice's price and time, LSM's progress or interval.
 * @csspart button - Every button (start-button and reset-button too).
 * @csspart start-button - The Start / Pause button (runs LSM).
 * @csspart reset-button - The Reset button (with controls).
 * @csspart message - The inline message for invalid attributes and engine errors.
 * @csspart controls - The parameter panel.
 * @csspart charts - The grid of charts.
 * @csspart chart - Each chart's figure (also chart-boundary, chart-value, chart-premium, chart-td, chart-convergence, chart-stats).
 * @csspart chart-boundary - The exercise boundary S*(t) of each method, with the strike.
 * @csspart chart-value - V(0, S) from the lattice against the European value and the payoff, over 0.5 K to 1.5 K.
 * @csspart chart-premium - The early-exercise premium V(0, S) - European over the same spots.
 * @csspart chart-td - The value network's mean squared TD error per iteration, on a log scale.
 * @csspart chart-convergence - The value network's price per iteration against LSM's lower and upper bounds and the lattice's value.
 * @csspart chart-stats - The table of methods: value, interval, standard errors, time; European value, premium, foresight.
 * @csspart legend - Each chart's legend.
 *
 * @cssprop [--cher-american-background=#fff / #111827] - Card background (light / dark scheme).
 * @cssprop [--cher-american-text-color=#1f2937 / #e5e7eb] - Text colour.
 * @cssprop [--cher-american-muted-color=#4b5563 / #a7b0be] - Secondary text and axis labels.
 * @cssprop [--cher-american-border-color=#d1d5db / #374151] - Card and field borders.
 * @cssprop [--cher-american-grid-color=#eceef1 / #253041] - Chart grid lines.
 * @cssprop [--cher-american-accent-color=#1d4ed8 / #93c5fd] - Buttons and focus rings.
 * @cssprop [--cher-american-accent-text-color=#fff / #0b1220] - Text on accent buttons.
 * @cssprop [--cher-american-lattice-color=#2563eb / #60a5fa] - The lattice's series (and the American value).
 * @cssprop [--cher-american-lsm-color=#c2410c / #fb923c] - LSM's series.
 * @cssprop [--cher-american-european-color=#059669 / #34d399] - The European value.
 * @cssprop [--cher-american-payoff-color=#9333ea / #c084fc] - The payoff.
 * @cssprop [--cher-american-network-color=#0f766e / #2dd4bf] - The value network's series.
 * @cssprop [--cher-american-error-color=#b91c1c / #fca5a5] - Error message accent.
 * @cssprop [--cher-american-error-background=#fef2f2 / #3b1212] - Error message background.
 * @cssprop [--cher-american-radius=8px] - Card corner radius.
 * @cssprop [--cher-american-chart-height=150px] - Height of each chart.
 * @cssprop [--cher-american-chart-min-width=230px] - Narrowest chart column before the grid wraps.
 * @cssprop [--cher-american-font-family=system-ui] - Font.
 * @cssprop [--cher-american-font-size=14px] - Base font size.
 */
export class CherAmerican extends TrainingElement<AmericanConfig, AmericanTaskReport> {
  static override styles = [
    ...elementStyles(AMERICAN_ELEMENT.tag, AMERICAN_COLORS),
    // The table of methods is wide: it takes the grid's full width, its method names wrap, and on narrow
    // cards every cell may (a scrolling table would need to be focusable).
    css`
      figure[part~='chart-stats'] { grid-column: 1 / -1; }
      .stats tbody th { white-space: normal; }
      @container (max-width: 520px) { .stats th, .stats td { white-space: normal; } }
    `,
  ];
  static override properties = configProperties(AMERICAN_ELEMENT);

  protected override get descriptor() {
    return AMERICAN_ELEMENT;
  }
  protected override readonly theme = AMERICAN_COLORS;
  protected override readonly controlFields = AMERICAN_FIELDS;
  /** @internal The worker's series (the network's TD error `loss` and price `network`), per progress message. */
  series: Record<string, SeriesData> = {};
  protected override readonly chartSpecs: readonly ChartSpec[] = [...americanCharts(this), ...networkCharts(this)];

  /** The latest progress, in the American task's shape. */
  override get progress(): AmericanTaskProgress | null {
    return super.progress as AmericanTaskProgress | null;
  }

  protected override onReady(): void {}

  protected override onProgress(m: ProgressMessage): readonly string[] {
    // Progress moves the status line and the table (re-rendered with every message) and the network's
    // curves; the other charts wait for the report.
    this.series = m.series;
    return m.series.loss?.x.length ? NETWORK_CHART_IDS : [];
  }

  protected override onEvaluation(): readonly string[] {
    return [...CHART_IDS, ...NETWORK_CHART_IDS];
  }

  protected override clearResults(): void {
    this.series = {};
  }

  protected override resultSummary(): string {
    const r = this.report;
    if (!r) return '';
    const lsm = r.methods.lsm;
    return ` Lattice ${formatValue(r.methods.lattice?.price)}${lsm ? `, LSM ${formatInterval(lsm.lower, lsm.upper)}` : ''}, European ${formatValue(r.european)}.`;
  }

  protected override heading(config: AmericanConfig | null): string {
    return config ? describeOption(config) : 'American option';
  }

  /** LSM is running or about to. */
  private get running(): boolean {
    return this.state === 'training' || (this.wantRun && (this.state === 'loading' || this.state === 'ready'));
  }

  protected override statusParts(): string[] {
    return statusParts(this.engine, this.report, this.progress, this.running);
  }

  protected override statsTable() {
    return americanStats(this.report, this.progress, this.running);
  }
}
