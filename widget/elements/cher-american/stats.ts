// <cher-american>'s table: every method's value, interval, standard error and time, the European value,
// the early-exercise premium, and the seed's perfect-foresight number labelled as biased (never a price).
import { exerciseDates } from '../../models/american/config.js';
import type { AmericanTaskProgress, AmericanTaskReport } from '../../models/american/task-progress.js';
import { formatDuration } from '../base/status.js';
import type { StatsTable } from '../base/template.js';
import { formatInterval, formatValue, lsmText } from './format.js';
import { networkRows } from './network.js';

const NONE = '–';

export function americanStats(r: AmericanTaskReport | null, progress: AmericanTaskProgress | null, running: boolean): StatsTable | null {
  if (!r) return null;
  const c = r.config;
  const { lattice, lsm } = r.methods;
  const rows: [string, string[]][] = [];
  if (lattice) rows.push([`Lattice (CRR, ${lattice.steps.toLocaleString('en')} steps)`, [formatValue(lattice.price), NONE, NONE, formatDuration(lattice.seconds)]]);
  const lsmName = `LSM (${lsm?.dates ?? exerciseDates(c)} dates, ${c.paths.toLocaleString('en')} paths)`;
  if (lsm) {
    rows.push([lsmName, [
      formatValue(lsm.lower), formatInterval(lsm.lower, lsm.upper),
      `${formatValue(lsm.stdError)} / ${formatValue(lsm.upperStdError)}`, formatDuration(lsm.seconds),
    ]]);
  } else {
    rows.push([lsmName, [lsmText(r, progress, running), NONE, NONE, NONE]]);
  }
  rows.push(...networkRows(r, progress));
  rows.push(['European (Black-Scholes-Merton)', [formatValue(r.european), NONE, NONE, NONE]]);
  rows.push([`Early-exercise premium (${lattice ? 'lattice' : 'LSM'} − European)`, [formatValue(r.earlyExercisePremium), NONE, NONE, NONE]]);
  if (lsm) rows.push(['Perfect foresight: biased high, not a price', [`(${formatValue(lsm.foresight.biasedPrice)})`, NONE, formatValue(lsm.foresight.stdError), NONE]]);
  const american = c.exercise === 'american';
  return {
    caption: 'Prices by method',
    columns: ['Method', 'Value', 'Interval [lower, upper]', 'Std error (lower / upper)', 'Time'],
    rows,
    note:
      (lsm && american ? `LSM values the Bermudan option on its ${lsm.dates} dates, so its interval brackets that value, not the American one. ` : '') +
      (lsm ? 'Perfect foresight exercises each path at its best date in hindsight: it sees the future, so it is biased high, and is shown only to say so.' : ''),
  };
}
