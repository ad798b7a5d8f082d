// <cher-american>'s charts: the exercise boundary S*(t) of each method, and V(0, S) against the European
// value over spot (the early-exercise premium). Data through align(), so no NaN reaches uPlot.
import { html } from 'lit';
import type { AmericanReport } from '../../models/american/price.js';
import { align, type Aligned } from '../base/chart-data.js';
import { legendItem as item } from '../base/template.js';
import type { ChartSpec } from '../base/types.js';
import { axis, line, withAlpha, type Palette } from '../base/uplot.js';
import { formatValue } from './format.js';
import type { AmericanColor } from './theme.js';

export type ChartId = 'boundary' | 'value' | 'premium';
export const CHART_IDS: readonly ChartId[] = ['boundary', 'value', 'premium'];

/** What the charts read. */
export interface AmericanView {
  readonly report: AmericanReport | null;
}

const payoff = (r: AmericanReport, s: number) => Math.max(r.config.option === 'put' ? r.config.strike - s : s - r.config.strike, 0);

/** Time in years; the lattice's S*(t), LSM's (once priced) and the strike, on the union of their times. */
export function boundaryData(r: AmericanReport): Aligned {
  const rows = new Map<number, [number | null, number | null]>();
  const add = (b: { time: number[]; spot: (number | null)[] } | undefined, j: 0 | 1) =>
    b?.time.forEach((t, i) => {
      const row = rows.get(t) ?? [null, null];
      row[j] = b.spot[i];
      rows.set(t, row);
    });
  add(r.methods.lattice?.boundary, 0);
  add(r.methods.lsm?.boundary, 1);
  const x = [...rows.keys()];
  const v = [...rows.values()];
  return align(x, [v.map((p) => p[0]), v.map((p) => p[1]), x.map(() => r.config.strike)]);
}

/** Spot; the lattice's V(0, S), the European value and the payoff. */
export function valueData(r: AmericanReport): Aligned | null {
  const c = r.curve;
  if (!c) return null;
  return align(c.spot, [c.value, c.european, c.spot.map((s) => payoff(r, s))]);
}

/** Spot; the early-exercise premium V(0, S) - European there. */
export function premiumData(r: AmericanReport): Aligned | null {
  const c = r.curve;
  if (!c) return null;
  return align(c.spot, [c.value.map((v, i) => v - c.european[i])]);
}

/** Whether the lattice found no spot where exercising early is optimal (e.g. a call without dividends). */
function neverExercised(r: AmericanReport): boolean {
  return !!r.methods.lattice && r.methods.lattice.boundary.spot.every((s) => s === null);
}

function options(id: ChartId, p: Palette<AmericanColor>): ReturnType<ChartSpec['options']> {
  const strike = line(withAlpha(p.text, 0.45), { label: 'strike', dash: [3, 4], width: 1 });
  if (id === 'boundary') {
    return {
      scales: { x: { time: false }, y: {} },
      axes: [axis(p, { size: 28 }), axis(p, { size: 44 })],
      series: [
        { label: 'time (years)' },
        line(p.lattice, { label: 'lattice S*(t)', width: 2 }),
        line(p.lsm, { label: 'LSM S*(t)', width: 1.5, points: { show: true, size: 3, fill: p.lsm } }),
        strike,
      ],
    };
  }
  if (id === 'premium') {
    return {
      scales: { x: { time: false }, y: {} },
      axes: [axis(p, { size: 28 }), axis(p, { size: 44 })],
      series: [{ label: 'spot' }, line(p.lattice, { label: 'early-exercise premium', width: 2, fill: withAlpha(p.lattice, 0.15) })],
    };
  }
  return {
    scales: { x: { time: false }, y: {} },
    axes: [axis(p, { size: 28 }), axis(p, { size: 44 })],
    series: [
      { label: 'spot' },
      line(p.lattice, { label: 'American V(0, S)', width: 2 }),
      line(p.european, { label: 'European', dash: [5, 4] }),
      line(withAlpha(p.payoff, 0.8), { label: 'payoff', width: 1 }),
    ],
  };
}

export function americanCharts(view: AmericanView): ChartSpec[] {
  const report = () => view.report;
  return [
    {
      id: 'boundary',
      title: 'Exercise boundary S*(t)',
      options: (p) => options('boundary', p as Palette<AmericanColor>),
      data: () => (report()?.methods.lattice ? boundaryData(report()!) : null),
      legend: () => {
        const r = report();
        return [
          item('lattice', 'lattice'),
          ...(r?.methods.lsm ? [item('LSM fit', 'lsm')] : []),
          item(`strike${r ? ` ${r.config.strike}` : ''}`, 'text', { dashed: true }),
          ...(r && neverExercised(r) ? [html`<li>never optimal to exercise early</li>`] : []),
        ];
      },
      label: () => {
        const r = report();
        if (!r) return 'The spot below which a put (above which a call) is exercised, over time, from each method.';
        if (neverExercised(r)) return 'The lattice finds no spot where exercising before expiry is optimal.';
        const m = r.methods.lattice!.boundary;
        const first = m.spot.find((s) => s !== null);
        const last = [...m.spot].reverse().find((s) => s !== null);
        return `The exercise boundary from the lattice goes from ${formatValue(first)} near today to ${formatValue(last)} near expiry` +
          (r.methods.lsm ? ', with the LSM fit\'s boundary at its exercise dates.' : '.');
      },
    },
    {
      id: 'value',
      title: 'V(0, S) against the European value',
      options: (p) => options('value', p as Palette<AmericanColor>),
      data: () => (report() ? valueData(report()!) : null),
      legend: () => {
        const r = report();
        return [
          item(`American${r ? ` ${formatValue(r.methods.lattice?.price)}` : ''}`, 'lattice'),
          item(`European${r ? ` ${formatValue(r.european)}` : ''}`, 'european', { dashed: true }),
          item('payoff', 'payoff'),
        ];
      },
      label: () => {
        const r = report();
        return r
          ? `The option's value today against spot from ${formatValue(r.curve?.spot[0], 1)} to ${formatValue(r.curve?.spot.at(-1), 1)}, ` +
            `American (lattice) above European; at spot ${r.config.spot} the early-exercise premium is ${formatValue(r.earlyExercisePremium)}.`
          : 'The American value today against spot, above the European value; the gap is the early-exercise premium.';
      },
    },

    {
      id: 'premium',
      title: 'Early-exercise premium over spot',
      options: (p) => options('premium', p as Palette<AmericanColor>),
      data: () => (report() ? premiumData(report()!) : null),
      legend: () => {
        const r = report();
        return [item(`American − European${r ? `, ${formatValue(r.earlyExercisePremium)} at S0 ${r.config.spot}` : ''}`, 'lattice')];
      },
      label: () => {
        const r = report();
        return r
          ? `What the right to exercise early adds to the European value at each spot: ${formatValue(r.earlyExercisePremium)} at spot ${r.config.spot}.`
          : 'What the right to exercise early adds to the European value, at each spot.';
      },
    },
  ];
}
