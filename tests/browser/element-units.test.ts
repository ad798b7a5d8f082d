// The element's pure parts, in Node: the chart-data guards (no NaN ever reaches a chart), attribute
// validation through the one validator, and the status text.
import { describe, expect, it } from 'vitest';
import { align, hasValues, type Aligned } from '../../widget/elements/base/chart-data.js';
import { histogramTop, lossData, priceData, rewardData, stackBase } from '../../widget/elements/cher-hedger/chart-data.js';
import type { EvaluationReport } from '../../widget/models/hedging/evaluation.js';
import { configProperties, describeProblem, elementDefaultWorkers, readSettingsWith } from '../../widget/elements/base/attributes.js';
import { BOUNDS_ELEMENT } from '../../widget/elements/cher-bounds/descriptor.js';
import { readSettings } from '../../widget/elements/cher-hedger/descriptor.js';
import { Downsampled } from '../../widget/elements/worker/series.js';
import { formatRate } from '../../widget/elements/base/status.js';
import { priceText } from '../../widget/elements/cher-hedger/status.js';

const allClean = (data: unknown[][]) => data.every((c) => c.every((v) => v === null || Number.isFinite(v as number)));

describe('chart data guards', () => {
  it('turns NaN and infinities into gaps and drops points without a finite x', () => {
    const data = align([0, 1, NaN, 3, Infinity], [[1, NaN, 2, -Infinity, 5]]);
    expect(data).toEqual([[0, 1, 3], [1, null, null]]);
    expect(allClean(data)).toBe(true);
  });
  it('keeps only positive values on the log-scale loss chart, and sorts x', () => {
    expect(lossData({ x: [2, 1, 3], y: [0, 0.5, -1] })).toEqual([[1, 2, 3], [0.5, null, null]]);
  });
  it('merges batch and test-set prices on one axis with the Black-Scholes line', () => {
    const d = priceData({ x: [1, 2], y: [0.02, NaN] }, { x: [0, 2], y: [0.03, 0.025] }, 0.0229);
    expect(d).toEqual([[0, 1, 2], [null, 0.02, null], [0.03, null, 0.025], [0.0229, 0.0229, 0.0229]]);
  });
  it('reports nothing drawable for all-gap data', () => {
    expect(hasValues(align([0, 1], [[NaN, NaN]]))).toBe(false);
    expect(hasValues(align([], []))).toBe(false);
    expect(histogramTop([[0, 1], [null, null], [null, null], [50, 50]])).toBe(1);
  });
  it('stacks the step rewards away from zero, cost negative, with their running total', () => {
    const d = rewardData(rewardsReport([0, 1, 2, 3], { optionPnl: [0.5, -0.25, 0], hedgePnl: [-0.375, 0.125, 0.25], cost: [0.125, 0.0625, 0] }));
    const [x, option, hedge, cost, total] = d;
    expect(x).toEqual([0, 1, 2, 3].map((t) => t * 365));
    // Positive parts stack up from 0, negative parts (cost included) down from 0.
    expect(option).toEqual([null, 0.5, -0.25, 0]);
    expect(hedge).toEqual([null, -0.375, 0.125, 0.25]);
    expect(cost).toEqual([null, -0.5, -0.3125, 0.25]);
    expect([1, 2, 3].map((i) => [stackBase(d, 1, i), stackBase(d, 2, i), stackBase(d, 3, i)])).toEqual([
      [0, 0, -0.375], [0, 0, -0.25], [0, 0, 0.25],
    ]);
    // Every bar spans exactly its part: end - base is the reward (cost negated).
    const parts = [[0.5, -0.25, 0], [-0.375, 0.125, 0.25], [-0.125, -0.0625, -0]];
    for (let s = 1; s <= 3; s++) for (let i = 1; i <= 3; i++) expect(d[s][i]! - stackBase(d, s, i)!).toBeCloseTo(parts[s - 1][i - 1], 12);
    // The running total is the cumulative sum of option + hedge - cost, from 0 at the start.
    expect(total).toEqual([0, 0, -0.1875, 0.0625]);
  });
  it('sums many random steps exactly like a cumulative sum, and never overlaps two bars', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const n = 60;
    const r = { optionPnl: Array.from({ length: n }, rnd), hedgePnl: Array.from({ length: n }, rnd), cost: Array.from({ length: n }, () => Math.abs(rnd()) / 10) };
    const d = rewardData(rewardsReport(Array.from({ length: n + 1 }, (_, i) => i / 365), r));
    let cum = 0;
    for (let k = 0; k < n; k++) {
      cum += r.optionPnl[k] + r.hedgePnl[k] - r.cost[k];
      expect(d[4][k + 1]).toBeCloseTo(cum, 12);
      const spans = [1, 2, 3].map((s) => [Math.min(d[s][k + 1]!, stackBase(d, s, k + 1)!), Math.max(d[s][k + 1]!, stackBase(d, s, k + 1)!)]).sort((a, b) => a[0] - b[0]);
      for (let j = 1; j < 3; j++) expect(spans[j][0]).toBeGreaterThanOrEqual(spans[j - 1][1] - 1e-15);
    }
  });
  it('turns non-finite rewards into gaps, and the running total into gaps from there on', () => {
    const d = rewardData(rewardsReport([0, 1, 2, 3, NaN], { optionPnl: [0.5, NaN, 0.25, 1], hedgePnl: [Infinity, 0.25, 0.125, 1], cost: [0, 0.125, -Infinity, 1] }));
    expect(allClean(d as unknown[][])).toBe(true);
    // The last step has no finite day: dropped.
    expect(d[0]).toEqual([0, 365, 730, 1095]);
    expect(d[1]).toEqual([null, 0.5, null, 0.25]);
    expect(d[2]).toEqual([null, null, 0.25, 0.375]);
    expect(d[3]).toEqual([null, 0.5, -0.125, null]);
    expect(d[4]).toEqual([0, null, null, null]);
    expect(stackBase(d, 2, 1)).toBeNull();
    expect(stackBase(d, 3, 1)).toBe(0.5);
  });
  it('downsamples long series to a bounded number of points and skips non-finite ones', () => {
    const s = new Downsampled(100);
    for (let i = 0; i < 10_000; i++) s.push(i, i % 7 === 0 ? NaN : i);
    const { x, y } = s.data();
    expect(x.length).toBeLessThanOrEqual(101);
    expect(allClean([x, y])).toBe(true);
  });
});

/** A report with just the sample path's times (years) and rewards: all rewardData reads. */
function rewardsReport(time: number[], rewards: EvaluationReport['samplePath']['rewards']): EvaluationReport {
  return { samplePath: { time, spot: [], network: [], bsDelta: [], rewards } } as unknown as EvaluationReport;
}

describe('attributes', () => {
  it('validates attribute text with the one validator and names attribute, value and what is allowed', () => {
    const s = readSettings({ strike: 'abc', hiddenUnits: '6', riskAversion: '2', iterations: '-3' });
    expect(s.config).toBeNull();
    const byAttr = Object.fromEntries(s.problems.map((p) => [p.attribute, p]));
    expect(Object.keys(byAttr).sort()).toEqual(['hidden-units', 'iterations', 'strike']);
    expect(describeProblem(byAttr.strike)).toBe('strike="abc": expected a number greater than 0 and at most 10000000');
    expect(byAttr['hidden-units'].allowed).toContain('a multiple of 4');
  });
  it('accepts properties set to numbers, and the element default for workers', () => {
    const s = readSettings({ strike: 110, volatility: '0.3', iterations: 10 }, { workers: 1 });
    expect(s.problems).toEqual([]);
    expect(s.config).toMatchObject({ strike: 110, volatility: 0.3, workers: 1 });
    expect(s.iterations).toBe(10);
    expect(readSettings({ workers: 'auto' }, { workers: 1 }).config!.workers).toBe('auto');
    expect(elementDefaultWorkers(2)).toBe(1);
    expect(elementDefaultWorkers(16)).toBe(4);
    expect(elementDefaultWorkers(undefined)).toBe(1);
  });
  it('<cher-bounds> offers no attribute for the neural dual it does not run: not declared, not read, defaults apply', () => {
    const attributes = Object.values(configProperties(BOUNDS_ELEMENT)).map((d) => d.attribute);
    expect(attributes).toContain('tree-steps');
    expect(attributes).toContain('backend');
    for (const a of ['beta', 'neural-iterations', 'batch', 'hidden-units', 'seed']) expect(attributes).not.toContain(a);
    const s = readSettingsWith(BOUNDS_ELEMENT, { treeSteps: '40', beta: 'not a number' });
    expect(s.problems).toEqual([]);
    expect(s.config).toMatchObject({ treeSteps: 40, beta: BOUNDS_ELEMENT.schema.defaults.beta });
  });
});

describe('status text', () => {
  it('formats rates and prices without NaN', () => {
    expect(formatRate(8.47e6)).toBe('8.47M');
    expect(formatRate(NaN)).toBe('–');
    expect(priceText(0.02288, 0.02287)).toBe('price 0.02288 vs BS 0.02287 (+0.0%)');
    expect(priceText(NaN, 0.02287)).toBe('BS price 0.02287');
  });
});
