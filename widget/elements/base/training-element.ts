// The base of every training element of the bundle (<cher-hedger>, and the elements to come): the view
// on top of SessionElement's session and state machine. It renders the card (header with title, status
// line and buttons; live region; message; parameter panel; chart grid; stats table) and draws the charts
// through one scheduler, so every element looks, behaves and costs the same.
//
// The contract: a concrete element extends TrainingElement<Config, Report> and declares
//   descriptor      { tag, model, schema, renamed }: its tag (also its CSS-property and message prefix),
//                   the worker's model name, the model's configuration schema (every key becomes a
//                   reflected kebab-case attribute, validated by the schema) and keys renamed where they
//                   collide with HTML. Also passed to configProperties() for its `static properties`,
//                   and listed in elements/registry.ts so custom-elements.json gets the attributes.
//   styles          elementStyles(tag, colours): the shared styles with its series colours (theme.ts).
//   theme           the same colours, for the charts' palette.
//   chartSpecs      its charts: id, title, uPlot options in the palette, data (through align(); null
//                   while there is nothing to draw), legend items and screen-reader label.
//   statsTable()    the table beside the charts (or null); controlFields, the keys the panel offers.
//   heading(config), statusParts()   the header's title and status line (base/status.ts formats).
//   onReady(reference), onProgress(m), onEvaluation(report)   take the worker's messages and return the
//                   charts to redraw; clearResults() forgets them; resultSummary() ends announcements.
//   optionally      extraProperties and refineConfig(config): data beyond the schema's keys (an array
//                   property such as <cher-bounds>' quotes) and checks that need the model's inputs,
//                   reported like any bad attribute; the refined configuration is what the worker gets.
// The base supplies everything else: attributes and `iterations`/`autostart`/`controls`/`state`,
// start/pause/reset, exportWeights/importWeights, laziness (nothing before the element is first on
// screen; paused off-screen, in a hidden tab, and under reduced motion until Start), the events
// (cher-progress, cher-evaluation, cher-backend, cher-error; bubbling and composed), parts, CSS custom
// properties and colour scheme. JSDoc (@tag, @attr, @fires, @csspart, @cssprop) stays on the concrete
// class, which is what custom-elements.json describes. Outside the element's folder, a new element
// touches three lists: its model in the worker's MODELS (worker/worker.ts), its descriptor in
// elements/registry.ts, and its definition and JSX types in widget/element.ts (ConfigAttributes).
// cher-hedger/ is the worked example; cher-bounds/ runs a solver (a WorkerTask that finishes by itself).
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ChartScheduler } from './chart-scheduler.js';
import { ChartSet } from './chart-set.js';
import { renderControls, type ControlField } from './controls.js';
import { SessionElement } from './session-element.js';
import { renderChart, renderMessage, renderStatsTable, type StatsTable } from './template.js';
import type { Theme } from './theme.js';
import type { ChartSpec } from './types.js';
import { readPalette } from './uplot.js';

export abstract class TrainingElement<C extends object, Report> extends SessionElement<C, Report> {
  static override properties: PropertyDeclarations = {
    controls: { type: Boolean, reflect: true },
  };

  /** Show the parameter panel. */
  controls = false;

  protected abstract readonly theme: Theme;
  protected abstract readonly chartSpecs: readonly ChartSpec[];
  protected abstract readonly controlFields: readonly ControlField<C>[];
  /** The header's first line (not `title`: that is HTMLElement's tooltip). */
  protected abstract heading(config: C | null): string;
  /** The status line while the element is valid and has been on screen: engine, progress, results. */
  protected abstract statusParts(): string[];
  protected abstract statsTable(): StatsTable | null;

  /** @internal The element's uPlot charts, created on the first frame with data. */
  protected charts: ChartSet | null = null;
  private readonly scheduler = new ChartScheduler(this, () => this.chartSet(), () => this.chartSpecs);

  private chartSet(): ChartSet {
    this.charts ??= new ChartSet(
      () => readPalette(this, this.theme),
      (id, palette) => this.chartSpecs.find((s) => s.id === id)!.options(palette),
      () => this.boxes(),
    );
    return this.charts;
  }

  private boxes(): Map<string, HTMLElement> {
    const map = new Map<string, HTMLElement>();
    this.renderRoot.querySelectorAll<HTMLElement>('.plot[data-chart]').forEach((el) => map.set(el.dataset.chart!, el));
    return map;
  }

  protected override resultsChanged(charts: readonly string[]): void {
    this.scheduler.mark(charts);
  }

  protected override resultsCleared(): void {
    this.scheduler.reset();
    this.charts?.clear();
  }

  protected override released(): void {
    this.charts?.clear();
    this.charts = null;
    this.scheduler.stop();
  }

  /** @internal Called by the visibility controller. */
  override colorSchemeChanged(): void {
    // Styles switch by themselves; the charts re-read the colours once they have taken effect.
    requestAnimationFrame(() => this.charts?.restyle());
  }

  private statusLine(): string[] {
    if (this.settings.problems.length) return ['not started: fix the attributes below'];
    if (!this.visibility.seen && !this.session.open) return ['waiting to be scrolled into view'];
    const stopped = { paused: 'paused', done: 'done', diverged: 'stopped' } as Partial<Record<string, string>>;
    const suffix = stopped[this.state];
    return suffix ? [...this.statusParts(), suffix] : this.statusParts();
  }

  override render(): TemplateResult {
    const { config, problems } = this.settings;
    const running = this.state === 'training' || (this.wantRun && (this.state === 'loading' || this.state === 'ready'));
    const label = running ? 'Pause' : this.state === 'done' ? 'Restart' : this.started ? 'Resume' : 'Start';
    const stats = this.statsTable();
    return html`<div part="base" class="base">
      <header part="header">
        <div class="heading">
          <p part="title" class="title" id=${`${this.uid}-title`}>${this.heading(config)}</p>
          <p part="status" class="status">${this.statusLine().map((s) => html`<span>${s}</span>`)}</p>
        </div>
        <div class="actions">
          <button part="button start-button" type="button" ?disabled=${!config}
            aria-label=${`${label} training`} @click=${() => (running ? this.pause() : this.start())}>${label}</button>
          ${this.controls
            ? html`<button part="button reset-button" class="secondary" type="button" ?disabled=${!config || !this.session.open}
                aria-label="Reset training" @click=${() => this.reset()}>Reset</button>`
            : nothing}
        </div>
      </header>
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
      ${renderMessage(this.descriptor.tag, problems, this.notice)}
      ${this.controls ? renderControls(this, this.descriptor, this.controlFields, config) : nothing}
      ${problems.length
        ? nothing
        : html`<div part="charts" class="charts ${this.scheduler.drawn.size ? '' : 'waiting'}">
            ${this.chartSpecs.map((spec) => renderChart(this.uid, spec, this.scheduler.drawn.has(spec.id), this.session.open))}
            ${stats ? renderStatsTable(this.uid, stats) : nothing}
          </div>`}
    </div>`;
  }
}
