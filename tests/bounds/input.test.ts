// Bad input gets a message naming the key (and for quotes the date and strike); rounding is repaired.
import { describe, expect, test } from 'vitest';
import { priceBounds } from '../../widget/models/bounds/index.js';
import { binomialMarginals, parseQuotesCsv, quotesFromMarginals, quotesMarginals, type CallQuote } from '../../widget/models/bounds/marginals.js';
import { resolveBoundsConfig } from '../../widget/models/bounds/config.js';
import { ConfigError } from '../../widget/shared/config-schema.js';

const small = quotesFromMarginals(binomialMarginals(resolveBoundsConfig({ treeSteps: 10 })));

async function rejects(p: Promise<unknown>, ...patterns: RegExp[]) {
  const e = await p.then(() => null, (err: unknown) => err as Error);
  expect(e, 'should have been refused').toBeInstanceOf(ConfigError);
  for (const pattern of patterns) expect(e!.message).toMatch(pattern);
}

describe('validation', () => {
  test('dates not increasing, a payoff missing its parameter, unknown keys', async () => {
    await rejects(priceBounds({ dates: [1, 0.5] }), /dates = \[1,0\.5\]: .*strictly increasing/);
    await rejects(priceBounds({ payoff: 'asian' }), /strike = undefined: required by payoff asian/);
    await rejects(priceBounds({ tree: 5 } as never), /tree = 5: not a configuration key; known keys: payoff, strike/);
    await rejects(priceBounds({ payoff: 'forward-start' }, { solver: 'simplex' as never }), /solver = "simplex": one of lp, entropic, all/);
  });

  test('an LP too large for memory is refused before it is built, naming the key', async () => {
    const start = performance.now();
    await rejects(priceBounds({ dates: [0.25, 0.5, 0.75, 1], treeSteps: 400, payoff: 'straddle' }), /treeSteps = 400: small enough for the exact LP: 4 dates give/);
    await rejects(priceBounds({ dates: [0.2, 0.4, 0.6, 0.8, 1], marginals: 'lognormal', gridSize: 200 }), /gridSize = 200/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  test('a malformed CSV names the line', () => {
    expect(() => parseQuotesCsv('maturity,strike\n1,100')).toThrow(/header "maturity,strike,call"/);
    expect(() => parseQuotesCsv('maturity,strike,call\n1,100,abc\n1,110,3', 'q.csv')).toThrow(/q.csv line 2: expected three numbers/);
    expect(() => parseQuotesCsv('maturity,strike,call\n')).toThrow(/no quotes/);
    const q = parseQuotesCsv('maturity,strike,call\r\n0.5,100,5\r\n1,100,7\r\n');
    expect(q).toEqual([{ maturity: 0.5, strike: 100, call: 5 }, { maturity: 1, strike: 100, call: 7 }]);
  });
});

describe('quotes: arbitrage refused with its date and strike, rounding repaired and reported', () => {
  const bump = (quotes: CallQuote[], maturity: number, index: number, by: number) => {
    const rows = quotes.map((q) => ({ ...q }));
    const row = rows.filter((q) => q.maturity === maturity)[index];
    row.call += by;
    return { rows, strike: row.strike };
  };

  test('a butterfly arbitrage (not convex)', () => {
    const { rows, strike } = bump(small, 1, 5, 2);
    expect(() => quotesMarginals(rows, 100, 0.005)).toThrow(new RegExp(`maturity 1, strike ${strike}: not convex`));
  });

  test('a calendar arbitrage', () => {
    const early = [{ maturity: 1, strike: 90, call: 12 }, { maturity: 1, strike: 100, call: 6 }, { maturity: 1, strike: 110, call: 2 }, { maturity: 1, strike: 150, call: 0 }];
    // Convex and decreasing on its own, but cheaper than the earlier maturity at 100.
    const late = [{ maturity: 2, strike: 90, call: 13 }, { maturity: 2, strike: 100, call: 5.5 }, { maturity: 2, strike: 110, call: 3 }, { maturity: 2, strike: 150, call: 0 }];
    expect(() => quotesMarginals([...early, ...late], 100, 0.005)).toThrow(/maturity 2, strike 100: calendar arbitrage/);
    expect(() => quotesMarginals([...early, ...late], 100, 0.005)).toThrow(/Invalid call quotes \(key quotes\)/);
  });

  test('prices not decreasing, slope below -1, means that differ', () => {
    const base = [{ maturity: 1, strike: 90, call: 12 }, { maturity: 1, strike: 100, call: 6 }, { maturity: 1, strike: 110, call: 2 }, { maturity: 1, strike: 150, call: 0 }];
    const later = base.map((q) => ({ ...q, maturity: 2, call: q.call + (q.call > 0 ? 1 : 0) }));
    expect(() => quotesMarginals([...base, ...later].map((q) => (q.maturity === 1 && q.strike === 110 ? { ...q, call: 7 } : q)), 100, 0.005)).toThrow(/maturity 1, strike 110: call prices not decreasing/);
    expect(() => quotesMarginals([...base, ...later].map((q) => (q.maturity === 1 && q.strike === 90 ? { ...q, call: 5 } : q)), 100, 0.005)).toThrow(/maturity 1, strike 90: slope below -1/);
    expect(() => quotesMarginals([...base, ...later].map((q) => (q.maturity === 2 && q.strike === 150 ? { ...q, call: 3 } : q)), 100, 0.005)).toThrow(/maturity 2, strike 150: .*means differ/);
  });

  test('quotes rounded to cents are repaired, each move reported and within the tolerance', async () => {
    const quotes = quotesFromMarginals(binomialMarginals(resolveBoundsConfig({ treeSteps: 100 })));
    const rounded = quotes.map((q) => ({ ...q, call: Math.round(q.call * 100) / 100 }));
    const { repairs } = quotesMarginals(rounded, 100, 0.01);
    expect(repairs.length).toBeGreaterThan(0);
    for (const r of repairs) {
      expect(Math.abs(r.to - r.from)).toBeLessThanOrEqual(0.01);
      expect(r.reason.length).toBeGreaterThan(0);
    }
    const report = await priceBounds({ quotes: rounded, repairTolerance: 0.01, payoff: 'forward-start' });
    expect(report.repairs).toEqual(repairs);
    // Cents of rounding move the bounds by about as much.
    expect(Math.abs(report.lower - 2.5516)).toBeLessThan(0.03);
    expect(Math.abs(report.upper - 6.9876)).toBeLessThan(0.03);
    // The same rounding with no tolerance is refused.
    expect(() => quotesMarginals(rounded, 100, 0)).toThrow(/more than the tolerance 0/);
  });
});
