// The WebGPU engine as a TrainingEngine: training against the WASM engine over 200 iterations, the
// evaluation report, snapshots, the command stream's shape, buffer lifetimes, backend choice and the
// Trainer's fallback to WASM when the device is lost.
import { describe, expect, test } from 'vitest';
import { resolveConfig, type HedgerConfig } from '../widget/models/hedging/config.js';
import { WasmEngine } from '../widget/models/hedging/wasm/wasm-engine.js';
import { privateGpu } from '../widget/runtime/webgpu/device.js';
import { WebGpuEngine } from '../widget/models/hedging/webgpu/webgpu-engine.js';
import { SNAPSHOT_INTERVAL, Trainer } from '../widget/runtime/training/trainer.js';
import { createTrainer, hedgingModel } from '../widget/models/hedging/model.js';
import { disposeAfterAll, webgpuGate } from './webgpu/gate.js';

const gate = await webgpuGate();

const keep = disposeAfterAll();

const small = { hidden: 8, steps: 10, batch: 512, testPaths: 256, seed: 11, workers: 1 } as const;

/**
 * Loss curves over 200 iterations: the engines start from the same weights and see the same paths, and
 * differ only by f32 rounding (summation order, f32 transcendental functions, AdamW in f32 on the GPU
 * against f64 on the host). Stated tolerance: every iteration's loss within 1e-3 relative of the WASM
 * engine's, and the final weights within 1e-3 relative L2. Adam divides each gradient component by its
 * own running scale, so components that are nearly zero turn rounding noise into full-size steps; with
 * per-depth BPTT (5 optimiser steps an iteration, 1,000 in all) that drift reaches 2e-3 after about 150
 * iterations, so that case is held to 1e-2.
 */
const CURVE_TOLERANCE = 1e-3;

describe.skipIf(!gate.gpu)('training against the WASM engine', () => {
  test.each<[Partial<HedgerConfig>, number]>([
    [{ risk: 'mse' }, CURVE_TOLERANCE],
    [{ risk: 'cvar', cost: 0.005, cvarLevel: 0.9 }, CURVE_TOLERANCE],
    [{ risk: 'entropic', bptt: 'per-depth', steps: 5, lr: 0.002 }, 10 * CURVE_TOLERANCE],
  ])('200 iterations: loss curves within the stated tolerance, %o (%f)', async (c, tolerance) => {
    const config = resolveConfig({ ...small, batch: 256, ...c });
    const g = keep(await WebGpuEngine.create(config, { iterationsPerSubmit: 8 }));
    const w = keep(await WasmEngine.create(config));
    const gpuLosses: number[] = [];
    for (let i = 0; i < 200; i += 50) gpuLosses.push(...(await g.train(50)).history.map((h) => h.loss));
    const wasmLosses: number[] = [];
    for (let i = 0; i < 200; i++) wasmLosses.push((await w.train(1)).loss);
    expect(gpuLosses.length).toBe(200);
    let worst = 0;
    for (let i = 0; i < 200; i++) worst = Math.max(worst, Math.abs(gpuLosses[i] - wasmLosses[i]) / Math.abs(wasmLosses[i]));
    console.log(`loss curves ${JSON.stringify(c)}: worst relative difference ${worst.toExponential(2)} (tolerance ${tolerance})`);
    expect(worst).toBeLessThan(tolerance);
    const a = g.snapshot().params;
    const b = w.snapshot().params;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) ** 2;
      den += b[i] ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(tolerance);
    expect(g.snapshot().optimizerStep).toBe(w.snapshot().optimizerStep);
  });

  test('evaluation gives the same report whichever engine trained the weights', async () => {
    const config = resolveConfig({ ...small, cost: 0.002 });
    const g = keep(await WebGpuEngine.create(config));
    await g.train(20);
    const w = keep(await WasmEngine.create(config));
    w.restore(g.snapshot());
    const [a, b] = await Promise.all([g.evaluate(), w.evaluate()]);
    expect(a).toEqual(b);
    expect(a.iteration).toBe(20);
  });
});

describe.skipIf(!gate.gpu)('the engine', () => {
  test('several iterations per submission, 2 dispatches per iteration for mse and 4 otherwise', async () => {
    const mse = keep(await WebGpuEngine.create(resolveConfig(small), { iterationsPerSubmit: 8 }));
    await mse.train(24);
    expect(mse.counters).toEqual({ iterations: 24, dispatches: 48, submissions: 3 });
    const cvar = keep(await WebGpuEngine.create(resolveConfig({ ...small, risk: 'cvar' }), { iterationsPerSubmit: 5 }));
    const r = await cvar.train(12);
    expect(cvar.counters).toEqual({ iterations: 12, dispatches: 48, submissions: 3 });
    expect(r.history).toHaveLength(12);
    expect(r.loss).toBe(r.history[11].loss);
    expect(cvar.iteration).toBe(12);
  });

  test('snapshot and restore: the same weights and state give the same next iterations', async () => {
    const config = resolveConfig({ ...small, risk: 'mean-sd' });
    const g = keep(await WebGpuEngine.create(config));
    await g.train(5);
    const s = g.snapshot();
    const first = (await g.train(3)).history.map((h) => h.loss);
    g.restore(s);
    expect(g.iteration).toBe(5);
    const again = (await g.train(3)).history.map((h) => h.loss);
    expect(again).toEqual(first);
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
      const e = await WebGpuEngine.create(resolveConfig({ ...small, risk: 'entropic' }), { gpu: ctx });
      await e.train(10);
      await e.gradient();
      await e.pnl();
      expect(created.length).toBeGreaterThanOrEqual(6);
      e.dispose();
      expect(created.filter((b) => !destroyed.has(b))).toEqual([]);
    } finally {
      ctx.device.destroy();
    }
  });
});

describe.skipIf(!gate.gpu)('choosing the backend and falling back', () => {
  test('"webgpu" forces the WebGPU engine, even on a software adapter; "auto" does not pick a software adapter', async () => {
    const forced = keep(await hedgingModel.createEngine(resolveConfig({ ...small, backend: 'webgpu' })));
    expect(forced.backend).toBe('webgpu');
    expect(forced.detail).toMatch(/software adapter/);
    const auto = keep(await hedgingModel.createEngine(resolveConfig({ ...small, backend: 'auto' })));
    expect(auto.backend).toBe('wasm');
  });

  test('a lost device mid-training: the Trainer continues on WASM from the last snapshot and says so', async () => {
    const ctx = await privateGpu();
    const config = resolveConfig({ ...small, backend: 'webgpu' });
    const engine = await WebGpuEngine.create(config, { gpu: ctx });
    const trainer = keep(new Trainer(engine, hedgingModel));
    await trainer.step(2 * SNAPSHOT_INTERVAL);
    expect(trainer.backend).toBe('webgpu');
    expect(trainer.notice).toBeUndefined();
    const before = trainer.exportWeights();
    // Lose the device while the next chunk is in flight.
    const running = trainer.step(SNAPSHOT_INTERVAL + 3);
    engine.loseDevice();
    const p = await running;
    expect(trainer.backend).toBe('wasm');
    expect(trainer.notice).toMatch(/device was lost.*continues on the WASM engine from iteration 32/);
    expect(p.notice).toBe(trainer.notice);
    expect(trainer.iteration).toBe(2 * SNAPSHOT_INTERVAL + SNAPSHOT_INTERVAL + 3);
    expect(trainer.losses).toHaveLength(3 * SNAPSHOT_INTERVAL + 3);
    // The WASM engine resumed from the snapshot's weights and optimiser state: replaying the same
    // iterations on a fresh WASM engine from that snapshot gives the same weights.
    const replay = keep(await createTrainer({ ...small, backend: 'wasm' }));
    replay.importWeights(before);
    await replay.step(SNAPSHOT_INTERVAL + 3);
    expect(trainer.exportWeights().params).toEqual(replay.exportWeights().params);
  });
});
