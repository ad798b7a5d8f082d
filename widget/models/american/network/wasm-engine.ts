// The value network's WASM passes: each batch split across shards (this thread plus the pool's threads),
// each shard simulating its paths and returning its TD loss and gradient; the stopping rule valued on the
// independent paths, split the same way. AdamW, snapshots and the training loop are the runtime's.
import type { IterationResult } from '../../../runtime/training/engine.js';
import { openSlices, type Shard } from '../../../runtime/wasm/shard.js';
import { WasmTrainingEngine, type GradientPasses } from '../../../runtime/wasm/wasm-training-engine.js';
import { now } from '../../../runtime/platform.js';
import { seedKey } from '../../../shared/philox.js';
import type { AmericanConfig } from '../config.js';
import { americanModule, preferredAmericanBuild, type AmericanBuild } from '../wasm.js';
import {
  networkBoundary, networkDates, networkPrice, transitionsPerIteration, valueLayout, valueParameters, TargetWeights,
} from './network.js';
import { stoppingReport, type NetworkReport } from './report.js';

interface ShardSlice {
  shard: Shard;
  /** First training path (Philox path counter) and how many. */
  first: number;
  size: number;
  params: number;
  target: number;
  grad: number;
}

export interface AmericanWasmOptions {
  build?: AmericanBuild;
  /** Initial parameters instead of the seeded ones (tests, parity). */
  params?: Float32Array;
}

/** Squared TD error and its gradient over one batch of transitions, spread over the shards. */
class ValuePasses implements GradientPasses<NetworkReport> {
  readonly workers: number;
  readonly blocks = 1;
  readonly target: TargetWeights;
  private readonly count: number;

  constructor(private readonly config: AmericanConfig, private readonly slices: ShardSlice[], readonly detail: AmericanBuild) {
    this.workers = slices.length;
    this.count = valueLayout(config.hidden).count;
    this.target = new TargetWeights(this.count);
  }

  async gradient(params: Float32Array, iteration: number, grad: Float64Array): Promise<IterationResult> {
    this.target.update(params, iteration, this.config.targetRefresh);
    const transitions = transitionsPerIteration(this.config);
    const results = await Promise.all(
      this.slices.map((s) =>
        s.shard.run([
          { write: s.params, data: params },
          { write: s.target, data: this.target.weights },
          { call: 'vnTrain', args: [iteration, 2 / transitions] },
          { read: s.grad, length: this.count },
        ]),
      ),
    );
    grad.fill(0);
    let sum = 0;
    for (const [loss, g] of results as [number, Float32Array][]) {
      sum += loss;
      for (let i = 0; i < this.count; i++) grad[i] += g[i];
    }
    return { loss: sum / transitions, price: networkPrice(this.config, params) };
  }

  /** The stopping rule on the independent paths (stream 1): `paths` of them, split over the shards. */
  async evaluate(params: Float32Array, iteration: number): Promise<NetworkReport> {
    const t0 = now();
    const c = this.config;
    const total = c.paths;
    const n = this.slices.length;
    const results = await Promise.all(
      this.slices.map((s, w) => {
        const from = Math.floor((w * total) / n);
        const to = Math.floor(((w + 1) * total) / n);
        return s.shard.run([
          { write: s.params, data: params },
          { call: 'vnLoad' },
          { call: 'vnStopping', args: [from, to - from, total] },
          { call: 'vnStoppingSumSq' },
        ]);
      }),
    );
    let sum = 0;
    let sumSq = 0;
    for (const [s, q] of results as number[][]) {
      sum += s;
      sumSq += q;
    }
    return stoppingReport(c, params, iteration, sum, sumSq, (now() - t0) / 1000);
  }

  dispose(): void {
    for (const s of this.slices) s.shard.dispose();
  }
}

/** The American value network's WASM engine: its passes on the runtime's WASM training engine. */
export class AmericanWasmEngine extends WasmTrainingEngine<AmericanConfig, NetworkReport> {
  private constructor(config: AmericanConfig, private readonly value: ValuePasses, params?: Float32Array) {
    super(config, value, valueParameters(config, params));
  }

  static async create(config: AmericanConfig, options: AmericanWasmOptions = {}): Promise<AmericanWasmEngine> {
    const build = options.build ?? preferredAmericanBuild();
    const module = await americanModule(build);
    const [lo, hi] = seedKey(config.seed);
    const M = networkDates(config);
    const { slices } = await openSlices(module, config, async (shard, first, size): Promise<ShardSlice> => {
      const r = (await shard.run([
        {
          call: 'vnConfigure',
          args: [
            config.hidden, size, first, M, lo, hi, config.spot, config.strike, config.rate, config.dividend,
            config.volatility, config.maturity, config.option === 'put' ? 1 : 0,
          ],
        },
        { call: 'vnParamsPointer' }, { call: 'vnTargetPointer' }, { call: 'vnGradientPointer' },
      ])) as number[];
      if (r[0] !== 0) throw new Error(`the WASM engine could not reserve memory for the value network (hidden = ${config.hidden})`);
      return { shard, first, size, params: r[1], target: r[2], grad: r[3] };
    });
    return new AmericanWasmEngine(config, new ValuePasses(config, slices, build), options.params);
  }

  /** The TD target's weights in use (a copy; tests). */
  targetWeights(): Float32Array {
    return this.value.target.weights.slice();
  }

  /** The stopping rule's exercise boundary at the current weights. */
  boundary() {
    return networkBoundary(this.config, this.params);
  }
}
