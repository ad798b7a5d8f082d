// The neural dual's WASM engine against the independent f64 reference (tests/reference/neural-dual-f64.ts):
// the loss and the gradient of one iteration, at the seeded weights and after some training; and the
// reference against central finite differences of its own loss.
import { describe, expect, test } from 'vitest';
import { NeuralWasmEngine } from '../../widget/models/bounds/neural/wasm-engine.js';
import { neuralDualF64 } from '../reference/neural-dual-f64.js';
import { GRADIENT_CASES, smallDual } from './neural-cases.js';
import { relativeL2 } from '../reference/compare.js';

describe('the neural dual on WASM against the f64 reference', () => {
  test.each(GRADIENT_CASES.flatMap((c) => [{ ...c, side: 1 as const }, { ...c, side: -1 as const }]))(
    '$name, side $side: loss and gradient within 1e-4 relative, at the seeded weights and after 30 iterations',
    async ({ name, input, side }) => {
      const { config, problem } = smallDual(input, side);
      const engine = await NeuralWasmEngine.create(config);
      try {
        for (const at of [0, 30]) {
          if (at > 0) await engine.train(at);
          const a = await engine.gradient(at);
          const ref = neuralDualF64(problem(at), engine.parameters());
          const err = relativeL2(a.grad, ref.grad);
          console.log(`${name} side ${side} iteration ${at}: loss ${a.loss} / f64 ${ref.loss}, gradient relative L2 ${err.toExponential(2)}`);
          // A sub-replication starts exact (u = h = 0 super-replicates -f <= 0): loss 0 on both.
          expect(Math.abs(a.loss - ref.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(ref.loss));
          expect(err).toBeLessThan(1e-4);
        }
      } finally {
        engine.dispose();
      }
    },
    60_000,
  );

  test('the reference gradient against central finite differences of its loss', async () => {
    const { config, problem } = smallDual(GRADIENT_CASES[1].input, 1);
    const engine = await NeuralWasmEngine.create(config);
    await engine.train(30);
    const params = Float64Array.from(engine.parameters());
    engine.dispose();
    const q = { ...problem(30), paths: 64 };
    const { grad } = neuralDualF64(q, params);
    const h = 1e-6;
    // Parameters of both networks (hidden 8: U has 105, H 129): first-layer weights, hidden, output weights, biases.
    expect(params.length).toBe(234);
    const picks = [0, 1, 3, 16, 40, 95, 104, 105, 110, 150, 200, 225, 233];
    let checked = 0;
    for (const j of picks) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += h;
      minus[j] -= h;
      const fd = (neuralDualF64(q, plus).loss - neuralDualF64(q, minus).loss) / (2 * h);
      expect(Math.abs(fd - grad[j])).toBeLessThan(1e-6 + 1e-5 * Math.abs(grad[j]));
      if (grad[j] !== 0) checked++;
    }
    expect(checked).toBeGreaterThan(6);
  }, 60_000);
});
