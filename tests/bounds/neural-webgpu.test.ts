// The neural dual's WebGPU engine against its WASM engine (docs/numerics.md, "Neural dual"): one
// iteration's loss and gradient from the same weights, loss curves over 150 iterations, and the backend
// choice of priceBounds. Behind the WebGPU tests' capability gate (Dawn + SwiftShader in Node,
// tests/webgpu/gate.ts).
import { describe, expect, test } from 'vitest';
import { priceBounds } from '../../widget/models/bounds/index.js';
import { neuralDualModel } from '../../widget/models/bounds/neural/model.js';
import { NeuralWasmEngine } from '../../widget/models/bounds/neural/wasm-engine.js';
import { NeuralWebGpuEngine } from '../../widget/models/bounds/neural/webgpu/webgpu-engine.js';
import { relativeL2 } from '../reference/compare.js';
import { disposeAfterAll, webgpuGate } from '../webgpu/gate.js';
import { GRADIENT_CASES, smallDual } from './neural-cases.js';

const gate = await webgpuGate();

const keep = disposeAfterAll();

/**
 * Both engines draw the same paths (the same Philox words and f32 inverse-CDF tables) and run the same f32
 * arithmetic per path; they differ by summation order and AdamW (f32 on the GPU, f64 on the host).
 */
const GRADIENT_TOLERANCE = 1e-5;
const CURVE_TOLERANCE = 1e-5;

describe.skipIf(!gate.gpu)('the neural dual on WebGPU against WASM', () => {
  test.each(GRADIENT_CASES.map((c) => ({ ...c, side: 1 as const })).concat([{ ...GRADIENT_CASES[1], side: -1 as never }]))(
    '$name, side $side: loss and gradient within 1e-5 relative, at the seeded weights and after 20 WASM iterations',
    async ({ input, side }) => {
      const { config } = smallDual(input, side);
      const w = keep(await NeuralWasmEngine.create(config));
      const g = keep(await NeuralWebGpuEngine.create(config));
      for (const at of [0, 20]) {
        if (at > 0) {
          await w.train(at);
          g.restore(w.snapshot());
        }
        const a = await w.gradient(at);
        const b = await g.gradient(at);
        const err = relativeL2(b.grad, a.grad);
        console.log(`iteration ${at}: loss ${a.loss} (WASM) / ${b.loss} (WebGPU), gradient relative L2 ${err.toExponential(2)}`);
        expect(Math.abs(b.loss - a.loss)).toBeLessThanOrEqual(GRADIENT_TOLERANCE * Math.abs(a.loss));
        expect(err).toBeLessThan(GRADIENT_TOLERANCE);
      }
    },
    120_000,
  );

  test('150 iterations from the same weights: loss curves and final weights within 1e-5 relative', async () => {
    const { config } = smallDual(GRADIENT_CASES[1].input, 1);
    const w = keep(await NeuralWasmEngine.create(config));
    const g = keep(await NeuralWebGpuEngine.create(config));
    const t0 = performance.now();
    const a = await w.train(150);
    const t1 = performance.now();
    const b = await g.train(150);
    const t2 = performance.now();
    let worst = 0;
    a.history.forEach((r, i) => (worst = Math.max(worst, Math.abs(b.history[i].loss - r.loss) / Math.abs(r.loss))));
    const weights = relativeL2(g.parameters(), w.parameters());
    console.log(`neural dual loss curves over 150 iterations: worst relative difference ${worst.toExponential(2)}, final weights ${weights.toExponential(2)}; WASM ${((t1 - t0) / 150).toFixed(2)} ms/iteration, WebGPU (SwiftShader) ${((t2 - t1) / 150).toFixed(2)} ms/iteration`);
    expect(worst).toBeLessThan(CURVE_TOLERANCE);
    expect(weights).toBeLessThan(CURVE_TOLERANCE);
    // The price the GPU reports is the side's penalised value from its loss, as the WASM engine's.
    expect(Math.abs(b.price - a.price)).toBeLessThanOrEqual(CURVE_TOLERANCE * Math.abs(a.price));
  }, 120_000);

  test('backend: webgpu runs the WGSL engine, auto keeps a software adapter on WASM', async () => {
    const { config } = smallDual(GRADIENT_CASES[0].input, 1);
    const forced = keep(await neuralDualModel.createEngine({ ...config, backend: 'webgpu' }));
    expect(forced.backend).toBe('webgpu');
    const auto = keep(await neuralDualModel.createEngine({ ...config, backend: 'auto' }));
    expect(auto.backend).toBe('wasm');
    const r = await priceBounds({ neuralIterations: 50, batch: 256, hiddenUnits: 8, backend: 'webgpu', treeSteps: 40 }, { solver: 'neural' });
    expect(r.backend).toBe('webgpu');
    expect(r.neural!.proven).toBe(true);
    expect(r.training!.upper).toHaveLength(50);
  }, 120_000);
});
