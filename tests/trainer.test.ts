import { afterEach, describe, expect, test } from 'vitest';
import { resolveConfig } from '../widget/models/hedging/config.js';
import { Trainer, TrainingDivergedError } from '../widget/runtime/training/trainer.js';
import { createTrainer, hedgingModel } from '../widget/models/hedging/model.js';
import type { TrainerSnapshot, TrainingEngine } from '../widget/runtime/training/engine.js';
import { unitConfig } from '../widget/models/hedging/units.js';

const small = { batch: 256, testPaths: 512, steps: 10, hidden: 8, workers: 1 } as const;
const open: Trainer[] = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});
async function trainer(extra: Record<string, unknown> = {}) {
  const t = await createTrainer({ ...small, ...extra });
  open.push(t);
  return t;
}

describe('headless trainer', () => {
  test('trains, reports progress and keeps the loss history', async () => {
    const t = await trainer();
    const p = await t.step(5);
    expect(p.iteration).toBe(5);
    expect(t.losses).toHaveLength(5);
    expect(p.pathStepsPerSecond).toBeGreaterThan(0);
    expect(p.bsPrice).toBeGreaterThan(0);
    expect(Number.isFinite(p.loss)).toBe(true);
  });

  test('run stops at the iteration budget and reports progress', async () => {
    const t = await trainer();
    const seen: number[] = [];
    const p = await t.run({ iterations: 7, onProgress: (q) => seen.push(q.iteration), progressInterval: 0 });
    expect(p.iteration).toBe(7);
    expect(seen.at(-1)).toBe(7);
    await expect(t.run({})).rejects.toThrow(/give iterations, seconds/);
    await expect(t.run({ iterations: -1 })).rejects.toThrow(/non-negative integer/);
    await expect(t.step(0)).rejects.toThrow(/positive integer/);
  });

  test('exported then imported weights give the same evaluation', async () => {
    const a = await trainer();
    await a.step(15);
    const json = JSON.stringify(a.exportWeights());
    const b = await trainer();
    const before = await b.evaluate();
    b.importWeights(json);
    const [ea, eb] = [await a.evaluate(), await b.evaluate()];
    expect(eb.network).toEqual(ea.network);
    expect(eb.samplePath.network).toEqual(ea.samplePath.network);
    expect(before.network).not.toEqual(ea.network);
    // The optimiser state comes along, so training continues identically.
    const [pa, pb] = [await a.step(2), await b.step(2)];
    expect(pb.loss).toBe(pa.loss);
  });

  test('bad weights are rejected with what is wrong', async () => {
    const t = await trainer();
    const good = t.exportWeights();
    expect(() => t.importWeights('{')).toThrow(/not JSON/);
    expect(() => t.importWeights({ ...good, format: 'x' } as never)).toThrow(/format "cher-hedger\/weights"/);
    expect(() => t.importWeights({ ...good, hidden: 16 })).toThrow(/hidden = 16, this trainer has hidden = 8/);
    expect(() => t.importWeights({ ...good, params: good.params.map((v, i) => (i === 3 ? NaN : v)) })).toThrow(/finite numbers/);
  });

  test('a diverging step restores the last good weights and says so', async () => {
    // A unit seam: an engine whose loss turns non-finite on its third iteration (engines work on the unit scale).
    const config = unitConfig(resolveConfig(small));
    let iteration = 0;
    let params = new Float32Array([1, 2, 3]);
    const restored: TrainerSnapshot[] = [];
    const engine: TrainingEngine = {
      backend: 'wasm', workers: 1, detail: 'fake', config,
      get iteration() { return iteration; },
      async train(n) {
        const history = [];
        for (let i = 0; i < n; i++) {
          iteration++;
          params = params.map((v) => v + 1);
          history.push(iteration >= 3 ? { loss: NaN, price: 0 } : { loss: 1 / iteration, price: 0.02 });
          if (iteration >= 3) break;
        }
        return { ...history[history.length - 1], history };
      },
      evaluate: () => Promise.reject(new Error('unused')),
      snapshot: () => ({ params: params.slice(), m: params.slice(), v: params.slice(), optimizerStep: iteration, iteration }),
      restore: (s) => { restored.push(s); params = s.params.slice(); iteration = s.iteration; },
      dispose() {},
    };
    const t = new Trainer(engine, hedgingModel);
    await t.step(1);
    await expect(t.step(5)).rejects.toBeInstanceOf(TrainingDivergedError);
    expect(restored).toHaveLength(1);
    expect(Array.from(params)).toEqual([2, 3, 4]);
    expect(t.iteration).toBe(1);
    expect(t.losses).toEqual([1, 0.5]);
  });

  test('a disposed trainer says so', async () => {
    const t = await createTrainer(small);
    t.dispose();
    expect(() => t.iteration).toThrow(/disposed/);
  });
});
