// The six uPlot charts: what each draws, how it is styled from the element's CSS custom properties,
// and the guarded path by which data reaches it (chart-data.ts; nothing non-finite gets through).
import uPlot from 'uplot';
import { hasValues, histogramTop, stackBase, type Aligned } from './chart-data.js';

export type ChartId = 'loss' | 'price' | 'path' | 'rewards' | 'histogram' | 'policy';
export const CHART_IDS: readonly ChartId[] = ['loss', 'price', 'path', 'rewards', 'histogram', 'policy'];

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  network: string;
  bs: string;
  noHedge: string;
  spot: string;
  cost: string;
  font: string;
}

/** The palette as the element's styles currently resolve it (they follow prefers-color-scheme). */
export function readPalette(host: HTMLElement): Palette {
  const s = getComputedStyle(host);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--_text', '#1f2937'),
    muted: v('--_muted', '#6b7280'),
    grid: v('--_grid', '#e5e7eb'),
    network: v('--_network', '#2563eb'),
    bs: v('--_bs', '#d97706'),
    noHedge: v('--_nohedge', '#9ca3af'),
    spot: v('--_spot', '#059669'),
    cost: v('--_cost', '#9333ea'),
    font: s.fontFamily || 'system-ui, sans-serif',
  };
}

let probe: CanvasRenderingContext2D | null = null;
/** `color` at `alpha` opacity as rgba(), whatever CSS colour syntax it came in. */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(c);
  if (rgba) {
    const [r, g, b] = rgba[1].split(',').map((x) => x.trim());
    return `rgba(${r},${g},${b},${alpha})`;
  }
  return color;
}

interface ChartContext {
  palette: Palette;
  /** Network hedge curves for a few previous hedges: labels such as "0.2". */
  policyLabels: string[];
}

const decades = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-6 ? v : null));

/** 1e-3 as "0.001", 1e-5 as "1e-5". */
function formatDecade(v: number): string {
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 3 ? String(Number(v.toPrecision(1))) : `1e${e}`;
}

function axis(p: Palette, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: p.muted,
    font: `11px ${p.font}`,
    labelFont: `11px ${p.font}`,
    grid: { stroke: p.grid, width: 1 },
    ticks: { stroke: p.grid, width: 1, size: 4 },
    size: 42,
    gap: 3,
    ...extra,
  };
}

const line = (stroke: string, extra: uPlot.Series = {}): uPlot.Series => ({
  stroke, width: 1.5, points: { show: false }, spanGaps: true, ...extra,
});

/**
 * Stacked bars for series `seriesIdx` of the reward chart: row i's bar spans the days from row i - 1 to
 * row i, from its stack base (stackBase) to its end. Gaps draw nothing.
 */
function stackedBars(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths {
  const data = u.data as Aligned;
  const x = data[0];
  const fill = new Path2D();
  const first = Math.max(1, idx0);
  for (let i = first; i <= idx1; i++) {
    const end = data[seriesIdx][i];
    const base = stackBase(data, seriesIdx, i);
    if (end === null || end === undefined || base === null) continue;
    const left = u.valToPos(x[i - 1], 'x', true);
    const right = u.valToPos(x[i], 'x', true);
    const gap = Math.min(2 * devicePixelRatio, (right - left) * 0.2);
    const top = u.valToPos(Math.max(end, base), 'y', true);
    const bottom = u.valToPos(Math.min(end, base), 'y', true);
    fill.rect(left + gap / 2, top, Math.max(1, right - left - gap), Math.max(0, bottom - top));
  }
  return { stroke: null, fill, clip: null, band: null, flags: 0 };
}

function options(id: ChartId, ctx: ChartContext, width: number, height: number): uPlot.Options {
  const p = ctx.palette;
  const base = {
    width, height,
    legend: { show: false },
    // No hover cursor: the element draws its own legends, and the cursor's composited layers cost
    // more per frame than they give here.
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    padding: [8, 6, 0, 0] as uPlot.Padding,
  };
  const stepped = uPlot.paths.stepped!({ align: 1 });
  switch (id) {
    case 'loss':
      return {
        ...base,
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [
          axis(p, { size: 28 }),
          axis(p, {
            size: 46,
            // Decades only: label, tick and grid line at 1e-3, 1e-2, ..., not at every minor step.
            filter: decades,
            grid: { stroke: p.grid, width: 1, filter: decades },
            ticks: { stroke: p.grid, width: 1, size: 4, filter: decades },
            values: (_u, splits) => splits.map((v) => (v == null ? '' : formatDecade(v))),
          }),
        ],
        series: [{ label: 'iteration' }, line(p.network, { label: 'loss' })],
      };
    case 'price':
      return {
        ...base,
        scales: { x: { time: false } },
        axes: [axis(p, { size: 28 }), axis(p, { size: 50 })],
        series: [
          { label: 'iteration' },
          line(withAlpha(p.network, 0.45), { label: 'batch estimate', width: 1 }),
          line(p.network, { label: 'test-set price', width: 2, points: { show: true, size: 4, fill: p.network } }),
          line(p.bs, { label: 'Black-Scholes', dash: [5, 4] }),
        ],
      };
    case 'path':
      return {
        ...base,
        scales: { x: { time: false }, spot: {}, hedge: {} },
        axes: [
          axis(p, { size: 28 }),
          axis(p, { scale: 'spot', size: 44 }),
          axis(p, { scale: 'hedge', side: 1, grid: { show: false }, size: 36 }),
        ],
        series: [
          { label: 'day' },
          line(p.spot, { label: 'spot', scale: 'spot' }),
          line(p.network, { label: 'network hedge', scale: 'hedge', paths: stepped, width: 2 }),
          line(p.bs, { label: 'Black-Scholes delta', scale: 'hedge', paths: stepped, dash: [5, 4] }),
        ],
      };
    case 'rewards':
      return {
        ...base,
        scales: { x: { time: false }, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 50 })],
        series: [
          { label: 'day' },
          { label: 'option P&L', fill: withAlpha(p.bs, 0.75), width: 0, paths: stackedBars, points: { show: false } },
          { label: 'hedge P&L', fill: withAlpha(p.network, 0.75), width: 0, paths: stackedBars, points: { show: false } },
          { label: 'cost', fill: withAlpha(p.cost, 0.85), width: 0, paths: stackedBars, points: { show: false } },
          line(p.text, { label: 'running total', width: 1.75 }),
        ],
      };
    case 'histogram':
      return {
        ...base,
        scales: { x: { time: false }, y: { range: (u) => [0, histogramTop(reorderBack(u.data as Aligned))] } },
        axes: [axis(p, { size: 28 }), axis(p, { size: 36 })],
        series: [
          { label: 'P&L' },
          line(p.noHedge, { label: 'no hedge', paths: stepped, fill: withAlpha(p.noHedge, 0.18), width: 1 }),
          line(p.bs, { label: 'Black-Scholes delta', paths: stepped, fill: withAlpha(p.bs, 0.18), width: 1 }),
          line(p.network, { label: 'network', paths: stepped, fill: withAlpha(p.network, 0.22), width: 1.5 }),
        ],
      };
    case 'policy':
      return {
        ...base,
        scales: { x: { time: false }, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 40 })],
        series: [
          { label: 'spot' },
          line(p.bs, { label: 'Black-Scholes delta', dash: [5, 4] }),
          ...ctx.policyLabels.map((label, i) =>
            line(withAlpha(p.network, [0.4, 0.7, 1][i % 3]), { label: `network, previous hedge ${label}`, width: 1.75 }),
          ),
        ],
      };
  }
}

/** The histogram as drawn (no hedge, BS, network) back in the order chart-data gives (network, BS, no hedge). */
function reorderBack(data: Aligned): Aligned {
  const [x, none, bs, network] = data;
  return [x, network, bs, none];
}

/** Histogram columns come in network, BS, no-hedge order; draw no-hedge first so the network is on top. */
function reorder(id: ChartId, data: Aligned): Aligned {
  if (id !== 'histogram') return data;
  const [x, network, bs, none] = data;
  return [x, none, bs, network];
}

/** The set of charts inside one element. Charts are created on their first data and sized to their box. */
export class ChartSet {
  private charts = new Map<ChartId, uPlot>();
  private last = new Map<ChartId, Aligned>();
  private palette: Palette;
  private resizer: ResizeObserver;
  policyLabels: string[] = [];

  constructor(private readonly host: HTMLElement, private readonly boxes: () => Map<ChartId, HTMLElement>) {
    this.palette = readPalette(host);
    this.resizer = new ResizeObserver(() => this.resize());
  }

  private size(box: HTMLElement): { width: number; height: number } {
    const width = Math.max(120, Math.floor(box.clientWidth));
    const height = Math.max(80, Math.floor(box.clientHeight) || 150);
    return { width, height };
  }

  /**
   * Hands `data` to chart `id` if it has something drawable. An existing chart takes it at once; a new
   * chart is created only if `create` allows (the element creates at most one chart per frame, so no
   * frame becomes a long task). Returns whether the chart holds the data.
   */
  update(id: ChartId, data: Aligned, create: () => boolean = () => true): boolean {
    if (!hasValues(data)) return false;
    const ordered = reorder(id, data);
    this.last.set(id, ordered);
    const chart = this.charts.get(id);
    if (chart && chart.series.length === ordered.length) {
      chart.setData(ordered as uPlot.AlignedData);
      return true;
    }
    const box = this.boxes().get(id);
    if (!box || !create()) return false;
    chart?.destroy();
    const { width, height } = this.sizes.get(box) ?? this.size(box);
    const ctx = { palette: this.palette, policyLabels: this.policyLabels };
    this.charts.set(id, new uPlot(options(id, ctx, width, height), ordered as uPlot.AlignedData, box));
    this.resizer.observe(box);
    return true;
  }

  /** Box sizes read in one go before any chart changes the DOM (one layout, not one per chart). */
  private sizes = new Map<HTMLElement, { width: number; height: number }>();

  measure(): void {
    this.sizes.clear();
    for (const box of this.boxes().values()) this.sizes.set(box, this.size(box));
  }

  get drawn(): number {
    return this.charts.size;
  }

  resize(): void {
    const boxes = this.boxes();
    for (const [id, chart] of this.charts) {
      const box = boxes.get(id);
      if (!box) continue;
      const { width, height } = this.size(box);
      if (width !== chart.width || height !== chart.height) chart.setSize({ width, height });
    }
  }

  /** Re-reads the colours (after a colour-scheme change) and redraws every chart with its last data. */
  restyle(): void {
    this.palette = readPalette(this.host);
    const last = [...this.last];
    this.clear();
    for (const [id, data] of last) this.update(id, data);
  }

  /** Removes every chart (a new configuration starts from empty charts). */
  clear(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.last.clear();
    this.resizer.disconnect();
  }

  destroy(): void {
    this.clear();
  }
}
