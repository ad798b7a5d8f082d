// What <cher-bounds> keeps of the worker's messages: the solver's series (bounds known so far, the
// entropic plan's E[f], violations and gap, by sweep) and the model's price.
import type { BoundsEvaluation } from '../worker/bounds-task.js';
import type { Progress, ProgressMessage, SeriesData } from '../worker/protocol.js';

export const SERIES = ['lower', 'upper', 'primal', 'marginal', 'martingale', 'gap'] as const;
export type SeriesName = (typeof SERIES)[number];

const empty = (): SeriesData => ({ x: [], y: [] });

export class BoundsResults {
  series = Object.fromEntries(SERIES.map((s) => [s, empty()])) as Record<SeriesName, SeriesData>;
  /** From the worker's reference values (absent for quotes: NaN). */
  modelPrice = NaN;

  takeProgress(m: ProgressMessage): void {
    for (const s of SERIES) this.series[s] = m.series[s] ?? empty();
  }

  clear(): void {
    for (const s of SERIES) this.series[s] = empty();
    this.modelPrice = NaN;
  }
}

/** What the charts, legends, labels and table read. */
export interface BoundsView {
  readonly progress: Progress | null;
  readonly report: BoundsEvaluation | null;
  readonly results: BoundsResults;
}
