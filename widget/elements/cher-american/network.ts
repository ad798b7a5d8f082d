// The neural value network in <cher-american> (docs/numerics.md, American options): its TD-error curve (log scale),
// its price V_theta(0, S0) per progress converging into LSM's [lower, upper] beside the lattice's value,
// and its table rows: its own value (an estimate, biased high) and its stopping rule's value on independent
// paths (the honest lower bound) with its standard error. The series come with the worker's progress
// messages (`loss`, `network`); the evaluation comes in the report once the network is trained.
import type { AmericanTaskProgress, AmericanTaskReport } from '../../models/american/task-progress.js';
import { align } from '../base/chart-data.js';
import { formatDuration } from '../base/status.js';
import { legendItem as item } from '../base/template.js';
import type { ChartSpec } from '../base/types.js';
import { axis, line, type Palette } from '../base/uplot.js';
import type { SeriesData } from '../worker/protocol.js';
import { formatValue } from './format.js';
import type { AmericanColor } from './theme.js';

export const NETWORK_CHART_IDS = ['td', 'convergence'] as const;

/** What the network's charts read: the report and the worker's series. */
export interface NetworkView {
  readonly report: AmericanTaskReport | null;
  readonly progress: AmericanTaskProgress | null;
  readonly series: Record<string, SeriesData>;
}

const opts = (p: Palette, series: object[], y: object = {}) => ({
  scales: { x: { time: false }, y }, axes: [axis(p, { size: 28 }), axis(p, { size: 44 })], series: [{ label: 'iteration' }, ...series],
});

export function networkCharts(view: NetworkView): ChartSpec[] {
  const net = () => view.series.network;
  const loss = () => view.series.loss;
  return [
    {
      id: 'td',
      title: 'Value network: TD error (log scale)',
      options: (p) => opts(p, [line((p as Palette<AmericanColor>).network, { label: 'mean squared TD error' })], { distr: 3 }),
      data: () => (loss()?.x.length ? align(loss().x, [loss().y], { positive: true }) : null),
      legend: () => [item('mean squared TD error', 'network')],
      label: () => 'The value network\'s mean squared TD error per iteration, on a log scale.',
    },
    {
      id: 'convergence',
      title: 'Value network\'s price against LSM\'s [lower, upper]',
      options: (p) => {
        const c = p as Palette<AmericanColor>;
        return opts(p, [
          line(c.network, { label: 'network V(0, S0)', width: 2 }),
          line(c.lsm, { label: 'LSM lower', dash: [4, 3], width: 1 }),
          line(c.lsm, { label: 'LSM upper', dash: [4, 3], width: 1 }),
          line(c.lattice, { label: 'lattice', width: 1 }),
        ]);
      },
      data: () => {
        const s = net();
        const r = view.report;
        if (!s?.x.length || !r) return null;
        const flat = (v: number | undefined) => s.x.map(() => v ?? null);
        const lsm = r.methods.lsm;
        return align(s.x, [s.y, flat(lsm?.lower), flat(lsm?.upper), flat(r.methods.lattice?.price)]);
      },
      legend: () => {
        return [item(`network ${formatValue(view.progress?.network)}`, 'network'), item('LSM [lower, upper]', 'lsm', { dashed: true }), item('lattice', 'lattice')];
      },
      label: () => 'The value network\'s price V(0, S0) per iteration, against LSM\'s lower and upper bounds and the lattice\'s value.',
    },
  ];
}

const NONE = '–';

/** The network's rows of the prices table: while it trains, its latest price; once evaluated, both values. */
export function networkRows(r: AmericanTaskReport | null, progress: AmericanTaskProgress | null): [string, string[]][] {
  const n = r?.methods.network;
  if (n) {
    return [
      [`Value network (${n.dates} dates, ${n.iteration.toLocaleString('en')} iterations): its own value, an estimate biased high`,
        [formatValue(n.price), NONE, NONE, formatDuration(n.seconds)]],
      [`Its stopping rule on ${n.paths.toLocaleString('en')} independent paths: a lower bound`,
        [formatValue(n.lower), `[${formatValue(n.lower)}, –]`, formatValue(n.stdError), NONE]],
    ];
  }
  return progress?.iteration ? [[`Value network (training): its own value, biased high`, [formatValue(progress.network), NONE, NONE, NONE]]] : [];
}
