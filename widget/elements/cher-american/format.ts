// <cher-american>'s words: the title, the status line, and the numbers its table, legends and labels quote.
import { exerciseDates, type AmericanConfig } from '../../models/american/config.js';
import type { AmericanReport } from '../../models/american/price.js';
import { LSM_PHASES, type AmericanTaskProgress } from '../../models/american/task-progress.js';
import { engineText, formatDuration } from '../base/status.js';
import type { CherBackendDetail } from '../base/types.js';

/** Prices to four decimals, as the CLI's table; "–" for what is not finite. */
export function formatValue(x: number | undefined | null, digits = 4): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

export function formatInterval(lower: number, upper: number): string {
  return `[${formatValue(lower)}, ${formatValue(upper)}]`;
}

const percent = (x: number) => `${Number((x * 100).toFixed(2))}%`;

/** "American put: S0 36, K 40, r 6%, q 0%, σ 20%, T 1 y", or "Bermudan call (12 dates): …". */
export function describeOption(c: AmericanConfig): string {
  const style = c.exercise === 'bermudan' ? `Bermudan ${c.option} (${exerciseDates(c)} dates)` : `American ${c.option}`;
  return `${style}: S0 ${c.spot}, K ${c.strike}, r ${percent(c.rate)}, q ${percent(c.dividend)}, σ ${percent(c.volatility)}, T ${c.maturity} y`;
}

/** LSM's state in a few words: its interval once priced, else how far it is. */
export function lsmText(report: AmericanReport | null, progress: AmericanTaskProgress | null, running: boolean): string {
  const lsm = report?.methods.lsm;
  if (lsm) return `LSM ${formatInterval(lsm.lower, lsm.upper)}`;
  const f = progress?.lsmFraction ?? 0;
  if (f > 0) return `LSM ${LSM_PHASES[progress!.lsmPhase] ?? ''} ${Math.floor(f * 100)}%`;
  return running ? 'LSM starting' : 'LSM waits for Start';
}

export function statusParts(
  engine: CherBackendDetail | null, report: AmericanReport | null, progress: AmericanTaskProgress | null, running: boolean,
): string[] {
  const parts = [engineText(engine)];
  const lattice = report?.methods.lattice;
  if (lattice) parts.push(`lattice ${formatValue(lattice.price)} in ${formatDuration(lattice.seconds)}`);
  if (report) parts.push(lsmText(report, progress, running));
  if (progress?.iteration) parts.push(`network ${formatValue(progress.network)} at iteration ${progress.iteration}`);
  return parts;
}
