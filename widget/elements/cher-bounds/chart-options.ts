// The uPlot options of <cher-bounds>'s charts: series, scales and axes in the element's palette, and the
// couplings' heatmaps, drawn on the chart's canvas under its axes.
import type uPlot from 'uplot';
import type { ChartOptions } from '../base/chart-set.js';
import { SHADES } from '../base/theme.js';
import { axis, line, logAxis, withAlpha, type Palette } from '../base/uplot.js';
import type { Cell } from './chart-data.js';
import type { BoundsColor } from './theme.js';

export type ChartId = 'interval' | 'convergence' | 'marginals' | 'coupling-lower' | 'coupling-upper' | 'strategy';
type BoundsPalette = Palette<BoundsColor>;

/** The shade (index into SHADES) of date i of n: faint for the first date, full for the last. */
export function dateShade(i: number, n: number): number {
  return n <= 1 ? SHADES.length - 1 : Math.round(((SHADES.length - 1) * i) / (n - 1));
}

/** Opacity steps of the heatmap: cells are filled in batches, one path per step. */
const HEAT_LEVELS = 12;

/**
 * Fills each cell in `color` at an opacity growing with the square root of its mass (relative to the
 * heaviest), so that thin supports stay visible; clipped to the plotting area.
 */
function heatmap(cells: () => readonly Cell[], color: string) {
  return (u: uPlot) => {
    const list = cells();
    let max = 0;
    for (const c of list) max = Math.max(max, c.mass);
    if (!(max > 0)) return;
    const paths = Array.from({ length: HEAT_LEVELS + 1 }, () => new Path2D());
    for (const c of list) {
      const level = Math.ceil(HEAT_LEVELS * Math.sqrt(c.mass / max));
      const x0 = u.valToPos(c.x0, 'x', true);
      const x1 = u.valToPos(c.x1, 'x', true);
      const y0 = u.valToPos(c.y0, 'y', true);
      const y1 = u.valToPos(c.y1, 'y', true);
      paths[level].rect(Math.min(x0, x1), Math.min(y0, y1), Math.max(1, Math.abs(x1 - x0)), Math.max(1, Math.abs(y1 - y0)));
    }
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (let level = 1; level <= HEAT_LEVELS; level++) {
      ctx.fillStyle = withAlpha(color, level / HEAT_LEVELS);
      ctx.fill(paths[level]);
    }
    ctx.restore();
  };
}

export interface OptionsInput {
  /** The dates' labels (t = 0.5, ...). */
  dates: readonly string[];
  /** The spot range the law, coupling and strategy charts show. */
  range: () => [number, number];
  /** Each coupling's heatmap cells (empty before the solve has finished). */
  cells: (side: 'lower' | 'upper') => readonly Cell[];
}

export function chartOptions(id: ChartId, p: BoundsPalette, input: OptionsInput): ChartOptions {
  const { dates } = input;
  const spot = { time: false, range: () => input.range() };
  switch (id) {
    case 'interval':
      return {
        scales: { x: { time: false }, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 46 })],
        series: [
          { label: 'sweep' },
          line(p.lower, { label: 'lower bound', width: 2 }),
          line(p.upper, { label: 'upper bound', width: 2 }),
          line(p.plan, { label: "entropic plan's E[f]", width: 1 }),
          line(p.model, { label: "model's price", dash: [5, 4] }),
        ],
      };
    case 'convergence':
      return {
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [axis(p, { size: 28 }), logAxis(p, { size: 46 })],
        series: [
          { label: 'sweep' },
          line(p.law, { label: 'marginal violation' }),
          line(p.martingale, { label: 'martingale violation' }),
          line(p.text, { label: 'duality gap', dash: [5, 4], width: 1.25 }),
        ],
      };
    case 'marginals':
      return {
        scales: { x: spot, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 46 })],
        series: [
          { label: 'spot' },
          ...dates.map((d, i) => line(withAlpha(p.law, SHADES[dateShade(i, dates.length)]), {
            label: d, points: { show: true, size: 3, fill: withAlpha(p.law, SHADES[dateShade(i, dates.length)]) },
          })),
        ],
      };
    case 'coupling-lower':
    case 'coupling-upper': {
      const side = id === 'coupling-lower' ? 'lower' : 'upper';
      return {
        scales: { x: spot, y: { range: () => input.range() } },
        axes: [axis(p, { size: 28 }), axis(p, { size: 40 })],
        series: [{ label: dates[0] ?? 'X1' }, line(p.text, { label: `E[X2 | X1]`, width: 1, dash: [3, 3] })],
        hooks: { drawClear: [heatmap(() => input.cells(side), p[side])] },
      };
    }
    case 'strategy':
      return {
        scales: { x: spot, y: {} },
        axes: [axis(p, { size: 28 }), axis(p, { size: 46 })],
        series: [
          { label: 'spot' },
          ...dates.map((d, i) => line(withAlpha(p.upper, SHADES[dateShade(i, dates.length)]), { label: `u at ${d}, super-replication`, width: 1.75 })),
          ...dates.map((d, i) => line(withAlpha(p.lower, SHADES[dateShade(i, dates.length)]), { label: `u at ${d}, sub-replication`, dash: [4, 3] })),
        ],
      };
  }
}
