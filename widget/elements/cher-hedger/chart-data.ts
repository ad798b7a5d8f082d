// The hedging charts' data: worker messages and evaluation reports turned into uPlot's aligned arrays,
// each through align() (base/chart-data.ts), so nothing non-finite reaches a chart.
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import { align, finite, type Aligned, type Column } from '../base/chart-data.js';
import type { SeriesData } from '../worker/protocol.js';

export function lossData(loss: SeriesData): Aligned {
  return align(loss.x, [loss.y], { positive: true });
}

/** Batch price estimates, test-set prices (sparse) and the Black-Scholes price on one x axis. */
export function priceData(batch: SeriesData, test: SeriesData, bsPrice: number): Aligned {
  const points = new Map<number, [number | null, number | null]>();
  batch.x.forEach((x, i) => points.set(x, [batch.y[i], null]));
  test.x.forEach((x, i) => {
    const p = points.get(x);
    if (p) p[1] = test.y[i];
    else points.set(x, [null, test.y[i]]);
  });
  const x = [...points.keys()];
  const rows = [...points.values()];
  return align(x, [rows.map((r) => r[0]), rows.map((r) => r[1]), x.map(() => bsPrice)]);
}

/** Time in days; spot; hedges held over each step (the last repeated at expiry, for step lines). */
export function pathData(report: EvaluationReport): Aligned {
  const { time, spot, network, bsDelta } = report.samplePath;
  const hold = (h: number[]) => [...h, h[h.length - 1]];
  return align(time.map((t) => t * 365), [spot, hold(network), hold(bsDelta)]);
}

/**
 * Bin edges and the share of test paths (%) in each bin, for the network, BS delta and no hedge; the
 * last bin's value repeats at the last edge so that step lines give every bin its width.
 */
export function histogramData(report: EvaluationReport): Aligned {
  const { edges, network, bsDelta, noHedge } = report.histogram;
  const total = report.testPaths || 1;
  const pct = (c: number[]) => {
    const p = c.map((n) => (100 * n) / total);
    return [...p, p[p.length - 1]];
  };
  return align(edges, [pct(network), pct(bsDelta), pct(noHedge)]);
}

/**
 * The histogram's y-axis top: the taller of the network and BS delta histograms (plus headroom). Without
 * a hedge, every path where the option expires worthless lands in one bin, and that spike would flatten
 * the two hedged histograms, so it is left to run off the top.
 */
export function histogramTop(data: Aligned): number {
  let top = 0;
  for (const column of [data[1], data[2]]) for (const v of column ?? []) if (v !== null && v > top) top = v;
  return top > 0 ? top * 1.12 : 1;
}

/** Spot grid at mid-life; BS delta, then the network's hedge for each previous hedge. */
export function policyData(report: EvaluationReport): Aligned {
  const { spot, bsDelta, curves } = report.policy;
  return align(spot, [bsDelta, ...curves.map((c) => c.hedge)]);
}

/**
 * The displayed test path's step rewards (the environment's accounting P&L of the network's hedges),
 * stacked: days, then the stacked ends of the option P&L, the hedge P&L and the cost (drawn negative, as
 * it reduces P&L), then their running total. Row 0 is the start (day 0: no bar, total 0); row k + 1 ends
 * step k, whose bar spans the days from row k to row k + 1.
 *
 * Positive and negative parts stack separately away from zero (a diverging stack), so no two bars
 * overlap and every end tells its own base (see stackBase). A non-finite part is a gap in its bar and
 * leaves the running total unknown (a gap) from that step on.
 */
export function rewardData(report: EvaluationReport): Aligned {
  const { time, rewards } = report.samplePath;
  const { optionPnl, hedgePnl, cost } = rewards;
  const steps = Math.max(0, Math.min(optionPnl.length, hedgePnl.length, cost.length, time.length - 1));
  const x = time.slice(0, steps + 1).map((t) => t * 365);
  const ends: Column[] = [[null], [null], [null]];
  const total: Column = [0];
  let sum: number | null = 0;
  for (let k = 0; k < steps; k++) {
    let up = 0;
    let down = 0;
    // Cost as 0 - cost, not -cost: a zero cost stays +0 (the positive stack).
    const parts = [optionPnl[k], hedgePnl[k], 0 - cost[k]];
    for (let j = 0; j < 3; j++) {
      const v = parts[j];
      if (!finite(v)) {
        ends[j].push(null);
        sum = null;
      } else if (v >= 0) ends[j].push((up += v));
      else ends[j].push((down += v));
    }
    if (sum !== null) sum = sum + parts[0] + parts[1] + parts[2];
    if (sum !== null && !finite(sum)) sum = null;
    total.push(sum);
  }
  return align(x, [...ends, total]);
}

/**
 * Where the bar of stacked series `column` (1-based, as in `data`) starts at row `i`: on the end of the
 * previous bar of the same stack (ends at or above zero stack up, ends below zero stack down), or at zero.
 * Null where the bar is a gap.
 */
export function stackBase(data: Aligned, column: number, i: number): number | null {
  const end = data[column]?.[i];
  if (end === null || end === undefined) return null;
  let base = 0;
  for (let j = 1; j < column; j++) {
    const e = data[j][i];
    if (e === null || e === undefined) continue;
    if (end >= 0 && e >= 0 && e > base) base = e;
    else if (end < 0 && e < 0 && e < base) base = e;
  }
  return base;
}
