// Least-squares Monte Carlo against the Bermudan lattice on the same exercise dates (50 a year), its dual
// upper bound, the foresight number, and the two WASM builds against each other.
import '../../widget/models/american/scalar.js';
import { describe, expect, test } from 'vitest';
import { priceAmerican } from '../../widget/models/american/price.js';
import type { AmericanConfig } from '../../widget/models/american/config.js';

async function both(config: Partial<AmericanConfig>) {
  const bermudan = { ...config, exercise: 'bermudan' as const, steps: 5000 * (config.maturity ?? 1) };
  const [lsm, lattice] = await Promise.all([
    priceAmerican(bermudan, { methods: ['lsm'] }),
    priceAmerican(bermudan, { methods: ['lattice'] }),
  ]);
  return { lsm: lsm.methods.lsm!, lattice: lattice.methods.lattice!.price, european: lsm.european };
}

describe('least-squares Monte Carlo', () => {
  for (const c of [
    { spot: 36, volatility: 0.2, maturity: 1 },
    { spot: 40, volatility: 0.4, maturity: 1, paths: 400_000 },
    { spot: 44, volatility: 0.2, maturity: 2 },
  ]) {
    test(`S0 = ${c.spot}, sigma = ${c.volatility}, T = ${c.maturity}: the independent estimate near the Bermudan lattice, inside [lower, upper]`, async () => {
      const { lsm, lattice, european } = await both(c);
      expect(lsm.dates).toBe(50 * c.maturity);
      expect(lsm.stdError).toBeGreaterThan(0);
      expect(lsm.stdError).toBeLessThan(0.02);
      expect(Math.abs(lsm.lower - lattice)).toBeLessThan(Math.min(2 * lsm.stdError, 0.02) + 1e-12);
      expect(lsm.upper).toBeGreaterThan(lsm.lower);
      expect(lsm.lower - 2 * lsm.stdError).toBeLessThan(lattice);
      expect(lsm.upper).toBeGreaterThan(lattice);
      // The dual bound from a four-function value fit is valid but loose (about 0.13 at the default put,
      // 0.2-0.27 at sigma 40% or over two years); it must not be a blind guess.
      expect(lsm.upper - lattice).toBeLessThan(0.3);
      expect(lsm.lower).toBeGreaterThan(european);
      // Perfect foresight sees the future: far above every honest number.
      expect(lsm.foresight.biasedPrice).toBeGreaterThan(lsm.upper + 0.5);
      expect(lsm.foresight.note).toMatch(/biased/);
    });
  }

  test('the SIMD and scalar builds simulate the same paths and give the same report', async () => {
    const c = { paths: 8192, dualPaths: 512, dualInner: 16 };
    const [simd, scalar] = await Promise.all(
      (['simd', 'scalar'] as const).map((build) => priceAmerican(c, { methods: ['lsm'], build })),
    );
    const a = simd.methods.lsm!;
    const b = scalar.methods.lsm!;
    expect(b.lower).toBeCloseTo(a.lower, 10);
    expect(b.upper).toBeCloseTo(a.upper, 10);
    expect(b.foresight.biasedPrice).toBeCloseTo(a.foresight.biasedPrice, 10);
  });

  test('a different seed gives a different but consistent estimate; progress reaches 1', async () => {
    const fractions: number[] = [];
    const a = (await priceAmerican({ paths: 20_000, dualPaths: 1024 }, { methods: ['lsm'], onProgress: (p) => fractions.push(p.fraction) })).methods.lsm!;
    const b = (await priceAmerican({ paths: 20_000, dualPaths: 1024, seed: 7 }, { methods: ['lsm'] })).methods.lsm!;
    expect(a.lower).not.toBe(b.lower);
    expect(Math.abs(a.lower - b.lower)).toBeLessThan(3 * Math.hypot(a.stdError, b.stdError));
    expect(fractions.at(-1)).toBeCloseTo(1, 9);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
  });

  test("the fitted rule's boundary lies below K and near the lattice's", async () => {
    const r = await priceAmerican({ exercise: 'bermudan', steps: 5000 }, { methods: ['lattice', 'lsm'] });
    const lattice = r.methods.lattice!.boundary.spot;
    const fitted = r.methods.lsm!.boundary.spot;
    expect(fitted).toHaveLength(49);
    for (let m = 0; m < 49; m++) {
      expect(fitted[m]).not.toBeNull();
      expect(fitted[m]!).toBeLessThan(40);
      expect(Math.abs(fitted[m]! - lattice[m]!)).toBeLessThan(1.5);
    }
  });
});
