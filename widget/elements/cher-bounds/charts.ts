// <cher-bounds>'s charts as the base draws them: title, options, guarded data, legend and label. The
// couplings need two dates, so with more the element leaves them out (boundsCharts(view, false)).
import type { TemplateResult } from 'lit';
import type { Aligned } from '../base/chart-data.js';
import { legendItem as item } from '../base/template.js';
import type { ChartSpec } from '../base/types.js';
import type { Palette } from '../base/uplot.js';
import {
  conditionalMeanData, heatmapCells, intervalData, marginalsData, mergeSeries, spotRange, strategyData, type Cell,
} from './chart-data.js';
import { chartOptions, dateShade, type ChartId } from './chart-options.js';
import type { BoundsView } from './results.js';
import { formatBound } from './status.js';
import type { BoundsColor } from './theme.js';

const TITLES: Record<ChartId, string> = {
  interval: 'Bounds as the solver converges',
  convergence: 'Violations and duality gap (log scale)',
  marginals: 'The marginals: law of the spot at each date',
  'coupling-lower': 'Coupling attaining the lower bound',
  'coupling-upper': 'Coupling attaining the upper bound',
  strategy: 'Static positions u_i (payoff at each date)',
};

/** Memoises `build` on the identity of its source (a report, its marginals). */
function memo<S extends object, T>(build: (s: S) => T): (s: S) => T {
  let source: S | null = null;
  let value: T;
  return (s) => {
    if (s !== source) {
      source = s;
      value = build(s);
    }
    return value;
  };
}

export function boundsCharts(view: BoundsView): { twoDates: ChartSpec[]; manyDates: ChartSpec[] } {
  const { results } = view;
  const marginals = () => view.report?.marginals ?? null;
  const range = memo(spotRange);
  const viewRange = (): [number, number] => {
    const m = marginals();
    return m ? range(m) : [0, 1];
  };
  const dates = () => (marginals() ?? []).map((m) => `t = ${m.date}`);
  const cellsOf = { lower: memo(cellsFor('lower')), upper: memo(cellsFor('upper')) };
  function cellsFor(side: 'lower' | 'upper') {
    return (r: NonNullable<BoundsView['report']>): Cell[] => {
      const c = r.result?.couplings;
      return c && r.marginals.length === 2 ? heatmapCells(r.marginals[0], r.marginals[1], c[side], range(r.marginals)) : [];
    };
  }
  const cells = (side: 'lower' | 'upper') => (view.report ? cellsOf[side](view.report) : []);

  const coupling = (side: 'lower' | 'upper') => (): Aligned | null => {
    const r = view.report;
    const c = r?.result?.couplings?.[side];
    return r && c && r.marginals.length === 2 ? conditionalMeanData(r.marginals[0], r.marginals[1], c, range(r.marginals)) : null;
  };
  const s = results.series;
  const data: Record<ChartId, ChartSpec['data']> = {
    interval: () => intervalData(s.lower, s.upper, s.primal, results.modelPrice),
    convergence: () => mergeSeries([s.marginal, s.martingale, s.gap], { positive: true }),
    marginals: () => (view.report ? marginalsData(view.report.marginals, viewRange()) : null),
    'coupling-lower': coupling('lower'),
    'coupling-upper': coupling('upper'),
    strategy: () => {
      const r = view.report;
      const st = r?.result?.strategies;
      return r && st ? strategyData(r.marginals, viewRange(), st.upper.u, st.lower.u) : null;
    },
  };
  const specs = (Object.keys(TITLES) as ChartId[]).map((id): ChartSpec => ({
    id,
    title: TITLES[id],
    options: (palette) => chartOptions(id, palette as Palette<BoundsColor>, { dates: dates(), range: viewRange, cells }),
    data: data[id],
    legend: () => legend(id, view, dates()),
    label: () => chartLabel(id, view),
  }));
  return { twoDates: specs, manyDates: specs.filter((c) => !c.id.startsWith('coupling')) };
}

function legend(id: ChartId, view: BoundsView, dates: string[]): TemplateResult[] {
  const p = view.progress;
  const byDate = (color: BoundsColor, dashed = false) =>
    dates.map((d, i) => item(d, color, { shade: dateShade(i, dates.length), dashed }));
  switch (id) {
    case 'interval':
      return [
        item(`lower ${formatBound(p?.lower)}`, 'lower'), item(`upper ${formatBound(p?.upper)}`, 'upper'),
        item("plan's E[f]", 'plan'), item(`model ${formatBound(view.results.modelPrice)}`, 'model', { dashed: true }),
      ];
    case 'convergence':
      return [item('marginal', 'law'), item('martingale', 'martingale'), item('gap', 'text', { dashed: true })];
    case 'marginals':
      return byDate('law');
    case 'coupling-lower':
    case 'coupling-upper': {
      const side = id === 'coupling-lower' ? 'lower' : 'upper';
      return [item(`mass of (X1, X2), bound ${formatBound(view.report?.result?.[side])}`, side, { block: true }), item('E[X2 | X1]', 'text', { dashed: true })];
    }
    case 'strategy':
      return [...byDate('upper'), item('sub-replication (dashed)', 'lower', { dashed: true })];
  }
}

function chartLabel(id: ChartId, view: BoundsView): string {
  const r = view.report;
  const p = view.progress;
  const model = Number.isFinite(view.results.modelPrice) ? `, the model's price ${formatBound(view.results.modelPrice)}` : '';
  switch (id) {
    case 'interval':
      return `The lower and upper bounds found so far against the sweeps of the entropic solver${model}; latest interval [${formatBound(p?.lower)}, ${formatBound(p?.upper)}].`;
    case 'convergence':
      return 'The marginal and martingale violations of the entropic plan and the duality gap against the sweeps, on a log scale; they fall as epsilon is annealed.';
    case 'marginals':
      return r ? `The law of the spot at each date (${r.marginals.map((m) => `${m.date}: ${m.atoms.length} atoms`).join('; ')}), which every coupling must keep.` : 'The law of the spot at each date.';
    case 'coupling-lower':
    case 'coupling-upper': {
      const side = id === 'coupling-lower' ? 'lower' : 'upper';
      return r?.result
        ? `A heatmap of the joint law of X1 and X2 under which the exotic is worth its ${side} bound ${formatBound(r.result[side])}; the dashed line, E[X2 given X1], lies on the diagonal because the coupling is a martingale.`
        : `The joint law of X1 and X2 attaining the ${side} bound, drawn once the solver has finished.`;
    }
    case 'strategy':
      return 'The static positions u_i of the cheapest super-replication (solid) and richest sub-replication (dashed): the payoff of the vanilla portfolio held to each date, against the spot; constants are moved to the last date, whose position then costs the bound.';
  }
}
