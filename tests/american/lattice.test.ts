// The CRR lattice against independent references: Hull's textbook tree, a finite-difference solution of the
// Longstaff-Schwartz grid (QuantLib's Crank-Nicolson engine), Black-Scholes-Merton closed forms, the contract's
// reference values, and QuantLib's own binomial engine run beside it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bsDelta, bsPrice } from '../../widget/shared/black-scholes.js';
import { priceAmerican } from '../../widget/models/american/price.js';
import type { AmericanConfig } from '../../widget/models/american/config.js';

async function lattice(config: Partial<AmericanConfig>) {
  const r = await priceAmerican(config, { methods: ['lattice'] });
  return r.methods.lattice!;
}

const LS = { strike: 40, rate: 0.06, dividend: 0 } as const;

/**
 * American put, K = 40, r = 0.06: QuantLib 1.29 FdBlackScholesVanillaEngine, 4000 time x 4000 space points
 * (an independent method: finite differences, not a tree), rounded to 1e-5. [S, sigma, T, value].
 */
const FD_REFERENCE: [number, number, number, number][] = [
  [36, 0.2, 1, 4.48656], [36, 0.2, 2, 4.8481], [36, 0.4, 1, 7.10888], [36, 0.4, 2, 8.514],
  [38, 0.2, 1, 3.25711], [38, 0.2, 2, 3.75121], [38, 0.4, 1, 6.1545], [38, 0.4, 2, 7.67473],
  [40, 0.2, 1, 2.3195], [40, 0.2, 2, 2.88982], [40, 0.4, 1, 5.31821], [40, 0.4, 2, 6.9233],
  [42, 0.2, 1, 1.6211], [42, 0.2, 2, 2.21661], [42, 0.4, 1, 4.58809], [42, 0.4, 2, 6.25009],
  [44, 0.2, 1, 1.11292], [44, 0.2, 2, 1.69324], [44, 0.4, 1, 3.95272], [44, 0.4, 2, 5.64659],
];

describe('CRR lattice', () => {
  test("Hull's American put (S0 = K = 50, r = 10%, sigma = 40%, 5 months): the textbook's trees", async () => {
    const hull = { spot: 50, strike: 50, rate: 0.1, volatility: 0.4, maturity: 5 / 12 };
    // Hull, Options, Futures and Other Derivatives: 4.49 with 5 steps; 4.263, 4.272, 4.278, 4.283 with 30, 50, 100, 500.
    expect((await lattice({ ...hull, steps: 5 })).price).toBeCloseTo(4.49, 2);
    for (const [steps, value] of [[30, 4.263], [50, 4.272], [100, 4.278], [500, 4.283]]) {
      expect(Math.abs((await lattice({ ...hull, steps })).price - value)).toBeLessThan(6e-4);
    }
  });

  test('Longstaff-Schwartz grid: 20,000 steps within 1e-3 of the finite-difference solution', async () => {
    for (const [spot, volatility, maturity, value] of FD_REFERENCE) {
      const price = (await lattice({ ...LS, spot, volatility, maturity, steps: 20_000 })).price;
      expect(Math.abs(price - value), `S=${spot} sigma=${volatility} T=${maturity}`).toBeLessThan(1e-3);
    }
  });

  test('Bermudan at 50 dates a year: between the European and the American on the whole grid', async () => {
    for (const [spot, volatility, maturity, american] of FD_REFERENCE) {
      const c = { ...LS, spot, volatility, maturity, exercise: 'bermudan' as const, steps: 5000 * maturity };
      const bermudan = (await lattice(c)).price;
      const european = bsPrice({ spot, strike: 40, tau: maturity, volatility, put: true, rate: 0.06 });
      expect(bermudan).toBeGreaterThan(european);
      expect(bermudan).toBeLessThan(american);
    }
  });

  test("the contract's reference: 4.4867 at 20,000 steps, European 3.8443, Bermudan (50 dates) 4.478 as Longstaff-Schwartz's Table 1", async () => {
    const bermudan = await priceAmerican({ exercise: 'bermudan', dates: 50, steps: 20_000 }, { methods: ['lattice'] });
    expect(Math.abs(bermudan.methods.lattice!.price - 4.478)).toBeLessThan(5e-4);
    const r = await priceAmerican({ steps: 20_000 }, { methods: ['lattice'] });
    expect(r.methods.lattice!.price).toBeCloseTo(4.4867, 4);
    expect(r.european).toBeCloseTo(3.8443, 4);
    expect(r.earlyExercisePremium).toBeCloseTo(4.4867 - 3.8443, 3);
  });

  test('an American call without dividends is the European call (Black-Scholes 10.4506)', async () => {
    const c = { option: 'call' as const, spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturity: 1, steps: 20_000 };
    const r = await priceAmerican(c, { methods: ['lattice'] });
    expect(r.european).toBeCloseTo(10.4506, 4);
    expect(Math.abs(r.methods.lattice!.price - 10.4506)).toBeLessThan(1e-3);
    expect(r.methods.lattice!.boundary.spot.every((s) => s === null)).toBe(true);
    // With a dividend yield the call is exercised early: worth more than the European, boundary above K.
    const d = await priceAmerican({ ...c, dividend: 0.08, steps: 2000 }, { methods: ['lattice'] });
    expect(d.methods.lattice!.price).toBeGreaterThan(d.european + 0.05);
    const edges = d.methods.lattice!.boundary.spot.filter((s): s is number => s !== null);
    expect(edges.length).toBeGreaterThan(50);
    expect(Math.min(...edges)).toBeGreaterThan(100);
  });

  test('delta and gamma against Black-Scholes (European-like call) and against bumped lattice prices (put)', async () => {
    const call = await lattice({ option: 'call', spot: 100, strike: 100, rate: 0.05, volatility: 0.2, steps: 4000 });
    expect(call.delta).toBeCloseTo(bsDelta({ spot: 100, strike: 100, tau: 1, volatility: 0.2, rate: 0.05 }), 3);
    expect(call.gamma).toBeCloseTo(0.018762, 3); // n(d1) / (S sigma sqrt T), d1 = 0.35
    const h = 0.5;
    const [up, down, mid] = await Promise.all([36 + h, 36 - h, 36].map((spot) => lattice({ spot, steps: 4000 })));
    expect(mid.delta).toBeCloseTo((up.price - down.price) / (2 * h), 2);
    expect(mid.gamma).toBeCloseTo((up.price - 2 * mid.price + down.price) / (h * h), 2);
  });

  test("the put's exercise boundary: below K, rising towards K at expiry; exercise below it, not above", async () => {
    const { boundary } = await lattice({ steps: 2000 });
    // Near t = 0 the few nodes of a step may all lie above the boundary: no exercised node, null.
    const early = boundary.time.filter((t) => t < 0.05).length;
    expect(boundary.spot.slice(early).every((s) => s !== null)).toBe(true);
    const edges = boundary.spot.slice(early) as number[];
    expect(edges.every((s) => s > 25 && s < 40)).toBe(true);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThanOrEqual(edges[i - 1]);
    expect(edges.at(-1)!).toBeGreaterThan(edges[0] + 4);
    const below = await lattice({ spot: edges[0] * 0.97, steps: 2000 });
    expect(below.price).toBeCloseTo(40 - edges[0] * 0.97, 9);
    const above = await lattice({ spot: edges[0] * 1.03, steps: 2000 });
    expect(above.price).toBeGreaterThan(40 - edges[0] * 1.03 + 1e-4);
  });

  test('V(0, S) lies above both the payoff and the European value over the spot range', async () => {
    const r = await priceAmerican({}, { methods: ['lattice'] });
    const { spot, value, european } = r.curve!;
    expect(spot).toHaveLength(41);
    for (let i = 0; i < spot.length; i++) {
      expect(value[i]).toBeGreaterThanOrEqual(Math.max(40 - spot[i], 0) - 1e-12);
      expect(value[i]).toBeGreaterThan(european[i] - 2e-3);
    }
  });

  test('10,000 steps in well under a second', async () => {
    await lattice({ steps: 10_000 });
    expect((await lattice({ steps: 10_000 })).seconds).toBeLessThan(1);
  });
});

/** Debian's python3-quantlib; CI installs it, so a missing QuantLib fails there instead of skipping. */
function hasQuantLib(): boolean {
  try {
    execFileSync(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['-c', 'import QuantLib'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('QuantLib for Python is required in CI (apt-get install python3-quantlib)');
    return false;
  }
}

describe.runIf(hasQuantLib())('against QuantLib', () => {
  test("QuantLib's CRR binomial engine and ours agree at 2000 steps", async () => {
    const script = new URL('../../bench/american/quantlib_peer.py', import.meta.url).pathname;
    const out = execFileSync('/usr/bin/python3', [script, '--method', 'lattice', '--steps', '2000', '--spot', '36', '--volatility', '0.2'], { encoding: 'utf8' });
    const ql = JSON.parse(out.trim().split('\n').at(-1)!);
    const ours = await lattice({ steps: 2000 });
    // QuantLib's CRR takes p = 1/2 + (r - q - sigma^2/2) sqrt(dt) / (2 sigma), the contract's p is the exact
    // risk-neutral one; both converge to the same value.
    expect(Math.abs(ql.price - ours.price)).toBeLessThan(2e-4);
  });
});
