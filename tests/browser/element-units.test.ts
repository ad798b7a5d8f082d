// The element's pure parts, in Node: the chart-data guards (no NaN ever reaches a chart), attribute
// validation through the one validator, and the status text.
import { describe, expect, it } from 'vitest';
import { align, hasValues, histogramTop, lossData, priceData } from '../../widget/element/chart-data.js';
import { describeProblem, elementDefaultWorkers, readSettings } from '../../widget/element/attributes.js';
import { Downsampled } from '../../widget/element/series.js';
import { formatRate, priceText } from '../../widget/element/features/status.js';

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
  it('downsamples long series to a bounded number of points and skips non-finite ones', () => {
    const s = new Downsampled(100);
    for (let i = 0; i < 10_000; i++) s.push(i, i % 7 === 0 ? NaN : i);
    const { x, y } = s.data();
    expect(x.length).toBeLessThanOrEqual(101);
    expect(allClean([x, y])).toBe(true);
  });
});

describe('attributes', () => {
  it('validates attribute text with the one validator and names attribute, value and what is allowed', () => {
    const s = readSettings({ strike: 'abc', hiddenUnits: '6', riskAversion: '2', iterations: '-3' });
    expect(s.config).toBeNull();
    const byAttr = Object.fromEntries(s.problems.map((p) => [p.attribute, p]));
    expect(Object.keys(byAttr).sort()).toEqual(['hidden-units', 'iterations', 'strike']);
    expect(describeProblem(byAttr.strike)).toBe('strike="abc": expected a number greater than 0 and at most 10');
    expect(byAttr['hidden-units'].allowed).toContain('a multiple of 4');
  });
  it('accepts properties set to numbers, and the element default for workers', () => {
    const s = readSettings({ strike: 1.1, volatility: '0.3', iterations: 10 }, { workers: 1 });
    expect(s.problems).toEqual([]);
    expect(s.config).toMatchObject({ strike: 1.1, volatility: 0.3, workers: 1 });
    expect(s.iterations).toBe(10);
    expect(readSettings({ workers: 'auto' }, { workers: 1 }).config!.workers).toBe('auto');
    expect(elementDefaultWorkers(2)).toBe(1);
    expect(elementDefaultWorkers(16)).toBe(4);
    expect(elementDefaultWorkers(undefined)).toBe(1);
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
