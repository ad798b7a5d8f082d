// The AssemblyScript engine's host: splits each batch across shards (this thread plus worker
// threads), gathers their gradients, applies the risk measure and takes the AdamW step(s).
import type { HedgerConfig } from '../config.js';
import { adamWStep, newAdamWState, type AdamWState } from '../../../runtime/training/adamw.js';
import type { EvaluationReport } from '../evaluation.js';
import { initialParams, paramLayout, type ParamLayout } from '../network.js';
import { Stream } from '../../../shared/philox.js';
import { learnsPremium, riskLoss, riskParamsOf, riskPrice, riskUpstream, type RiskParams } from '../risk.js';
import { hardwareThreads } from '../../../runtime/platform.js';
import { checkSnapshot, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult } from '../../../runtime/training/engine.js';
import { SCALAR_ENGINE_BASE64, SIMD_ENGINE_BASE64 } from './generated/engine-binaries.js';
import { Evaluator } from './evaluator.js';
import { LocalShard, threadPool, type OpResult, type Shard } from '../../../runtime/wasm/shard.js';
import { Slice } from './slice.js';

export type WasmBuild = 'simd' | 'scalar';

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const modules = new Map<WasmBuild, Promise<WebAssembly.Module>>();

let preferred: WasmBuild | undefined;

/** The SIMD build where the runtime validates it, else the scalar build (decided once per thread). */
export function preferredBuild(): WasmBuild {
  preferred ??= WebAssembly.validate(decodeBase64(SIMD_ENGINE_BASE64)) ? 'simd' : 'scalar';
  return preferred;
}

/** The compiled engine (compiled once per build and shared by every engine in this thread). */
export function engineModule(build: WasmBuild): Promise<WebAssembly.Module> {
  let m = modules.get(build);
  if (!m) {
    m = WebAssembly.compile(decodeBase64(build === 'simd' ? SIMD_ENGINE_BASE64 : SCALAR_ENGINE_BASE64));
    modules.set(build, m);
  }
  return m;
}

/**
 * Threads to train on: the configured count, or for "auto" the hardware threads, at most 4; never more
 * than this thread plus the shared pool's threads, so any number of engines stays within the pool.
 */
export function resolveWorkers(config: HedgerConfig): number {
  const wanted = config.workers === 'auto' ? Math.max(1, Math.min(4, hardwareThreads())) : config.workers;
  return Math.min(wanted, threadPool.limit + 1);
}

export interface WasmEngineOptions {
  /** Force a build (benchmarks compare them); by default SIMD where supported. */
  build?: WasmBuild;
  /** Initial parameters instead of the seeded ones (for parity tests and imports). */
  params?: Float32Array;
}

export class WasmEngine implements TrainingEngine {
  readonly backend = 'wasm' as const;
  readonly workers: number;
  readonly detail: string;
  readonly config: HedgerConfig;
  private readonly layout: ParamLayout;
  private readonly risk: RiskParams;
  private readonly slices: Slice[];
  private readonly evaluator: Evaluator;
  private readonly depthCount: number;
  private params: Float32Array;
  private adam: AdamWState;
  private readonly decays: Uint8Array;
  private readonly y: Float64Array;
  private readonly upstream: Float32Array;
  private readonly grad: Float64Array;
  private iterationCount = 0;

  private constructor(config: HedgerConfig, slices: Slice[], evaluator: Evaluator, build: WasmBuild, params?: Float32Array) {
    this.config = config;
    this.slices = slices;
    this.evaluator = evaluator;
    this.workers = slices.length;
    this.detail = build;
    this.layout = paramLayout(config.hidden);
    this.risk = riskParamsOf(config);
    this.depthCount = config.bptt === 'per-depth' ? config.steps : 1;
    this.params = params ? Float32Array.from(params) : initialParams(config.hidden, config.seed);
    if (this.params.length !== this.layout.count) {
      throw new Error(`initial parameters have ${this.params.length} values; hidden = ${config.hidden} needs ${this.layout.count}`);
    }
    if (!this.learnsPremium) this.params[this.layout.p0] = 0;
    this.adam = newAdamWState(this.layout.count);
    this.decays = new Uint8Array(this.layout.count).fill(1);
    this.decays[this.layout.p0] = 0;
    this.y = new Float64Array(config.batch);
    this.upstream = new Float32Array(config.batch);
    this.grad = new Float64Array(this.depthCount * this.layout.count);
  }

  static async create(config: HedgerConfig, options: WasmEngineOptions = {}): Promise<WasmEngine> {
    const build = options.build ?? preferredBuild();
    const module = await engineModule(build);
    const count = Math.max(1, Math.min(resolveWorkers(config), config.batch));
    const shards: Shard[] = [];
    try {
      // Pool threads first and the local shard last, so they start before this thread computes its slice.
      for (let w = 1; w < count; w++) shards.push(await threadPool.instantiate(module, w - 1));
      shards.push(new LocalShard(module));
      const slices: Slice[] = [];
      let first = 0;
      for (let w = 0; w < count; w++) {
        const size = Math.floor(config.batch / count) + (w < config.batch % count ? 1 : 0);
        slices.push(await Slice.open(shards[w], config, first, size));
        first += size;
      }
      const evaluator = await Evaluator.open(config, module);
      return new WasmEngine(config, slices, evaluator, build, options.params);
    } catch (e) {
      for (const s of shards) s.dispose();
      throw e;
    }
  }

  get iteration(): number {
    return this.iterationCount;
  }

  private get learnsPremium(): boolean {
    return learnsPremium(this.config);
  }

  async train(iterations: number): Promise<TrainResult> {
    const history: IterationResult[] = [];
    for (let i = 0; i < iterations; i++) {
      const r = await this.iterate();
      history.push(r);
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.price)) break;
    }
    return { ...history[history.length - 1], history };
  }

  /** One iteration: fresh paths, gradient over the whole batch, then one AdamW step (or one per depth). */
  private async iterate(): Promise<IterationResult> {
    const result = await this.computeGradient(this.iterationCount);
    const P = this.layout.count;
    for (let d = 0; d < this.depthCount; d++) {
      adamWStep(this.config, this.adam, this.params, this.grad.subarray(d * P, (d + 1) * P), this.decays);
    }
    this.iterationCount++;
    return result;
  }

  /** Loss, price and gradient (into this.grad, one block per depth) on the paths of `iteration`. */
  private async computeGradient(iteration: number): Promise<IterationResult> {
    const P = this.layout.count;
    const gradLength = this.depthCount * P;
    const p0 = this.params[this.layout.p0];
    const simulate = { call: 'simulate', args: [iteration, Stream.Training] };
    let grads: OpResult[];
    if (this.config.risk === 'mse') {
      // dLoss/dy is local for mse, so forward and backward run in one pass per shard.
      const results = await Promise.all(
        this.slices.map((s) =>
          s.shard.run([
            { write: s.ptr.params, data: this.params },
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
          s.shard.run([{ write: s.ptr.params, data: this.params }, simulate, { call: 'forwardAll' }, { read: s.ptr.pnl, length: s.size }]),
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
    this.grad.fill(0);
    for (const g of grads as Float32Array[]) for (let i = 0; i < gradLength; i++) this.grad[i] += g[i];
    if (!this.learnsPremium) for (let d = 0; d < this.depthCount; d++) this.grad[d * P + this.layout.p0] = 0;
    return { loss: riskLoss(this.risk, this.y, p0), price: riskPrice(this.risk, this.y) };
  }

  /** Reads each shard's PnL - Z (the first result of its operations) into the batch-wide array. */
  private gatherPnl(results: OpResult[][]): void {
    this.slices.forEach((s, w) => this.y.set(results[w][0] as Float32Array, s.first));
  }

  /**
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser
   * step: one Float64Array block of parameter gradients per depth. For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; grad: Float64Array; y: Float64Array }> {
    const { loss } = await this.computeGradient(iteration);
    return { loss, grad: this.grad.slice(), y: this.y.slice() };
  }

  /** The current parameters (a copy). */
  parameters(): Float32Array {
    return this.params.slice();
  }

  evaluate(): Promise<EvaluationReport> {
    return this.evaluator.evaluate(this.params, this.iterationCount);
  }

  snapshot(): TrainerSnapshot {
    return {
      params: this.params.slice(),
      m: this.adam.m.slice(),
      v: this.adam.v.slice(),
      optimizerStep: this.adam.step,
      iteration: this.iterationCount,
    };
  }

  restore(s: TrainerSnapshot): void {
    checkSnapshot(s, this.config);
    this.params = Float32Array.from(s.params);
    this.adam = { m: Float32Array.from(s.m), v: Float32Array.from(s.v), step: s.optimizerStep };
    this.iterationCount = s.iteration;
  }

  dispose(): void {
    for (const s of this.slices) s.shard.dispose();
    this.evaluator.dispose();
  }
}
