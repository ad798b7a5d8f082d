// <cher-hedger>: trains a deep hedging network in a dedicated worker and shows it learning.
// This file wires the features together; each concern lives in its own module:
//   attributes.ts (configuration attributes and the validator), worker-client.ts and worker.ts (training
//   off the main thread), charts.ts and chart-data.ts (uPlot, guarded data), features/visibility.ts
//   (laziness, reduced motion, colour scheme), features/status.ts (status text), features/controls.ts.
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { CONFIG_KEYS, type HedgerConfig } from '../models/hedging/config.js';
import type { EvaluationReport, StrategyStats } from '../models/hedging/evaluation.js';
import type { WeightsFile } from '../runtime/training/trainer.js';
import type { Progress } from '../models/hedging/model.js';
import { configProperties, describeProblem, elementDefaultWorkers, propertyOf, readSettings, type AttributeProblem, type ElementSettings } from './attributes.js';
import { histogramData, histogramTop, lossData, pathData, policyData, priceData, rewardData } from './chart-data.js';
import { CHART_IDS, ChartSet, type ChartId } from './charts.js';
import { renderControls } from './features/controls.js';
import { describeProblemSetup, engineText, formatPrice, statusParts, type EngineInfo } from './features/status.js';
import { VisibilityController } from './features/visibility.js';
import type { FromWorker, SeriesData, SharedResources } from './protocol.js';
import { styles } from './styles.js';
import { WorkerClient } from './worker-client.js';

/** What the element is doing, reflected to its `state` attribute (read-only). */
export type HedgerState = 'idle' | 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'diverged' | 'invalid' | 'error';

export interface CherErrorDetail {
  /** `config`: an attribute is invalid; `diverged`: training stopped on a non-finite loss (the last good
   * weights were restored); `worker`: the engine failed; `import`: importWeights was given bad weights. */
  kind: 'config' | 'diverged' | 'worker' | 'import';
  message: string;
  /** For `config`: every invalid attribute, its value and what it allows. */
  problems?: AttributeProblem[];
}

export interface CherBackendDetail {
  /** `webgpu` or `wasm`. */
  backend: string;
  /** SIMD/scalar for WASM, the adapter for WebGPU. */
  detail: string;
  /** Threads this element's engine trains on. */
  workers: number;
  /** What every element on the page shares: the one worker's WASM threads and GPU devices. */
  shared: SharedResources;
}

type ConfigProperties = {
  [K in keyof HedgerConfig as K extends 'hidden' ? 'hiddenUnits' : K]?: HedgerConfig[K] | string;
};

const CHART_TITLES: Record<ChartId, string> = {
  loss: 'Training loss (log scale)',
  price: 'Price vs Black-Scholes',
  path: 'A test path: spot and hedges',
  rewards: 'The test path: P&L per step',
  histogram: 'Hedged P&L on the test set',
  policy: 'Hedge vs spot at mid-life',
};

/** Each part of the test path's step rewards summed over the path (cost negative), and their total. */
function rewardTotals(r: EvaluationReport): { option: number; hedge: number; cost: number; total: number } {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const { optionPnl, hedgePnl, cost } = r.samplePath.rewards;
  const t = { option: sum(optionPnl), hedge: sum(hedgePnl), cost: -sum(cost), total: 0 };
  t.total = t.option + t.hedge + t.cost;
  return t;
}

/** 0.0123 as "+0.0123", -0.0123 with a minus sign, and what rounds to zero as "0.0000". */
function signed(x: number): string {
  const digits = Math.abs(x).toFixed(4);
  return Number(digits) === 0 ? digits : (x < 0 ? '\u2212' : '+') + digits;
}

let uidCounter = 0;

// Declaration merging gives the class typed configuration properties (created by Lit from `properties`).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface CherHedger extends ConfigProperties {}

/**
 * Trains a deep hedging network (Buehler et al. 2018) live in the page and charts it learning.
 * Training runs in a dedicated Web Worker (WebGPU where available, else multi-threaded WASM); the element
 * starts when scrolled into view and pauses when off-screen or in a hidden tab.
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
export class CherHedger extends LitElement {
  static override styles = styles;

  static override properties = {
    ...configProperties(),
    autostart: { type: Boolean, reflect: true },
    controls: { type: Boolean, reflect: true },
    iterations: {
      reflect: true,
      converter: {
        fromAttribute: (v: string | null) => (v === null ? undefined : v),
        toAttribute: (v: unknown) => (v === undefined || v === null ? null : String(v)),
      },
    },
    state: { reflect: true },
  };

  /** Start training when scrolled into view. */
  autostart = false;
  /** Show the parameter panel. */
  controls = false;
  /** Stop after this many iterations. */
  iterations: number | string | undefined = undefined;
  /** What the element is doing (read-only; reflected to the `state` attribute). */
  state: HedgerState = 'idle';

  /** @internal Unique per element (ids inside the shadow root, for labels). */
  readonly uid = `cher-hedger-${++uidCounter}`;

  private readonly visibility = new VisibilityController(this);
  private settings: ElementSettings = { config: null, iterations: null, problems: [] };
  private settingsDirty = true;
  private client: WorkerClient | null = null;
  private generation = 0;
  private wantRun = false;
  private started = false;
  private commandedRun = false;
  private teardownTimer: ReturnType<typeof setTimeout> | null = null;
  private charts: ChartSet | null = null;
  private drawScheduled = 0;
  private dirty = new Set<ChartId>();
  private drawnCharts = new Set<ChartId>();
  private engineInfo: EngineInfo | null = null;
  private latest: Progress | null = null;
  private lossSeries: SeriesData = { x: [], y: [] };
  private priceSeries: SeriesData = { x: [], y: [] };
  private testPrices: SeriesData = { x: [], y: [] };
  private latestReport: EvaluationReport | null = null;
  private bsPrice = NaN;
  private notice: { kind: 'error' | 'note'; title: string; text: string } | null = null;
  private announcement = '';

  // ---- public API -------------------------------------------------------------------------------

  /** The engine in use once ready: `webgpu` or `wasm` (null before). The `backend` property is the request (auto, webgpu, wasm). */
  get activeBackend(): string | null {
    return this.engineInfo?.backend ?? null;
  }
  /** The engine's detail once ready (SIMD or scalar WASM, or the GPU adapter) and its thread count. */
  get engine(): CherBackendDetail | null {
    return this.engineInfo ? { ...this.engineInfo } : null;
  }
  /** The latest training progress. */
  get progress(): Progress | null {
    return this.latest;
  }
  /** The latest evaluation on the test set. */
  get report(): EvaluationReport | null {
    return this.latestReport;
  }
  /** The validated configuration, or null while an attribute is invalid. */
  get config(): HedgerConfig | null {
    return this.settings.config;
  }
  /** Invalid attributes, if any. */
  get problems(): readonly AttributeProblem[] {
    return this.settings.problems;
  }

  /** Starts (or resumes) training; it runs while the element is on screen. */
  start(): void {
    this.wantRun = true;
    this.started = true;
    if (this.notice?.kind === 'note') this.notice = null;
    if (this.state === 'diverged') {
      // The last good weights are in place: carry on from them.
      this.notice = null;
      this.state = 'paused';
    }
    if (this.state === 'error') {
      // The engine failed: start over with a fresh worker.
      this.notice = null;
      this.teardown();
    }
    if (this.state === 'done') {
      this.reset();
      return;
    }
    this.sync();
    this.requestUpdate();
  }

  /** Pauses training (the weights stay; start() resumes). */
  pause(): void {
    this.wantRun = false;
    this.sync();
    this.requestUpdate();
  }

  /** Starts again from fresh weights with the current configuration. */
  reset(): void {
    if (this.client && this.settings.config) this.configure(this.settings.config);
    this.sync();
  }

  /** The weights and optimiser state as a JSON-ready object (as the headless Trainer exports them). */
  exportWeights(): Promise<WeightsFile> {
    if (!this.client) return Promise.reject(new Error('cher-hedger: nothing to export before the engine has started'));
    return this.client.request<WeightsFile>({ type: 'export' });
  }

  /** Loads weights from exportWeights (the object or its JSON text) and re-evaluates. */
  async importWeights(weights: WeightsFile | string): Promise<void> {
    if (!this.client) throw new Error('cher-hedger: the engine has not started yet (the element starts when it is on screen)');
    try {
      await this.client.request<number>({ type: 'import', weights });
    } catch (e) {
      this.fail('import', (e as Error).message, false);
      throw e;
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.teardownTimer !== null) {
      clearTimeout(this.teardownTimer);
      this.teardownTimer = null;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element (remove then insert in the same task) keeps its worker; removal ends it.
    this.teardownTimer = setTimeout(() => {
      this.teardownTimer = null;
      if (!this.isConnected) this.teardown();
    }, 0);
  }

  private teardown(): void {
    this.client?.dispose();
    this.client = null;
    this.commandedRun = false;
    this.charts?.destroy();
    this.charts = null;
    if (this.drawScheduled) cancelAnimationFrame(this.drawScheduled);
    this.drawScheduled = 0;
    this.drawnCharts.clear();
    this.engineInfo = null;
    this.clearData();
    if (this.state !== 'invalid') this.state = 'idle';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (!this.hasUpdated || CONFIG_KEYS.some((k) => changed.has(propertyOf(k))) || changed.has('iterations')) {
      this.settingsDirty = true;
    }
    if (changed.has('autostart') && this.autostart && !this.visibility.reducedMotion) {
      this.wantRun = true;
      this.started = true;
    }
    if (!this.hasUpdated && this.autostart && this.visibility.reducedMotion) {
      this.notice = {
        kind: 'note', title: 'Reduced motion is on.', text: 'Training waits until you press Start.',
      };
    }
  }

  protected override updated(): void {
    if (!this.settingsDirty) return;
    this.settingsDirty = false;
    this.applySettings();
  }

  private applySettings(): void {
    const previous = this.settings;
    this.settings = readSettings(this as unknown as Record<string, unknown>, {
      workers: elementDefaultWorkers(navigator.hardwareConcurrency),
    });
    const { config, problems } = this.settings;
    if (problems.length) {
      const message = 'Invalid cher-hedger attributes: ' + problems.map(describeProblem).join('; ');
      this.teardown();
      this.state = 'invalid';
      this.dispatch<CherErrorDetail>('cher-error', { kind: 'config', message, problems });
      return;
    }
    if (this.state === 'invalid') this.state = 'idle';
    const changed = JSON.stringify(previous.config) !== JSON.stringify(config);
    if (this.client && changed && config) this.configure(config);
    else if (!changed && previous.iterations !== this.settings.iterations && this.state === 'done') this.state = 'paused';
    this.sync();
  }

  /** @internal Called by the visibility controller. */
  visibilityChanged(): void {
    this.sync();
    this.requestUpdate();
  }

  /** @internal Called by the visibility controller. */
  colorSchemeChanged(): void {
    // Styles switch by themselves; the charts re-read the colours once they have taken effect.
    requestAnimationFrame(() => this.charts?.restyle());
  }

  /** Brings the worker in line with what should happen: created once seen, running only while wanted and visible. */
  private sync(): void {
    const { config } = this.settings;
    if (!config || !this.isConnected) return;
    if (!this.visibility.visible) {
      if (this.commandedRun) this.command(false);
      return;
    }
    if (!this.client) {
      this.client = new WorkerClient((m) => this.onWorker(m), (text) => this.fail('worker', text, true));
      this.configure(config);
    }
    const run = this.shouldRun();
    if (run !== this.commandedRun || (run && this.state === 'ready')) this.command(run);
  }

  private shouldRun(): boolean {
    const blocked = this.state === 'diverged' || this.state === 'error' || this.state === 'done';
    return this.wantRun && this.visibility.visible && !blocked;
  }

  private command(run: boolean): void {
    if (!this.client) return;
    this.commandedRun = run;
    this.client.post(run ? { type: 'run', until: this.settings.iterations } : { type: 'pause' });
  }

  private configure(config: HedgerConfig): void {
    this.generation++;
    this.state = 'loading';
    const run = this.shouldRun();
    this.client!.post({ type: 'configure', model: 'hedging', config, generation: this.generation, run, until: this.settings.iterations });
    this.commandedRun = run;
    this.state = 'loading';
    this.clearData();
    this.charts?.clear();
    this.drawnCharts.clear();
    this.requestUpdate();
  }

  private clearData(): void {
    this.latest = null;
    this.latestReport = null;
    this.lossSeries = { x: [], y: [] };
    this.priceSeries = { x: [], y: [] };
    this.testPrices = { x: [], y: [] };
    this.dirty.clear();
    if (this.notice?.kind === 'error') this.notice = null;
  }

  // ---- worker messages --------------------------------------------------------------------------

  private onWorker(m: FromWorker): void {
    if ('generation' in m && m.generation !== this.generation) return;
    switch (m.type) {
      case 'ready':
        this.engineInfo = { backend: m.backend, detail: m.detail, workers: m.workers, shared: m.shared };
        this.bsPrice = m.reference.bsPrice;
        this.dispatch<CherBackendDetail>('cher-backend', { ...this.engineInfo });
        return;
      case 'progress':
        this.latest = m.progress as Progress;
        this.lossSeries = m.series.loss ?? { x: [], y: [] };
        this.priceSeries = m.series.price ?? { x: [], y: [] };
        this.markDirty('loss', 'price');
        this.dispatch('cher-progress', m.progress);
        return;
      case 'evaluation': {
        const r = m.report as EvaluationReport;
        this.latestReport = r;
        const last = this.testPrices.x.length - 1;
        if (last >= 0 && this.testPrices.x[last] === r.iteration) this.testPrices.y[last] = r.network.price;
        else if (Number.isFinite(r.network.price)) {
          this.testPrices.x.push(r.iteration);
          this.testPrices.y.push(r.network.price);
        }
        this.markDirty('price', 'path', 'rewards', 'histogram', 'policy');
        this.dispatch('cher-evaluation', r);
        return;
      }
      case 'state':
        this.onState(m.state, m.message);
        return;
      case 'error':
        this.fail('worker', m.message, m.fatal);
        return;
    }
  }

  private onState(state: 'idle' | 'training' | 'paused' | 'done' | 'diverged', message?: string): void {
    const it = this.latest?.iteration ?? 0;
    const price = this.latestReport ? ` Price ${formatPrice(this.latestReport.network.price)}, Black-Scholes ${formatPrice(this.bsPrice)}.` : '';
    switch (state) {
      case 'idle':
        this.state = 'ready';
        this.announcement = `Ready on ${engineText(this.engineInfo)}.${this.wantRun ? '' : ' Press Start to train.'}`;
        break;
      case 'training':
        this.state = 'training';
        this.announcement = `Training on ${engineText(this.engineInfo)}.`;
        break;
      case 'paused':
        if (this.state !== 'loading') this.state = 'paused';
        this.commandedRun = false;
        this.announcement = `Paused at iteration ${it}.${price}`;
        break;
      case 'done':
        this.state = 'done';
        this.wantRun = false;
        this.commandedRun = false;
        this.announcement = `Finished: ${message ?? ''}.${price}`;
        break;
      case 'diverged':
        this.state = 'diverged';
        this.wantRun = false;
        this.commandedRun = false;
        this.notice = {
          kind: 'error',
          title: 'Training diverged.',
          text: `The loss stopped being finite at iteration ${it}; training stopped and the last good weights were restored. Try a smaller learning rate, then Start.`,
        };
        this.announcement = 'Training diverged; the last good weights were restored.';
        this.dispatch<CherErrorDetail>('cher-error', { kind: 'diverged', message: message ?? 'training diverged' });
        break;
    }
    this.sync();
    this.requestUpdate();
  }

  private fail(kind: CherErrorDetail['kind'], message: string, fatal: boolean): void {
    if (fatal) {
      this.state = 'error';
      this.wantRun = false;
      this.commandedRun = false;
    }
    this.notice = { kind: 'error', title: kind === 'import' ? 'Could not import weights.' : 'The training engine failed.', text: message };
    this.announcement = message;
    this.dispatch<CherErrorDetail>('cher-error', { kind, message });
    this.requestUpdate();
  }

  private dispatch<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  // ---- charts -----------------------------------------------------------------------------------

  private markDirty(...ids: ChartId[]): void {
    for (const id of ids) this.dirty.add(id);
    this.requestUpdate();
    if (!this.drawScheduled) this.drawScheduled = requestAnimationFrame(() => this.draw());
  }

  private boxes(): Map<ChartId, HTMLElement> {
    const map = new Map<ChartId, HTMLElement>();
    this.renderRoot.querySelectorAll<HTMLElement>('.plot[data-chart]').forEach((el) => map.set(el.dataset.chart as ChartId, el));
    return map;
  }

  private draw(): void {
    this.drawScheduled = 0;
    if (!this.isConnected) return;
    this.charts ??= new ChartSet(this, () => this.boxes());
    const r = this.latestReport;
    if (r) this.charts.policyLabels = r.policy.curves.map((c) => c.previous.toFixed(1));
    const bs = r?.bsPrice ?? this.bsPrice;
    const before = this.drawnCharts.size;
    // A frame creates at most one chart (a layout and a first paint) or redraws at most two, so that no
    // frame becomes a long task; the rest wait for the next frame.
    let created = false;
    let budget = 2;
    const create = () => (created ? false : (created = true));
    if (this.drawnCharts.size < CHART_IDS.length) this.charts.measure();
    const pending = new Set<ChartId>();
    for (const id of this.dirty) {
      let ok = false;
      const has = this.drawnCharts.has(id);
      if (budget <= 0 || (created && !has)) {
        pending.add(id);
        continue;
      }
      budget -= has ? 1 : 2;
      if (id === 'loss') ok = this.charts.update('loss', lossData(this.lossSeries), create);
      else if (id === 'price') ok = this.charts.update('price', priceData(this.priceSeries, this.testPrices, bs), create);
      else if (r && id === 'path') ok = this.charts.update('path', pathData(r), create);
      else if (r && id === 'rewards') ok = this.charts.update('rewards', rewardData(r), create);
      else if (r && id === 'histogram') ok = this.charts.update('histogram', histogramData(r), create);
      else if (r && id === 'policy') ok = this.charts.update('policy', policyData(r), create);
      if (ok) this.drawnCharts.add(id);
      else if (!has && (id === 'loss' || id === 'price' || r)) pending.add(id);
    }
    this.dirty = pending;
    if (pending.size && (created || budget <= 0)) this.drawScheduled = requestAnimationFrame(() => this.draw());
    if (this.drawnCharts.size !== before) this.requestUpdate();
  }

  // ---- rendering --------------------------------------------------------------------------------

  private legend(id: ChartId) {
    const r = this.latestReport;
    const item = (label: string, color: 'network' | 'bs' | 'spot' | 'nohedge' | 'cost' | 'total', dashed = false, block = false) =>
      html`<li><span class="swatch ${color} ${dashed ? 'dashed' : ''} ${block ? 'block' : ''}"></span>${label}</li>`;
    const sd = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? ` (sd ${x.toFixed(4)})` : '');
    switch (id) {
      case 'loss':
        return [item(`loss ${this.latest && Number.isFinite(this.latest.loss) ? this.latest.loss.toExponential(2) : ''}`, 'network')];
      case 'price':
        return [item('batch', 'network'), item('test set', 'network'), item(`Black-Scholes ${formatPrice(this.bsPrice)}`, 'bs', true)];
      case 'path':
        return [item('spot (left)', 'spot'), item('network hedge (right)', 'network'), item('BS delta', 'bs', true)];
      case 'rewards': {
        const t = r ? rewardTotals(r) : null;
        const v = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? ` ${signed(x)}` : '');
        return [
          item(`option${v(t?.option)}`, 'bs', false, true), item(`hedge${v(t?.hedge)}`, 'network', false, true),
          item(`cost${v(t?.cost)}`, 'cost', false, true), item(`total${v(t?.total)}`, 'total'),
        ];
      }
      case 'histogram':
        return [
          item(`network${sd(r?.network.std)}`, 'network'), item(`BS delta${sd(r?.bsDelta.std)}`, 'bs'),
          item(`no hedge${sd(r?.noHedge.std)}${r && this.noHedgeClipped(r) ? ', its tallest bin runs off the top' : ''}`, 'nohedge'),
        ];
      case 'policy':
        return [
          item('BS delta', 'bs', true),
          html`<li>network, previous hedge
            ${(r ? r.policy.curves : []).map((c, i) => html`<span class="swatch network shade-${i % 3}"></span>${c.previous.toFixed(1)}`)}</li>`,
        ];
    }
  }

  private noHedgeClipped(r: EvaluationReport): boolean {
    const data = histogramData(r);
    const top = histogramTop(data);
    return (data[3] as (number | null)[]).some((v) => v !== null && v > top);
  }

  private chartLabel(id: ChartId): string {
    const r = this.latestReport;
    const p = this.latest;
    switch (id) {
      case 'loss':
        return p && Number.isFinite(p.loss) ? `Training loss on a log scale; latest ${p.loss.toExponential(2)} at iteration ${p.iteration}.` : 'Training loss on a log scale.';
      case 'price':
        return `Reported price against the Black-Scholes price ${formatPrice(this.bsPrice)}` + (r ? `; latest test-set price ${formatPrice(r.network.price)}.` : '.');
      case 'path':
        return 'One test path: the spot, the network hedge and the Black-Scholes delta over time.';
      case 'rewards': {
        const t = r ? rewardTotals(r) : null;
        return 'The accounting P&L of the network hedge at each step of that test path: option P&L, hedge P&L and trading cost stacked, with their running total' +
          (t && Number.isFinite(t.total) ? `; over the path, option ${signed(t.option)}, hedge ${signed(t.hedge)}, cost ${signed(t.cost)}, total ${signed(t.total)}.` : '.');
      }
      case 'histogram':
        return r
          ? `Histogram of hedged P&L; standard deviation: network ${r.network.std.toFixed(4)}, Black-Scholes delta ${r.bsDelta.std.toFixed(4)}, no hedge ${r.noHedge.std.toFixed(4)}.`
          : 'Histogram of hedged P&L for the network, Black-Scholes delta and no hedge.';
      case 'policy':
        return r
          ? `The network hedge against spot at ${Math.round(r.policy.time * 365)} days, for previous hedges ${r.policy.curves.map((c) => c.previous.toFixed(1)).join(', ')}, with the Black-Scholes delta.`
          : 'The network hedge against spot at mid-life, for a few previous hedges.';
    }
  }

  /** The numbers behind the charts: each strategy on the test set. */
  private renderStats() {
    const r = this.latestReport;
    const f = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
    const rows: [string, StrategyStats | undefined][] = [
      ['Network', r?.network], ['BS delta', r?.bsDelta], ['Whalley-Wilmott', r?.whalleyWilmott], ['No hedge', r?.noHedge],
    ];
    return html`<figure part="chart chart-stats">
      <figcaption id=${`${this.uid}-stats`}>Test set${r ? `: ${r.testPaths.toLocaleString('en')} paths, iteration ${r.iteration.toLocaleString('en')}` : ''}</figcaption>
      <table class="stats" aria-labelledby=${`${this.uid}-stats`}>
        <thead><tr><th scope="col">Strategy</th><th scope="col">Price</th><th scope="col">Std dev</th><th scope="col">ES 95%</th><th scope="col">Cost</th></tr></thead>
        <tbody>
          ${rows.map(([name, st]) => html`<tr>
            <th scope="row">${name}</th>
            <td>${st ? f(st.price, 5) : '–'}</td><td>${st ? f(st.std) : '–'}</td><td>${st ? f(st.es95) : '–'}</td><td>${st ? f(st.cost, 5) : '–'}</td>
          </tr>`)}
        </tbody>
      </table>
      ${r?.premium != null ? html`<p class="note">Learned premium p0 ${f(r.premium, 5)}; Black-Scholes ${f(r.bsPrice, 5)}.</p>` : nothing}
    </figure>`;
  }

  private renderMessage() {
    const { problems } = this.settings;
    if (problems.length) {
      return html`<div part="message" class="message" role="alert">
        <strong>cher-hedger: ${problems.length === 1 ? 'an attribute is' : `${problems.length} attributes are`} invalid.</strong>
        <ul>
          ${problems.map((p) => html`<li><code>${p.attribute}="${String(p.value)}"</code>: expected ${p.allowed}.</li>`)}
        </ul>
      </div>`;
    }
    if (!this.notice) return nothing;
    return html`<div part="message" class="message ${this.notice.kind === 'note' ? 'note' : ''}" role=${this.notice.kind === 'error' ? 'alert' : 'note'}>
      <strong>${this.notice.title}</strong> ${this.notice.text}
    </div>`;
  }

  override render() {
    const { config, problems } = this.settings;
    const running = this.state === 'training' || (this.wantRun && (this.state === 'loading' || this.state === 'ready'));
    const label = running ? 'Pause' : this.state === 'done' ? 'Restart' : this.started ? 'Resume' : 'Start';
    const title = config ? describeProblemSetup(config) : 'Deep hedging';
    const testPrice = this.latestReport?.network.price ?? null;
    const bs = Number.isFinite(this.bsPrice) ? this.bsPrice : (this.latestReport?.bsPrice ?? NaN);
    const status = problems.length
      ? ['not started: fix the attributes below']
      : this.visibility.seen || this.client
        ? statusParts(this.engineInfo, this.latest && this.latest.iteration > 0 ? this.latest : null, testPrice, bs).concat(
            this.state === 'paused' ? ['paused'] : this.state === 'done' ? ['done'] : this.state === 'diverged' ? ['stopped'] : [],
          )
        : ['waiting to be scrolled into view'];
    return html`<div part="base" class="base">
      <header part="header">
        <div class="heading">
          <p part="title" class="title">${title}</p>
          <p part="status" class="status">${status.map((s) => html`<span>${s}</span>`)}</p>
        </div>
        <div class="actions">
          <button part="button start-button" type="button" ?disabled=${!config}
            aria-label=${`${label} training`} @click=${() => (running ? this.pause() : this.start())}>${label}</button>
          ${this.controls
            ? html`<button part="button reset-button" class="secondary" type="button" ?disabled=${!config || !this.client}
                aria-label="Reset training" @click=${() => this.reset()}>Reset</button>`
            : nothing}
        </div>
      </header>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
      ${this.renderMessage()}
      ${this.controls ? renderControls(this, config) : nothing}
      ${problems.length
        ? nothing
        : html`<div part="charts" class="charts ${this.drawnCharts.size ? '' : 'waiting'}">
            ${CHART_IDS.map(
              (id) => html`<figure part="chart chart-${id}">
                <figcaption id=${`${this.uid}-${id}`}>${CHART_TITLES[id]}</figcaption>
                <div class="plot" data-chart=${id} role="img" aria-labelledby=${`${this.uid}-${id}`}
                  aria-describedby=${`${this.uid}-${id}-desc`}>
                  ${this.drawnCharts.has(id) ? nothing : html`<div class="empty">${this.client ? 'starting…' : 'starts when visible'}</div>`}
                </div>
                <span class="sr-only" id=${`${this.uid}-${id}-desc`}>${this.chartLabel(id)}</span>
                <ul part="legend" class="legend" aria-hidden="true">${this.legend(id)}</ul>
              </figure>`,
            )}
            ${this.renderStats()}
          </div>`}
    </div>`;
  }
}
