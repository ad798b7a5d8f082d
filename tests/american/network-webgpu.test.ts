// The American value network's WebGPU engine against its WASM engine (docs/numerics.md, the value network):
// one iteration's loss and gradient from the same weights and target copy, 200 iterations' loss curves,
// snapshots, buffer lifetimes and the backend choice. Behind the same capability gate as the hedging
// engine's WebGPU tests (Dawn + SwiftShader in Node, tests/webgpu/gate.ts).
import { describe, expect, test } from 'vitest';
import { resolveAmericanConfig, type AmericanConfig } from '../../widget/models/american/config.js';
import { AmericanWasmEngine } from '../../widget/models/american/network/wasm-engine.js';
import { AmericanWebGpuEngine } from '../../widget/models/american/network/webgpu/webgpu-engine.js';
import { initialValueParams } from '../../widget/models/american/network/network.js';
import { americanModel } from '../../widget/models/american/network/model.js';
import { SNAPSHOT_INTERVAL, Trainer } from '../../widget/runtime/training/trainer.js';
import { privateGpu } from '../../widget/runtime/webgpu/device.js';
import { tdLossF64, type TdProblem } from '../reference/american-network-f64.js';
import { relativeL2 } from '../reference/compare.js';
import { disposeAfterAll, webgpuGate } from '../webgpu/gate.js';

const gate = await webgpuGate();

const keep = disposeAfterAll();

/** Hidden 8, 7 dates, a dividend so every term is live; 100 paths: two workgroups, the second padded. */
const SMALL: Partial<AmericanConfig> = {
  hidden: 8, batch: 100, exercise: 'bermudan', dates: 7, steps: 70, dividend: 0.02, seed: 11, workers: 1, backend: 'wasm',
  targetRefresh: 1000,
};

function problemOf(c: AmericanConfig, iteration: number): TdProblem {
  return {
    hidden: c.hidden, put: c.option === 'put', spot: c.spot, strike: c.strike, rate: c.rate, dividend: c.dividend,
    volatility: c.volatility, maturity: c.maturity, dates: c.dates as number, paths: c.batch, seed: c.seed, iteration,
  };
}

/**
 * Loss curves over 200 iterations: both engines start from the same weights, see the same Philox paths
 * (the kernel's exp, log and sin/cos are the WASM engine's, operation for operation) and differ by f32
 * rounding (summation order; AdamW in f32 on the GPU against f64 on the host).
 */
const CURVE_TOLERANCE = 1e-3;

describe.skipIf(!gate.gpu)('the value network on WebGPU against WASM', () => {
  test('one iteration: loss and gradient within 1e-4 relative (same weights, same target copy)', async () => {
    const config = resolveAmericanConfig(SMALL);
    const online = initialValueParams(config.hidden, 3);
    const w = keep(await AmericanWasmEngine.create(config, { params: online }));
    const g = keep(await AmericanWebGpuEngine.create(config, { params: online }));
    // From the initial weights (the target copy is taken at iteration 0 by both).
    const a0 = await w.gradient(0);
    const b0 = await g.gradient(0);
    console.log(`iteration 0: loss ${a0.loss} / ${b0.loss}, gradient relative L2 ${relativeL2(b0.grad, a0.grad).toExponential(2)}`);
    expect(Math.abs(b0.loss - a0.loss) / a0.loss).toBeLessThan(1e-4);
    expect(relativeL2(b0.grad, a0.grad)).toBeLessThan(1e-4);
    // After five WASM steps the weights differ from the frozen target copy (targetRefresh = 1000).
    await w.train(5);
    g.restore(w.snapshot());
    g.setTargetWeights(w.targetWeights(), 5);
    const a = await w.gradient(5);
    const b = await g.gradient(5);
    const ref = tdLossF64(problemOf(config, 5), w.parameters(), w.targetWeights());
    console.log(`iteration 5: loss ${a.loss} / ${b.loss} / f64 ${ref.loss}, gradient relative L2 ${relativeL2(b.grad, a.grad).toExponential(2)} (f64: ${relativeL2(b.grad, ref.grad).toExponential(2)})`);
    expect(Math.abs(b.loss - a.loss) / a.loss).toBeLessThan(1e-4);
    expect(relativeL2(b.grad, a.grad)).toBeLessThan(1e-4);
    expect(relativeL2(b.grad, ref.grad)).toBeLessThan(1e-4);
  });

  test.each<[string, Partial<AmericanConfig>]>([
    ['the default American put (hidden 16, 50 dates, 1024 paths)', {}],
    ['an American call with a dividend', { option: 'call', spot: 44, dividend: 0.04, hidden: 12, batch: 300 }],
  ])('one iteration on %s: loss, gradient and price within 1e-4 relative', async (_, c) => {
    const config = resolveAmericanConfig({ ...c, workers: 1, backend: 'wasm' });
    const w = keep(await AmericanWasmEngine.create(config));
    const g = keep(await AmericanWebGpuEngine.create(config));
    await w.train(3);
    g.restore(w.snapshot());
    g.setTargetWeights(w.targetWeights(), 3);
    const a = await w.gradient(3);
    const b = await g.gradient(3);
    const price = (await w.train(1)).price;
    console.log(`${_}: loss ${a.loss} / ${b.loss}, gradient relative L2 ${relativeL2(b.grad, a.grad).toExponential(2)}, price ${price} / ${b.price}`);
    expect(Math.abs(b.loss - a.loss) / a.loss).toBeLessThan(1e-4);
    expect(relativeL2(b.grad, a.grad)).toBeLessThan(1e-4);
    expect(Math.abs(b.price - price) / price).toBeLessThan(1e-4);
  });

  test('200 iterations: loss curves within the stated tolerance', async () => {
    const config = resolveAmericanConfig({ ...SMALL, batch: 256, dates: 10, targetRefresh: 2 });
    const g = keep(await AmericanWebGpuEngine.create(config, { iterationsPerSubmit: 8 }));
    const w = keep(await AmericanWasmEngine.create(config));
    const gpuLosses: number[] = [];
    for (let i = 0; i < 200; i += 50) gpuLosses.push(...(await g.train(50)).history.map((h) => h.loss));
    const wasmLosses = (await w.train(200)).history.map((h) => h.loss);
    expect(gpuLosses).toHaveLength(200);
    let worst = 0;
    for (let i = 0; i < 200; i++) worst = Math.max(worst, Math.abs(gpuLosses[i] - wasmLosses[i]) / Math.abs(wasmLosses[i]));
    const weights = relativeL2(g.snapshot().params, w.snapshot().params);
    console.log(`value network loss curves: worst relative difference ${worst.toExponential(2)}, final weights ${weights.toExponential(2)} (tolerance ${CURVE_TOLERANCE})`);
    expect(worst).toBeLessThan(CURVE_TOLERANCE);
    expect(weights).toBeLessThan(CURVE_TOLERANCE);
    expect(g.snapshot().optimizerStep).toBe(w.snapshot().optimizerStep);
    const [a, b] = await Promise.all([g.evaluate(), w.evaluate()]);
    expect(Math.abs(a.lower - b.lower)).toBeLessThan(5 * b.stdError);
  });

  test('snapshot and restore: the same weights and state give the same next iterations', async () => {
    const config = resolveAmericanConfig({ ...SMALL, targetRefresh: 2 });
    const g = keep(await AmericanWebGpuEngine.create(config));
    await g.train(4);
    const s = g.snapshot();
    const first = (await g.train(3)).history.map((h) => h.loss);
    g.restore(s);
    expect(g.iteration).toBe(4);
    const again = (await g.train(3)).history.map((h) => h.loss);
    expect(again).toEqual(first);
  });

  test('evaluation gives the same report whichever engine trained the weights', async () => {
    const config = resolveAmericanConfig({ ...SMALL, paths: 2000 });
    const g = keep(await AmericanWebGpuEngine.create(config));
    await g.train(10);
    const w = keep(await AmericanWasmEngine.create(config));
    w.restore(g.snapshot());
    const [a, b] = await Promise.all([g.evaluate(), w.evaluate()]);
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
    expect(a.iteration).toBe(10);
  });

  test('dispose destroys every GPU buffer the engine created', async () => {
    const ctx = await privateGpu();
    const created: GPUBuffer[] = [];
    const destroyed = new Set<GPUBuffer>();
    const createBuffer = ctx.device.createBuffer.bind(ctx.device);
    ctx.device.createBuffer = (d: GPUBufferDescriptor) => {
      const b = createBuffer(d);
      created.push(b);
      const destroy = b.destroy.bind(b);
      b.destroy = () => {
        destroyed.add(b);
        destroy();
      };
      return b;
    };
    try {
      const e = await AmericanWebGpuEngine.create(resolveAmericanConfig(SMALL), { gpu: ctx });
      await e.train(5);
      await e.gradient();
      expect(created.length).toBeGreaterThanOrEqual(4);
      e.dispose();
      expect(created.filter((b) => !destroyed.has(b))).toEqual([]);
    } finally {
      ctx.device.destroy();
    }
  });
});

describe.skipIf(!gate.gpu)('choosing the backend and falling back', () => {
  test('"webgpu" trains on the WGSL engine, even on a software adapter; "auto" does not pick a software adapter', async () => {
    const forced = keep(await americanModel.createEngine(resolveAmericanConfig({ ...SMALL, backend: 'webgpu' })));
    expect(forced.backend).toBe('webgpu');
    expect(forced.detail).toMatch(/software adapter/);
    const auto = keep(await americanModel.createEngine(resolveAmericanConfig({ ...SMALL, backend: 'auto' })));
    expect(auto.backend).toBe('wasm');
    const wasm = keep(await americanModel.createEngine(resolveAmericanConfig({ ...SMALL, backend: 'webgpu' }), { wasm: true }));
    expect(wasm.backend).toBe('wasm');
  });

  test('a lost device mid-training: the Trainer continues on WASM from the last snapshot', async () => {
    const ctx = await privateGpu();
    const config = resolveAmericanConfig({ ...SMALL, backend: 'webgpu', targetRefresh: 2 });
    const engine = await AmericanWebGpuEngine.create(config, { gpu: ctx });
    const trainer = keep(new Trainer(engine, americanModel));
    await trainer.step(2 * SNAPSHOT_INTERVAL);
    expect(trainer.backend).toBe('webgpu');
    const running = trainer.step(SNAPSHOT_INTERVAL + 3);
    engine.loseDevice();
    await running;
    expect(trainer.backend).toBe('wasm');
    expect(trainer.notice).toMatch(/device was lost/);
    expect(trainer.iteration).toBe(3 * SNAPSHOT_INTERVAL + 3);
    expect(trainer.losses).toHaveLength(3 * SNAPSHOT_INTERVAL + 3);
  });
});
