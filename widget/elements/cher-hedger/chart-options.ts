// The uPlot options of <cher-hedger>'s six charts: series, scales and axes in the element's palette.
import uPlot from 'uplot';
import type { Aligned } from '../base/chart-data.js';
import type { ChartOptions } from '../base/chart-set.js';
import { SHADES } from '../base/theme.js';
import { axis, line, logAxis, withAlpha, type Palette } from '../base/uplot.js';
import { histogramTop, stackBase } from './chart-data.js';
import type { HedgerColor } from './theme.js';

export type ChartId = 'loss' | 'price' | 'path' | 'rewards' | 'histogram' | 'policy';
type HedgerPalette = Palette<HedgerColor>;

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

/**
 * Chart `id`'s options. `policyLabels` names the network's curves in the policy chart, one per previous
 * hedge (e.g. "0.2").
 */
export function chartOptions(id: ChartId, p: HedgerPalette, policyLabels: readonly string[]): ChartOptions {
  const stepped = uPlot.paths.stepped!({ align: 1 });
  switch (id) {
    case 'loss':
      return {
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [axis(p, { size: 28 }), logAxis(p, { size: 46 })],
        series: [{ label: 'iteration' }, line(p.network, { label: 'loss' })],
      };
    case 'price':
      return {
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
        scales: { x: { time: false }, y: { range: (u) => [0, histogramTop(fromDrawOrder(u.data as Aligned))] } },
        axes: [axis(p, { size: 28 }), axis(p, { size: 36 })],
        series: [
          { label: 'P&L' },
          line(p.nohedge, { label: 'no hedge', paths: stepped, fill: withAlpha(p.nohedge, 0.18), width: 1 }),
          line(p.bs, { label: 'Black-Scholes delta', paths: stepped, fill: withAlpha(p.bs, 0.18), width: 1 }),
          line(p.network, { label: 'network', paths: stepped, fill: withAlpha(p.network, 0.22), width: 1.5 }),
        ],
      };
    case 'policy':
      return {
        scales: { x: { time: false }, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 40 })],
        series: [
          { label: 'spot' },
          line(p.bs, { label: 'Black-Scholes delta', dash: [5, 4] }),
          ...policyLabels.map((label, i) =>
            line(withAlpha(p.network, SHADES[i % SHADES.length]), { label: `network, previous hedge ${label}`, width: 1.75 }),
          ),
        ],
      };
  }
}

/** Histogram columns come in network, BS, no-hedge order (chart-data); draw no-hedge first so the network is on top. */
export function toDrawOrder(data: Aligned): Aligned {
  const [x, network, bs, none] = data;
  return [x, none, bs, network];
}

/** The histogram as drawn back in chart-data's order. */
export function fromDrawOrder(data: Aligned): Aligned {
  const [x, none, bs, network] = data;
  return [x, network, bs, none];
}
