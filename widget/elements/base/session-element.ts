// The session half of every training element: its configuration attributes (through its model's
// schema), its session on the page's one training worker, and the state machine between what the
// reader asks (start, pause, reset), what the element can do (a valid configuration, on screen) and what
// the worker reports. Nothing here draws: training-element.ts is the view on top, and its header
// comment states what a concrete element supplies.
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { WeightsFile } from '../../runtime/training/trainer.js';
import type { Progress } from '../worker/protocol.js';
import type { FromWorker, ProgressMessage, RunState } from '../worker/protocol.js';
import { describeProblem, elementDefaultWorkers, elementKeys, propertyOf, readSettingsWith, textConverter, type AttributeProblem, type ElementSettings } from './attributes.js';
import { runStateChange } from './run-state.js';
import { Session } from './session.js';
import type { Notice } from './template.js';
import type { CherBackendDetail, CherErrorDetail, ElementDescriptor, ElementState } from './types.js';
import { VisibilityController } from './visibility.js';

let uidCounter = 0;

export abstract class SessionElement<C extends object, Report> extends LitElement {
  static override properties: PropertyDeclarations = {
    autostart: { type: Boolean, reflect: true },
    iterations: { reflect: true, converter: textConverter },
    state: { reflect: true },
  };

  /** Start training when scrolled into view. */
  autostart = false;
  /** Stop after this many iterations. */
  iterations: number | string | undefined = undefined;
  /** What the element is doing (read-only; reflected to the `state` attribute). */
  state: ElementState = 'idle';

  private uidValue: string | undefined;
  /** @internal Unique per element (ids inside the shadow root, for labels). */
  get uid(): string {
    return (this.uidValue ??= `${this.descriptor.tag}-${++uidCounter}`);
  }

  // ---- what the concrete element supplies (see training-element.ts) ---------------------------------
  protected abstract get descriptor(): ElementDescriptor<C>;
  /** The worker's reference values for a new configuration (e.g. the Black-Scholes price). */
  protected abstract onReady(reference: Record<string, number>): void;
  /** Takes a progress message's series; returns the charts to redraw. */
  protected abstract onProgress(m: ProgressMessage): readonly string[];
  /** Takes an evaluation report (already in `report`); returns the charts to redraw. */
  protected abstract onEvaluation(report: Report): readonly string[];
  /** Forgets the element's own results (a new configuration, or the engine ended). */
  protected abstract clearResults(): void;
  /** Appended to the paused and finished announcements, e.g. " Price 0.02291, Black-Scholes 0.02287.". */
  protected abstract resultSummary(): string;

  // ---- what the view supplies (training-element.ts) ------------------------------------------------
  protected abstract resultsChanged(charts: readonly string[]): void;
  protected abstract resultsCleared(): void;
  /** The engine ended: release what the view holds (charts). */
  protected abstract released(): void;
  /** @internal Called by the visibility controller. */
  abstract colorSchemeChanged(): void;

  protected readonly visibility = new VisibilityController(this);
  protected settings: ElementSettings<C> = { config: null, iterations: null, problems: [] };
  protected readonly session = new Session<Report>();
  /** Whether the reader (or autostart) wants training to run, and whether it ever started. */
  protected wantRun = false;
  protected started = false;
  protected notice: Notice | null = null;
  /** Read out by the live region. */
  protected announcement = '';
  private settingsDirty = true;
  private teardownTimer: ReturnType<typeof setTimeout> | null = null;

  // ---- public API -------------------------------------------------------------------------------

  /** The engine in use once ready: `webgpu` or `wasm` (null before). The `backend` property is the request (auto, webgpu, wasm). */
  get activeBackend(): string | null {
    return this.session.engine?.backend ?? null;
  }
  /** The engine's detail once ready (SIMD or scalar WASM, or the GPU adapter) and its thread count. */
  get engine(): CherBackendDetail | null {
    const e = this.session.engine;
    return e ? { ...e } : null;
  }
  /** The latest training progress. */
  get progress(): Progress | null {
    return this.session.progress;
  }
  /** The latest evaluation on the test set. */
  get report(): Report | null {
    return this.session.report;
  }
  /** The validated configuration, or null while an attribute is invalid. */
  get config(): C | null {
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
      // The engine failed: start over with a fresh session.
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
    if (this.session.open && this.settings.config) this.configure(this.settings.config);
    this.sync();
  }

  /** The weights and optimiser state as a JSON-ready object (as the headless Trainer exports them). */
  exportWeights(): Promise<WeightsFile> {
    if (!this.session.open) return Promise.reject(new Error(`${this.descriptor.tag}: nothing to export before the engine has started`));
    return this.session.exportWeights();
  }

  /** Loads weights from exportWeights (the object or its JSON text) and re-evaluates. */
  async importWeights(weights: WeightsFile | string): Promise<void> {
    if (!this.session.open) throw new Error(`${this.descriptor.tag}: the engine has not started yet (the element starts when it is on screen)`);
    try {
      await this.session.importWeights(weights);
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
    // Moving the element (remove then insert in the same task) keeps its session; removal ends it.
    this.teardownTimer = setTimeout(() => {
      this.teardownTimer = null;
      if (!this.isConnected) this.teardown();
    }, 0);
  }

  private teardown(): void {
    this.session.close();
    this.released();
    this.clearData();
    if (this.state !== 'invalid') this.state = 'idle';
  }

  protected override willUpdate(changed: PropertyValues): void {
    const keys = [...elementKeys(this.descriptor).map((k) => propertyOf(this.descriptor, k)), ...this.extraProperties, 'iterations'];
    if (!this.hasUpdated || keys.some((k) => changed.has(k))) {
      this.settingsDirty = true;
    }
    if (changed.has('autostart') && this.autostart && !this.visibility.reducedMotion) {
      this.wantRun = true;
      this.started = true;
    }
    if (!this.hasUpdated && this.autostart && this.visibility.reducedMotion) {
      this.notice = { kind: 'note', title: 'Reduced motion is on.', text: 'Training waits until you press Start.' };
    }
  }

  protected override updated(): void {
    if (!this.settingsDirty) return;
    this.settingsDirty = false;
    this.applySettings();
  }

  /** Properties beyond the schema's keys that are part of the configuration (data set as arrays, e.g. quotes). */
  protected readonly extraProperties: readonly string[] = [];

  /**
   * Checks what the schema cannot (those properties, checks that build the model's inputs) once every key
   * is valid: the configuration the worker gets, or the problems, each naming its attribute.
   */
  protected refineConfig(config: C): { config: C } | { problems: AttributeProblem[] } {
    return { config };
  }

  /** Keys the element fills when unset, before the schema's defaults: fewer WASM threads than the headless API takes. */
  protected configDefaults(): Partial<C> {
    return ('workers' in this.descriptor.schema.spec ? { workers: elementDefaultWorkers(navigator.hardwareConcurrency) } : {}) as Partial<C>;
  }

  private applySettings(): void {
    const previous = this.settings;
    this.settings = readSettingsWith(this.descriptor, this as unknown as Record<string, unknown>, this.configDefaults());
    if (this.settings.config) {
      const refined = this.refineConfig(this.settings.config);
      this.settings = 'problems' in refined ? { ...this.settings, config: null, problems: refined.problems } : { ...this.settings, config: refined.config };
    }
    const { config, problems } = this.settings;
    if (problems.length) {
      const message = `Invalid ${this.descriptor.tag} attributes: ` + problems.map(describeProblem).join('; ');
      this.teardown();
      this.state = 'invalid';
      this.dispatch<CherErrorDetail>('cher-error', { kind: 'config', message, problems });
      return;
    }
    if (this.state === 'invalid') this.state = 'idle';
    const changed = JSON.stringify(previous.config) !== JSON.stringify(config);
    if (this.session.open && changed && config) this.configure(config);
    else if (!changed && previous.iterations !== this.settings.iterations && this.state === 'done') this.state = 'paused';
    this.sync();
  }

  /** @internal Called by the visibility controller. */
  visibilityChanged(): void {
    this.sync();
    this.requestUpdate();
  }

  /** Brings the session in line with what should happen: created once seen, running only while wanted and visible. */
  private sync(): void {
    const { config } = this.settings;
    if (!config || !this.isConnected) return;
    if (!this.visibility.visible) {
      if (this.session.commanded) this.session.command(false, null);
      return;
    }
    if (!this.session.open) {
      this.session.start((m) => this.onWorker(m), (text) => this.fail('worker', text, true));
      this.configure(config);
    }
    const run = this.shouldRun();
    if (run !== this.session.commanded || (run && this.state === 'ready')) this.session.command(run, this.settings.iterations);
  }

  private shouldRun(): boolean {
    const blocked = this.state === 'diverged' || this.state === 'error' || this.state === 'done';
    return this.wantRun && this.visibility.visible && !blocked;
  }

  private configure(config: C): void {
    this.session.configure(this.descriptor.model, config, this.shouldRun(), this.settings.iterations);
    this.state = 'loading';
    this.clearData();
    this.requestUpdate();
  }

  private clearData(): void {
    this.session.forget();
    this.clearResults();
    this.resultsCleared();
    if (this.notice?.kind === 'error') this.notice = null;
  }

  // ---- worker messages --------------------------------------------------------------------------

  private onWorker(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.onReady(m.reference);
        this.dispatch<CherBackendDetail>('cher-backend', this.engine!);
        return;
      case 'progress':
        this.resultsChanged(this.onProgress(m));
        this.dispatch('cher-progress', m.progress);
        return;
      case 'evaluation':
        this.resultsChanged(this.onEvaluation(m.report as Report));
        this.dispatch('cher-evaluation', m.report);
        return;
      case 'state':
        this.onState(m.state, m.message);
        return;
      case 'error':
        this.fail('worker', m.message, m.fatal);
        return;
    }
  }

  private onState(run: RunState, message?: string): void {
    const change = runStateChange(run, {
      current: this.state, engine: this.session.engine, iteration: this.session.progress?.iteration ?? 0, wantRun: this.wantRun, message,
      summary: this.resultSummary(),
    });
    this.state = change.state;
    this.announcement = change.announcement;
    if (change.commandEnds) this.session.commanded = false;
    if (change.wantEnds) this.wantRun = false;
    if (change.notice) this.notice = change.notice;
    if (run === 'diverged') this.dispatch<CherErrorDetail>('cher-error', { kind: 'diverged', message: message ?? 'training diverged' });
    this.sync();
    this.requestUpdate();
  }

  private fail(kind: CherErrorDetail['kind'], message: string, fatal: boolean): void {
    if (fatal) {
      this.state = 'error';
      this.wantRun = false;
      this.session.commanded = false;
    }
    this.notice = { kind: 'error', title: kind === 'import' ? 'Could not import weights.' : 'The training engine failed.', text: message };
    this.announcement = message;
    this.dispatch<CherErrorDetail>('cher-error', { kind, message });
    this.requestUpdate();
  }

  /** Events bubble and cross shadow roots, so a page can listen on window. */
  protected dispatch<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }
}
