// The markup every training element shares: the inline message, a chart's figure (caption, plot box,
// screen-reader text, legend), legend items and the stats table.
import { html, nothing, type TemplateResult } from 'lit';
import type { AttributeProblem } from './attributes.js';
import type { ChartSpec } from './types.js';

export interface Notice {
  kind: 'error' | 'note';
  title: string;
  text: string;
}

/** Invalid attributes (all of them, each with what it allows), else the notice, else nothing. */
export function renderMessage(tag: string, problems: readonly AttributeProblem[], notice: Notice | null) {
  if (problems.length) {
    return html`<div part="message" class="message" role="alert">
      <strong>${tag}: ${problems.length === 1 ? 'an attribute is' : `${problems.length} attributes are`} invalid.</strong>
      <ul>
        ${problems.map((p) => html`<li><code>${p.attribute}="${String(p.value)}"</code>: expected ${p.allowed}.</li>`)}
      </ul>
    </div>`;
  }
  if (!notice) return nothing;
  return html`<div part="message" class="message ${notice.kind === 'note' ? 'note' : ''}" role=${notice.kind === 'error' ? 'alert' : 'note'}>
    <strong>${notice.title}</strong> ${notice.text}
  </div>`;
}

/** A chart's figure: the plot box uPlot draws into (a placeholder until it has data), its texts and legend. */
export function renderChart(uid: string, spec: ChartSpec, drawn: boolean, started: boolean): TemplateResult {
  const id = `${uid}-${spec.id}`;
  return html`<figure part="chart chart-${spec.id}">
    <figcaption id=${id}>${spec.title}</figcaption>
    <div class="plot" data-chart=${spec.id} role="img" aria-labelledby=${id} aria-describedby=${`${id}-desc`}>
      ${drawn ? nothing : html`<div class="empty">${started ? 'starting…' : 'starts when visible'}</div>`}
    </div>
    <span class="sr-only" id=${`${id}-desc`}>${spec.label()}</span>
    <ul part="legend" class="legend" aria-hidden="true">${spec.legend()}</ul>
  </figure>`;
}

export interface SwatchStyle {
  dashed?: boolean;
  /** A filled block (bars, areas) rather than a line. */
  block?: boolean;
  /** One of a family of curves in one colour (SHADES). */
  shade?: number;
}

/** A legend swatch in colour `color` (a theme colour's name, or `text`). */
export function swatch(color: string, style: SwatchStyle = {}): TemplateResult {
  const classes = [color, style.dashed ? 'dashed' : '', style.block ? 'block' : '', style.shade !== undefined ? `shade-${style.shade}` : ''];
  return html`<span class="swatch ${classes.filter(Boolean).join(' ')}"></span>`;
}

/** A legend entry: its swatch and label. */
export function legendItem(label: string, color: string, style: SwatchStyle = {}): TemplateResult {
  return html`<li>${swatch(color, style)}${label}</li>`;
}

/** A table of numbers beside the charts: one row per method or strategy, the cells already formatted. */
export interface StatsTable {
  caption: string;
  /** Column headers, the row-header column first. */
  columns: readonly string[];
  rows: readonly (readonly [name: string, cells: readonly string[]])[];
  /** A line under the table. */
  note?: string;
}

export function renderStatsTable(uid: string, t: StatsTable): TemplateResult {
  const id = `${uid}-stats`;
  return html`<figure part="chart chart-stats">
    <figcaption id=${id}>${t.caption}</figcaption>
    <table class="stats" aria-labelledby=${id}>
      <thead><tr>${t.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>
        ${t.rows.map(([name, cells]) => html`<tr><th scope="row">${name}</th>${cells.map((c) => html`<td>${c}</td>`)}</tr>`)}
      </tbody>
    </table>
    ${t.note ? html`<p class="note">${t.note}</p>` : nothing}
  </figure>`;
}
