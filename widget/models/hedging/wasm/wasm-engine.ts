// The hedging model's WASM passes: each batch split across shards (this thread plus the pool's threads),
// their P&L and gradients gathered, and the risk measure applied between forward and backward. The
// optimiser, snapshots and the training loop are the runtime's (WasmTrainingEngine).
import type { IterationResult } from '../../../runtime/training/engine.js';
import { openSlices, type OpResult } from '../../../runtime/wasm/shard.js';
import { WasmTrainingEngine, type GradientPasses } from '../../../runtime/wasm/wasm-training-engine.js';
import { Stream } from '../../../shared/philox.js';
import type { HedgerConfig } from '../config.js';
import type { EvaluationReport } from '../evaluation.js';
import { hedgingParameters, paramLayout, type ParamLayout } from '../network.js';
import { unitConfig } from '../units.js';
import { learnsPremium, riskLoss, riskParamsOf, riskPrice, riskUpstream, type RiskParams } from '../risk.js';
import { Evaluator } from '../evaluator.js';
import { engineModule, preferredBuild, type WasmBuild } from '../module.js';

export { engineModule, preferredBuild, type WasmBuild };
import { Slice } from './slice.js';

export interface WasmEngineOptions {
  /** Force a build (benchmarks compare them); by default SIMD where supported. */
  build?: WasmBuild;
  /** Initial parameters instead of the seeded ones (for parity tests and imports). */
  params?: Float32Array;
}

/** The hedging network's forward and backward passes over one batch, spread over the shards. */
class HedgingPasses implements GradientPasses<EvaluationReport> {
  readonly workers: number;
  readonly blocks: number;
  private readonly layout: ParamLayout;
  private readonly risk: RiskParams;
  private readonly learnsPremium: boolean;
  /** PnL - Z of every path of the last batch (f64, batch-wide). */
  readonly y: Float64Array;
  private readonly upstream: Float32Array;

  constructor(
    private readonly config: HedgerConfig,
    private readonly slices: Slice[],
    private readonly evaluator: Evaluator,
    readonly detail: WasmBuild,
  ) {
    this.workers = slices.length;
    this.layout = paramLayout(config.hidden);
    this.risk = riskParamsOf(config);
    this.learnsPremium = learnsPremium(config);
    this.blocks = config.bptt === 'per-depth' ? config.steps : 1;
    this.y = new Float64Array(config.batch);
    this.upstream = new Float32Array(config.batch);
  }

  async gradient(params: Float32Array, iteration: number, grad: Float64Array): Promise<IterationResult> {
    const P = this.layout.count;
    const gradLength = this.blocks * P;
    const p0 = params[this.layout.p0];
    const simulate = { call: 'simulate', args: [iteration, Stream.Training] };
    let grads: OpResult[];
    if (this.config.risk === 'mse') {
      // dLoss/dy is local for mse, so forward and backward run in one pass per shard.
      const results = await Promise.all(
        this.slices.map((s) =>
          s.shard.run([
            { write: s.ptr.params, data: params },
            simulate,
            { call: 'trainMse', args: [p0, 2 / this.config.batch] },
            { read: s.ptr.pnl, length: s.size },
            { read: s.ptr.grad, length: gradLength },
          ]),
        ),
      );
      this.gatherPnl(results);
      grads = results.map((r) => r[1]);
    } else {
      // Other measures need batch-wide statistics: forward everywhere, dLoss/dy here, then backward.
      const forward = await Promise.all(
        this.slices.map((s) =>
          s.shard.run([{ write: s.ptr.params, data: params }, simulate, { call: 'forwardAll' }, { read: s.ptr.pnl, length: s.size }]),
        ),
      );
      this.gatherPnl(forward);
      riskUpstream(this.risk, this.y, this.upstream, p0);
      const results = await Promise.all(
        this.slices.map((s) =>
          s.shard.run([
            { write: s.ptr.upstream, data: this.upstream.subarray(s.first, s.first + s.size) },
            { call: 'backwardAll' },
            { read: s.ptr.grad, length: gradLength },
          ]),
        ),
      );
      grads = results.map((r) => r[0]);
    }
    grad.fill(0);
    for (const g of grads as Float32Array[]) for (let i = 0; i < gradLength; i++) grad[i] += g[i];
    if (!this.learnsPremium) for (let d = 0; d < this.blocks; d++) grad[d * P + this.layout.p0] = 0;
    return { loss: riskLoss(this.risk, this.y, p0), price: riskPrice(this.risk, this.y) };
  }

  /** Reads each shard's PnL - Z (the first result of its operations) into the batch-wide array. */
  private gatherPnl(results: OpResult[][]): void {
    this.slices.forEach((s, w) => this.y.set(results[w][0] as Float32Array, s.first));
  }

  evaluate(params: Float32Array, iteration: number): Promise<EvaluationReport> {
    return this.evaluator.evaluate(params, iteration);
  }

  dispose(): void {
    for (const s of this.slices) s.shard.dispose();
    this.evaluator.dispose();
  }
}

/** The hedging model's WASM engine: its passes on the runtime's WASM training engine. */
export class WasmEngine extends WasmTrainingEngine<HedgerConfig, EvaluationReport> {
  private constructor(config: HedgerConfig, private readonly hedging: HedgingPasses, params?: Float32Array) {
    super(config, hedging, hedgingParameters(config, params));
  }

  /** The engine works on the unit scale (its `config` is unitConfig(config)); the model reports in currency. */
  static async create(input: HedgerConfig, options: WasmEngineOptions = {}): Promise<WasmEngine> {
    const config = unitConfig(input);
    const build = options.build ?? preferredBuild();
    const module = await engineModule(build);
    const { slices, shards } = await openSlices(module, config, (shard, first, size) => Slice.open(shard, config, first, size));
    try {
      const evaluator = await Evaluator.open(config, build);
      return new WasmEngine(config, new HedgingPasses(config, slices, evaluator, build), options.params);
    } catch (e) {
      for (const s of shards) s.dispose();
      throw e;
    }
  }

  /** Loss, gradient and each path's PnL - Z at the current weights on the paths of `iteration` (tests, parity). */
  override async gradient(iteration = this.iteration): Promise<{ loss: number; grad: Float64Array; y: Float64Array }> {
    const r = await super.gradient(iteration);
    return { ...r, y: this.hedging.y.slice() };
  }
}
