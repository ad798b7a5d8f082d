// The AssemblyScript engine against the contract's reference values and the f64 reference in tests/reference.
import '../widget/models/hedging/scalar.js';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveConfig, type HedgerConfig } from '../widget/models/hedging/config.js';
import { initialParams, paramLayout } from '../widget/models/hedging/network.js';
import { pathNormals, philox4x32, seedKey, Stream } from '../widget/shared/philox.js';
import { engineModule, WasmEngine, type WasmBuild } from '../widget/models/hedging/wasm/wasm-engine.js';
import { unitConfig } from '../widget/models/hedging/units.js';
import { configureInstance } from '../widget/models/hedging/wasm/slice.js';
import { GRADIENT_BASE, RISK_SETUPS, relativeL2 } from './reference/compare.js';
import { gradientF64, forwardF64, simulatePathsF64 } from './reference/hedge-f64.js';

const BUILDS: WasmBuild[] = ['simd', 'scalar'];

async function instance(build: WasmBuild) {
  const inst = new WebAssembly.Instance(await engineModule(build), {});
  return inst.exports as any;
}


const engines: WasmEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));
async function engine(config: Partial<HedgerConfig>, options: { build?: WasmBuild; params?: Float32Array } = {}) {
  const e = await WasmEngine.create(resolveConfig(config), options);
  engines.push(e);
  return e;
}

describe.each(BUILDS)('%s build: random numbers', (build) => {
  test('Philox4x32-10 matches the Random123 known answers (docs/numerics.md)', async () => {
    const ex = await instance(build);
    configureInstance(ex, resolveConfig({ hidden: 4, steps: 4, seed: 0 }), 4, 0);
    const words = (c: number[], k: number[]) => {
      ex.philoxProbe(...c, ...k);
      return Array.from(new Uint32Array(ex.memory.buffer, ex.scratchPointer(), 4));
    };
    expect(words([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(words([-1, -1, -1, -1].map((x) => x >>> 0), [0xffffffff, 0xffffffff])).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(words([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
    // And bit for bit with the TypeScript generator on counters the known answers do not cover.
    for (let i = 0; i < 200; i++) {
      const c = [i * 7919, i, i >> 2, i % 3];
      const k = [0x9e3779b9 * i >>> 0, i * 31];
      expect(words(c, k)).toEqual(philox4x32(c[0], c[1], c[2], c[3], k[0], k[1]));
    }
  });

  test('normals agree with the f64 Box-Muller of the same uniforms within 1e-5', async () => {
    const ex = await instance(build);
    const seed = 2 ** 40 + 12345;
    configureInstance(ex, resolveConfig({ hidden: 4, steps: 64, seed }), 4, 0);
    let worst = 0;
    for (const [path, iteration, stream] of [[0, 0, 0], [17, 3, 0], [123456, 0, 1], [5, 9, 2]]) {
      ex.normalsProbe(path, iteration, stream, 64);
      const got = new Float32Array(ex.memory.buffer, ex.scratchPointer() + 64, 64);
      const want = pathNormals(seed, path, iteration, stream, 64);
      for (let i = 0; i < 64; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(worst).toBeGreaterThan(0); // f32 against f64: if this were 0 the comparison would be vacuous
  });
});

const base = GRADIENT_BASE;
const RISKS = RISK_SETUPS;

/** Seeded weights with the premium and biases moved off zero so every term of the gradient is exercised. */
function testParams(hidden: number, seed: number): Float32Array {
  const p = initialParams(hidden, seed);
  const L = paramLayout(hidden);
  for (let j = L.b1; j < L.w2; j++) p[j] = 0.1 * Math.sin(j);
  for (let j = L.b2; j < L.w3; j++) p[j] = 0.1 * Math.cos(j);
  p[L.b3] = 0.2;
  p[L.p0] = 0.015;
  return p;
}

describe.each(BUILDS)('%s build: gradients against the f64 reference', (build) => {
  for (const features of ['log-moneyness', 'spot'] as const) {
    for (const risk of RISKS) {
      for (const cost of [0, 0.01]) {
        for (const bptt of ['full', 'per-depth'] as const) {
          // The spot input only changes the first layer: the other combinations run with the default.
          if (features === 'spot' && bptt === 'per-depth') continue;
          test(`${features} ${risk.risk} ${risk.premium ?? ''} cost ${cost} ${bptt}`, async () => {
            const config = resolveConfig({ ...base, ...risk, cost, bptt, features, option: cost ? 'put' : 'call', drift: 0.1 });
            const params = testParams(config.hidden, 3);
            const e = await engine(config, { build, params });
            const iteration = 5;
            const { grad, y, loss } = await e.gradient(iteration);
            // The engine simulates on the unit scale; so does the reference.
            const u = unitConfig(config);
            const paths = simulatePathsF64({ ...u, paths: u.batch, iteration, stream: Stream.Training });
            const lossConfig = { ...u, put: u.option === 'put' };
            const refY = forwardF64(params, u.hidden, paths, lossConfig).map((r) => r.y);
            let worstY = 0;
            for (let i = 0; i < refY.length; i++) worstY = Math.max(worstY, Math.abs(y[i] - refY[i]));
            expect(worstY).toBeLessThan(2e-6);
            const P = paramLayout(u.hidden).count;
            if (bptt === 'full') {
              const want = gradientF64(params, u.hidden, paths, lossConfig, 'full');
              expect(relativeL2(grad, want)).toBeLessThan(1e-4);
            } else {
              const want = gradientF64(params, u.hidden, paths, lossConfig, 'per-depth');
              expect(grad.length).toBe(u.steps * P);
              for (let d = 0; d < u.steps; d++) {
                expect(relativeL2(grad.subarray(d * P, (d + 1) * P), want[d])).toBeLessThan(1e-4);
              }
            }
            expect(Number.isFinite(loss)).toBe(true);
          });
        }
      }
    }
  }
});

describe('engine invariants', () => {
  test('per-depth gradients add up to the full gradient', async () => {
    const params = testParams(8, 11);
    for (const cost of [0, 0.005]) {
      const full = await engine({ ...base, cost, risk: 'entropic' }, { params });
      const depth = await engine({ ...base, cost, risk: 'entropic', bptt: 'per-depth' }, { params });
      const g = (await full.gradient(2)).grad;
      const d = (await depth.gradient(2)).grad;
      const P = g.length;
      const sum = new Float64Array(P);
      for (let j = 0; j < base.steps; j++) for (let i = 0; i < P; i++) sum[i] += d[j * P + i];
      expect(relativeL2(sum, g)).toBeLessThan(1e-5); // f32 sums in a different order
      // Depth 0 alone is not the whole story, or the check above would be vacuous.
      expect(relativeL2(d.subarray(0, P), g)).toBeGreaterThan(1e-3);
    }
  });

  test('one worker and several compute the same batch', async () => {
    const params = testParams(8, 5);
    const config = { ...base, batch: 1001, cost: 0.003 };
    const one = await (await engine({ ...config, workers: 1 }, { params })).gradient(4);
    for (const workers of [2, 4]) {
      const many = await (await engine({ ...config, workers }, { params })).gradient(4);
      expect(Array.from(many.y)).toEqual(Array.from(one.y)); // each path is computed identically
      expect(relativeL2(many.grad, one.grad)).toBeLessThan(1e-6); // only the f32 summation order differs
      expect(many.loss).toBe(one.loss);
    }
  });

  test('SIMD and scalar builds agree path by path', async () => {
    const params = testParams(8, 9);
    const config = { ...base, batch: 257, cost: 0.002, risk: 'cvar' } as const;
    const a = await (await engine(config, { build: 'simd', params })).gradient(1);
    const b = await (await engine(config, { build: 'scalar', params })).gradient(1);
    let worst = 0;
    for (let i = 0; i < a.y.length; i++) worst = Math.max(worst, Math.abs(a.y[i] - b.y[i]));
    expect(worst).toBeLessThan(1e-6);
    expect(relativeL2(a.grad, b.grad)).toBeLessThan(1e-5);
  });

  test('training the default problem converges to the Black-Scholes price', async () => {
    const bs = 0.022872;
    const e = await engine({ batch: 4096, workers: 'auto' });
    const before = await e.evaluate();
    await e.train(600);
    const after = await e.evaluate();
    expect(Math.abs(after.network.price - bs) / bs).toBeLessThan(0.01);
    expect(Math.abs(after.premium! - bs) / bs).toBeLessThan(0.01);
    // The price is meaningful because the network really hedges: its error is a fraction of no hedge's.
    expect(after.network.std).toBeLessThan(0.25 * after.noHedge.std);
    expect(after.network.std).toBeLessThan(0.5 * before.network.std);
    expect(Math.abs(after.bsPrice - bs)).toBeLessThan(1e-6);
  });

  test('Black-Scholes delta hedging error shrinks like 1/sqrt(N) (docs/numerics.md)', async () => {
    const expected: Record<number, number> = { 5: 0.0083, 20: 0.0043, 80: 0.0022 };
    const std: Record<number, number> = {};
    for (const steps of [5, 20, 80]) {
      const e = await engine({ steps, maturity: 20 / 250, testPaths: 20000, batch: 16, workers: 1 });
      std[steps] = (await e.evaluate()).bsDelta.std;
      expect(Math.abs(std[steps] - expected[steps]) / expected[steps]).toBeLessThan(0.1);
    }
    expect(std[5] / std[20]).toBeGreaterThan(1.8);
    expect(std[5] / std[20]).toBeLessThan(2.2);
    expect(std[20] / std[80]).toBeGreaterThan(1.8);
    expect(std[20] / std[80]).toBeLessThan(2.2);
  });

  test('with costs, the band trades less than delta hedging', async () => {
    const e = await engine({ ...base, steps: 30, cost: 0.005, testPaths: 4000 });
    const r = await e.evaluate();
    expect(r.bsDelta.cost).toBeGreaterThan(0);
    expect(r.whalleyWilmott.cost).toBeLessThan(r.bsDelta.cost);
    expect(r.noHedge.cost).toBe(0);
    expect(r.histogram.network.reduce((a, b) => a + b, 0)).toBe(4000);
    expect(r.histogram.edges).toHaveLength(r.histogram.network.length + 1);
    expect(r.samplePath.spot).toHaveLength(31);
    expect(r.policy.curves).toHaveLength(3);
  });
});
