// The neural dual's WASM passes: each batch of paths (and the marginals' atoms of the exact term) split over
// the pool's shards, each returning its part of the penalised dual and its gradient. AdamW, snapshots and
// the loop are the runtime's (WasmTrainingEngine); the module is assembly/bounds-neural/.
import type { IterationResult } from '../../../runtime/training/engine.js';
import { compiledModule } from '../../../runtime/wasm/module.js';
import { openSlices, type Shard } from '../../../runtime/wasm/shard.js';
import { WasmTrainingEngine, type GradientPasses } from '../../../runtime/wasm/wasm-training-engine.js';
import { seedKey } from '../../../shared/philox.js';
import { NEURAL_DUAL_WASM_BASE64 } from '../generated/neural-binary.js';
import { dualLayout, dualParameters } from './network.js';
import { constsAt, type NeuralDualConfig } from './setup.js';

/** What an engine's evaluate() gives: the weights, which the host evaluates in f64 (./evaluate.ts). */
export interface NeuralWeights {
  params: Float32Array;
  iteration: number;
}

interface ShardSlice {
  shard: Shard;
  params: number;
  grad: number;
  consts: number;
}

/** The penalised dual's value (unit-free) as the price in currency: the side's bound it estimates. */
export function penalisedPrice(config: NeuralDualConfig, loss: number): number {
  return config.side * config.setup.payoffScale * loss;
}

class DualPasses implements GradientPasses<NeuralWeights> {
  readonly workers: number;
  readonly detail = 'scalar';
  readonly blocks = 1;
  private readonly count: number;

  constructor(private readonly config: NeuralDualConfig, private readonly slices: ShardSlice[]) {
    this.workers = slices.length;
    this.count = dualLayout(config.hidden).count;
  }

  async gradient(params: Float32Array, iteration: number, grad: Float64Array): Promise<IterationResult> {
    const results = await Promise.all(
      this.slices.map((s) => s.shard.run([
        { write: s.consts, data: constsAt(this.config, iteration) }, { write: s.params, data: params }, { call: 'ndTrain', args: [iteration] },
        { read: s.grad, length: this.count },
      ])),
    );
    grad.fill(0);
    let loss = 0;
    for (const [part, g] of results as [number, Float32Array][]) {
      loss += part;
      for (let i = 0; i < this.count; i++) grad[i] += g[i];
    }
    return { loss, price: penalisedPrice(this.config, loss) };
  }

  async evaluate(params: Float32Array, iteration: number): Promise<NeuralWeights> {
    return { params: params.slice(), iteration };
  }

  dispose(): void {
    for (const s of this.slices) s.shard.dispose();
  }
}

export interface NeuralWasmOptions {
  /** Initial parameters instead of the seeded ones (tests, parity). */
  params?: Float32Array;
}

export class NeuralWasmEngine extends WasmTrainingEngine<NeuralDualConfig, NeuralWeights> {
  private constructor(config: NeuralDualConfig, passes: DualPasses, params?: Float32Array) {
    super(config, passes, dualParameters(config, params));
  }

  static async create(config: NeuralDualConfig, options: NeuralWasmOptions = {}): Promise<NeuralWasmEngine> {
    const module = await compiledModule('bounds-neural', NEURAL_DUAL_WASM_BASE64);
    const s = config.setup;
    const [lo, hi] = seedKey(config.seed);
    const { slices } = await openSlices(module, config, async (shard, first, size): Promise<ShardSlice> => {
      // The atoms of the exact term in proportion to the slice's paths.
      const atomFrom = Math.floor((first * s.atomsTotal) / config.batch);
      const atomTo = Math.floor(((first + size) * s.atomsTotal) / config.batch);
      const r = (await shard.run([
        { call: 'ndConfigure', args: [s.dates, config.hidden, size, first, atomFrom, atomTo - atomFrom, s.atomsTotal, lo, hi, s.payoffKind] },
        { call: 'ndParamsPointer' }, { call: 'ndGradientPointer' }, { call: 'ndConstPointer' }, { call: 'ndDatePointer' }, { call: 'ndAtomPointer' },
      ])) as number[];
      if (r[0] !== 0) throw new Error(`the neural dual's WASM engine could not reserve memory (${s.atomsTotal} atoms, hidden = ${config.hidden})`);
      await shard.run([{ write: r[3], data: s.consts }, { write: r[4], data: s.dateTable }, { write: r[5], data: s.atomTable }]);
      return { shard, params: r[1], grad: r[2], consts: r[3] };
    });
    return new NeuralWasmEngine(config, new DualPasses(config, slices), options.params);
  }
}
