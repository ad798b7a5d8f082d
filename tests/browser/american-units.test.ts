// <cher-american>'s pure parts, in Node: its chart data (no NaN reaches a chart, whatever the report
// holds), its table before and after LSM, and its attributes through the one validator.
import { describe, expect, it } from 'vitest';
import { readSettingsWith } from '../../widget/elements/base/attributes.js';
import { boundaryData, premiumData, valueData } from '../../widget/elements/cher-american/charts.js';
import { AMERICAN_ELEMENT } from '../../widget/elements/cher-american/descriptor.js';
import { americanStats } from '../../widget/elements/cher-american/stats.js';
import { priceAmerican, type AmericanReport } from '../../widget/models/american/price.js';

const clean = (data: unknown[][] | null) => !!data && data.every((c) => c.every((v) => v === null || Number.isFinite(v as number)));

describe('<cher-american> chart data', () => {
  it('keeps NaN and infinities out of every chart', async () => {
    const r = await priceAmerican({ steps: 500, paths: 4096, dualPaths: 256 });
    const bad: AmericanReport = structuredClone(r);
    bad.methods.lattice!.boundary.spot[3] = NaN;
    bad.methods.lattice!.boundary.time[5] = NaN;
    bad.methods.lsm!.boundary.spot[2] = Infinity;
    bad.curve!.value[4] = NaN;
    bad.curve!.european[6] = -Infinity;
    for (const data of [boundaryData(bad), valueData(bad), premiumData(bad)]) expect(clean(data)).toBe(true);
    expect(valueData(bad)![1][4]).toBeNull();
    expect(premiumData(bad)![1][6]).toBeNull();
    // The real report draws whole: the curve's 41 spots, and the boundaries of both methods.
    expect(valueData(r)![0]).toHaveLength(r.curve!.spot.length);
    const boundary = boundaryData(r);
    expect(boundary[1].some((v) => v !== null)).toBe(true);
    expect(boundary[2].some((v) => v !== null)).toBe(true);
  });

  it('a call without dividends is never exercised early: no boundary, but the strike still draws', async () => {
    const r = await priceAmerican({ option: 'call', spot: 40, steps: 500 }, { methods: ['lattice'] });
    const data = boundaryData(r);
    expect(data[1].every((v) => v === null)).toBe(true);
    expect(data[3].every((v) => v === 40)).toBe(true);
  });
});

describe('<cher-american> table', () => {
  it('before LSM: the lattice, LSM waiting, European and premium; no foresight number', async () => {
    const r = await priceAmerican({ steps: 500 }, { methods: ['lattice'] });
    const t = americanStats(r, null, false)!;
    expect(t.rows.map(([name]) => name)).toEqual([
      'Lattice (CRR, 500 steps)', 'LSM (50 dates, 100,000 paths)', 'European (Black-Scholes-Merton)', 'Early-exercise premium (lattice − European)',
    ]);
    expect(t.rows[1][1][0]).toBe('LSM waits for Start');
    expect(americanStats(r, { lsmFraction: 0.42, lsmPhase: 1 } as never, true)!.rows[1][1][0]).toBe('LSM pricing 42%');
    expect(americanStats(null, null, false)).toBeNull();
  });
});

describe('<cher-american> attributes', () => {
  it('every key is an attribute named as the CLI flag, and bad ones are named with what is allowed', () => {
    expect(AMERICAN_ELEMENT.schema.keys.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))).toContain('dual-paths');
    const ok = readSettingsWith(AMERICAN_ELEMENT, { spot: '40', exercise: 'bermudan', dates: '12', dualPaths: '1024' });
    expect(ok.problems).toEqual([]);
    expect(ok.config).toMatchObject({ spot: 40, dates: 12, dualPaths: 1024 });
    for (const [source, attribute] of [
      [{ volatility: '-0.2' }, 'volatility'], [{ spot: '0' }, 'spot'], [{ dates: '10' }, 'dates'], [{ steps: '100.5' }, 'steps'],
      [{ dualInner: '20' }, 'dual-inner'],
    ] as const) {
      const s = readSettingsWith(AMERICAN_ELEMENT, source);
      expect(s.config).toBeNull();
      expect(s.problems.map((p) => p.attribute)).toEqual([attribute]);
    }
  });
});
