// The hedging model's evaluation on the fixed test set (stream 1, iteration 0), with a WASM instance of
// the model's module in this thread. Every engine evaluates here, so the report is the same whichever
// engine trained the weights.
import { LocalShard } from '../../runtime/wasm/shard.js';
import { Stream } from '../../shared/philox.js';
import type { HedgerConfig } from './config.js';
import { baselineOutcomes, buildReport, type Baselines, type EvaluationReport, type TestPaths } from './evaluation.js';
import { engineModule, preferredBuild, type WasmBuild } from './module.js';
import { paramLayout } from './network.js';
import { learnsPremium } from './risk.js';
import { Slice } from './wasm/slice.js';

export class Evaluator {
  private paths: TestPaths | null = null;
  private baselines: Baselines | null = null;

  private constructor(private readonly config: HedgerConfig, private readonly slice: Slice) {}

  static async open(config: HedgerConfig, build: WasmBuild = preferredBuild()): Promise<Evaluator> {
    const module = await engineModule(build);
    return new Evaluator(config, await Slice.open(new LocalShard(module), config, 0, config.testPaths));
  }

  /** The test paths, path-major, simulated once. */
  async testPaths(): Promise<TestPaths> {
    if (this.paths) return this.paths;
    const { config, slice } = this;
    const N = config.steps;
    const L = slice.ptr.lanes;
    const groups = Math.ceil(config.testPaths / L);
    const [raw] = (await slice.shard.run([
      { call: 'simulate', args: [0, Stream.Test] },
      { read: slice.ptr.spot, length: groups * (N + 1) * L },
    ])) as Float32Array[];
    const spot = new Float32Array(config.testPaths * (N + 1));
    for (let p = 0; p < config.testPaths; p++) {
      const g = Math.floor(p / L);
      const l = p % L;
      for (let k = 0; k <= N; k++) spot[p * (N + 1) + k] = raw[(g * (N + 1) + k) * L + l];
    }
    this.paths = { count: config.testPaths, steps: N, spot };
    return this.paths;
  }

  /** The report for `params` after `iteration` iterations (with the learned premium, where there is one). */
  async evaluate(params: Float32Array, iteration: number): Promise<EvaluationReport> {
    const premium = learnsPremium(this.config) ? params[paramLayout(this.config.hidden).p0] : null;
    const paths = await this.testPaths();
    this.baselines ??= baselineOutcomes(this.config, paths);
    const { slice } = this;
    const N = this.config.steps;
    const L = slice.ptr.lanes;
    const [pnl, cost, hedges] = (await slice.shard.run([
      { write: slice.ptr.params, data: params },
      { call: 'forwardAll' },
      { read: slice.ptr.pnl, length: paths.count },
      { read: slice.ptr.cost, length: paths.count },
      { read: slice.ptr.delta, length: N * L },
    ])) as Float32Array[];
    const firstPathHedges = Array.from({ length: N }, (_, k) => hedges[k * L]);
    const net = { y: Float64Array.from(pnl), cost: Float64Array.from(cost), firstPathHedges };
    return buildReport(this.config, paths, params, premium, net, this.baselines, iteration);
  }

  dispose(): void {
    this.slice.shard.dispose();
  }
}
