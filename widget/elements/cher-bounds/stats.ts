// The table beside <cher-bounds>'s charts: each solver's bounds, gap and time, and where the model's
// price lies (the CLI's table).
import type { StatsTable } from '../base/template.js';
import type { BoundsEvaluation } from '../worker/bounds-task.js';
import { formatBound } from './status.js';

/** Rounding slack for "inside", as priceBounds allows it. */
const INSIDE_SLACK = 1e-9;

export function insideText(lower: number | null, upper: number | null, price: number | null): string {
  if (price === null || !Number.isFinite(price)) return '–';
  if (lower === null || upper === null) return '…';
  const slack = INSIDE_SLACK * (1 + Math.abs(upper));
  return lower - slack <= price && price <= upper + slack ? 'yes' : 'NO';
}

/** Seconds as the CLI's table shows them ("0.98 s"): short enough for seven columns at 360 px. */
const seconds = (s: number) => (Number.isFinite(s) ? `${s.toFixed(2)} s` : '–');

export function boundsStats(e: BoundsEvaluation | null, model: number): StatsTable {
  const r = e?.result ?? null;
  const price = e?.modelPrice ?? (Number.isFinite(model) ? model : null);
  const solvers = r ? Object.values(r.solvers ?? { [r.solver]: r }) : [];
  const rows: [string, string[]][] = solvers.map((s) => [
    s!.solver, [formatBound(s!.lower), formatBound(s!.upper), s!.gap.toExponential(1), seconds(s!.seconds), formatBound(price), insideText(s!.lower, s!.upper, price)],
  ]);
  if (!r) {
    rows.push([e && e.sweeps > 0 ? 'entropic (solving)' : 'entropic', [
      formatBound(e?.lower), formatBound(e?.upper), '–', e && e.seconds > 0 ? seconds(e.seconds) : '–', formatBound(price), insideText(e?.lower ?? null, e?.upper ?? null, price),
    ]]);
  }
  const repairs = e?.repairs.length
    ? ` ${e.repairs.length} quoted price(s) repaired, the largest by ${Math.max(...e.repairs.map((x) => Math.abs(x.to - x.from))).toPrecision(2)}.`
    : '';
  return {
    caption: `Model-free bounds${e ? `: ${e.sweeps.toLocaleString('en')} sweeps` : ''}`,
    columns: ['Solver', 'Lower', 'Upper', 'Gap', 'Time', 'Model', 'Inside'],
    rows,
    note: `Model: the price under the marginals' own model; inside: whether it lies in [lower, upper].${
      r?.violations ? ` Violations at the end: marginal ${r.violations.marginal.toExponential(1)}, martingale ${r.violations.martingale.toExponential(1)}.` : ''}${repairs}`,
  };
}
