// What <cher-hedger> keeps of the worker's messages between evaluations: the loss and batch-price
// series, the test-set price after each evaluation, and the Black-Scholes price of the configuration.
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import type { ProgressMessage, SeriesData } from '../worker/protocol.js';

const empty = (): SeriesData => ({ x: [], y: [] });

export class HedgingResults {
  loss = empty();
  batchPrice = empty();
  testPrice = empty();
  /** From the worker's reference values; kept across resets of the same configuration. */
  bsPrice = NaN;

  takeProgress(m: ProgressMessage): void {
    this.loss = m.series.loss ?? empty();
    this.batchPrice = m.series.price ?? empty();
  }

  /** One test-set price per evaluated iteration (a re-evaluation of the same iteration replaces it). */
  takeEvaluation(r: EvaluationReport): void {
    const t = this.testPrice;
    const last = t.x.length - 1;
    if (last >= 0 && t.x[last] === r.iteration) t.y[last] = r.network.price;
    else if (Number.isFinite(r.network.price)) {
      t.x.push(r.iteration);
      t.y.push(r.network.price);
    }
  }

  clear(): void {
    this.loss = empty();
    this.batchPrice = empty();
    this.testPrice = empty();
  }
}

/** What the hedging charts, legends and labels read. */
export interface HedgingView {
  readonly progress: { iteration: number; loss: number } | null;
  readonly report: EvaluationReport | null;
  readonly results: HedgingResults;
}
