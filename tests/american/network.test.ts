// The American value network (docs/numerics.md): the f64 reference's gradient against central finite
// differences, the WASM engine's gradient against the f64 reference, and one training run on the default
// configuration judged against the CRR lattice (price within 1%, the stopping rule within 1% below).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../widget/shared/config-schema.js';
import { DEFAULT_NETWORK_ITERATIONS, resolveAmericanConfig, type AmericanConfig } from '../../widget/models/american/config.js';
import { createAmericanTrainer, type AmericanTrainer } from '../../widget/models/american/network/model.js';
import { AmericanWasmEngine } from '../../widget/models/american/network/wasm-engine.js';
import { initialValueParams, networkPrice, valueLayout } from '../../widget/models/american/network/network.js';
import type { NetworkReport } from '../../widget/models/american/network/report.js';
import { priceAmerican } from '../../widget/models/american/price.js';
import { americanPaths, tdLossF64, type TdProblem } from '../reference/american-network-f64.js';
import { relativeL2 } from '../reference/compare.js';

/** A small problem: hidden 8, an odd batch (padding lanes), 7 dates, a dividend so every term is live. */
const SMALL: Partial<AmericanConfig> = {
  hidden: 8, batch: 37, exercise: 'bermudan', dates: 7, steps: 70, dividend: 0.02, seed: 11, workers: 1, backend: 'wasm',
  targetRefresh: 1000,
};

function problemOf(c: AmericanConfig, iteration: number): TdProblem {
  return {
    hidden: c.hidden, put: c.option === 'put', spot: c.spot, strike: c.strike, rate: c.rate, dividend: c.dividend,
    volatility: c.volatility, maturity: c.maturity, dates: c.dates as number, paths: c.batch, seed: c.seed, iteration,
  };
}

describe('value network gradient', () => {
  const config = resolveAmericanConfig(SMALL);
  const q = problemOf(config, 0);
  const online = initialValueParams(config.hidden, 3);
  const target = initialValueParams(config.hidden, 4);

  it('the f64 reference matches central finite differences (1e-6 relative)', () => {
    const paths = americanPaths(q);
    const { grad } = tdLossF64(q, online, target, paths);
    const fd = new Float64Array(grad.length);
    const p = Float64Array.from(online);
    const h = 1e-6;
    for (let i = 0; i < p.length; i++) {
      const keep = p[i];
      p[i] = keep + h;
      const plus = tdLossF64(q, p, target, paths).loss;
      p[i] = keep - h;
      const minus = tdLossF64(q, p, target, paths).loss;
      p[i] = keep;
      fd[i] = (plus - minus) / (2 * h);
    }
    expect(relativeL2(grad, fd)).toBeLessThan(1e-6);
  });

  for (const workers of [1, 2]) {
    it(`the WASM engine's loss and gradient match the f64 reference (1e-4 relative), ${workers} thread(s)`, async () => {
      const engine = await AmericanWasmEngine.create(resolveAmericanConfig({ ...SMALL, workers }), { params: online });
      try {
        // Five steps move the weights away from the target copy taken at iteration 0 (targetRefresh = 1000).
        await engine.train(5);
        const params = engine.parameters();
        const frozen = engine.targetWeights();
        expect(Array.from(frozen)).toEqual(Array.from(online));
        expect(relativeL2(params, frozen)).toBeGreaterThan(1e-3);
        const { loss, grad } = await engine.gradient(5);
        const want = tdLossF64(problemOf(config, 5), params, frozen);
        expect(relativeL2(grad, want.grad)).toBeLessThan(1e-4);
        expect(Math.abs(loss - want.loss) / want.loss).toBeLessThan(1e-4);
      } finally {
        engine.dispose();
      }
    });
  }

  it('the target copy follows the refresh schedule', async () => {
    const engine = await AmericanWasmEngine.create(resolveAmericanConfig({ ...SMALL, targetRefresh: 3 }));
    try {
      await engine.train(3);
      const before = engine.parameters();
      await engine.train(1); // iteration 3 starts a new block: the target is the weights before it
      expect(Array.from(engine.targetWeights())).toEqual(Array.from(before));
      await engine.train(1);
      expect(Array.from(engine.targetWeights())).toEqual(Array.from(before));
    } finally {
      engine.dispose();
    }
  });
});

describe('value network configuration', () => {
  it('names each bad network key', () => {
    for (const [key, value] of [['hidden', 6], ['batch', 0], ['targetRefresh', 1.5], ['lr', -1], ['backend', 'gpu'], ['iterations', 0]] as const) {
      let error: unknown;
      try {
        resolveAmericanConfig({ [key]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(key);
    }
  });

  it('has as many parameters as the layout says', () => {
    expect(valueLayout(16).count).toBe(16 * 16 + 5 * 16 + 1);
  });
});

describe('value network training on the default configuration', () => {
  let trainer: AmericanTrainer;
  let report: NetworkReport;
  let lattice: number;

  beforeAll(async () => {
    trainer = await createAmericanTrainer({ backend: 'wasm' });
    await trainer.run({ iterations: DEFAULT_NETWORK_ITERATIONS });
    report = await trainer.evaluate();
    lattice = (await priceAmerican({}, { methods: ['lattice'] })).methods.lattice!.price;
  }, 900_000);

  afterAll(() => trainer?.dispose());

  it('reports the lattice price as its reference', () => {
    expect(trainer.reference.latticePrice).toBeCloseTo(lattice, 12);
    expect(lattice).toBeCloseTo(4.4867, 3);
  });

  it("prices within 1% of the lattice", () => {
    expect(report.price).toBeCloseTo(networkPrice(trainer.config, trainer.exportWeights().params), 12);
    expect(Math.abs(report.price - lattice) / lattice).toBeLessThan(0.01);
  });

  it('its stopping rule is worth within 1% below the lattice, and not above it beyond two standard errors', () => {
    expect(report.exerciseToday).toBe(false);
    expect(report.stdError).toBeGreaterThan(0);
    expect(report.lower).toBeGreaterThan(0.99 * lattice);
    expect(report.lower).toBeLessThan(lattice + 2 * report.stdError);
  });

  it('its TD error falls, and the boundary lies below the strike', () => {
    const l = trainer.losses;
    const mean = (a: readonly number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(l.length).toBe(DEFAULT_NETWORK_ITERATIONS);
    expect(mean(l.slice(-100))).toBeLessThan(0.1 * mean(l.slice(0, 100)));
    const spots = report.boundary.spot.filter((s): s is number => s !== null);
    expect(spots.length).toBeGreaterThan(report.dates / 2);
    for (const s of spots) expect(s).toBeLessThan(trainer.config.strike);
  });
});
