// The headless API: one object that trains, reports, evaluates and saves a hedging network, the same
// in Node, in a page and inside the element's worker.
import { resolveConfig, type HedgerConfig } from '../../models/hedging/config.js';
import { bsPrice } from '../../shared/black-scholes.js';
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import { paramLayout } from '../../models/hedging/network.js';
import { now } from '../platform.js';
import { createEngine } from '../../models/hedging/select.js';
import {
  DeviceLostError, type BackendName, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from './engine.js';

export interface Progress {
  iteration: number;
  /** Training loss of the latest batch. */
  loss: number;
  /** Price the risk measure reports, estimated on the latest batch. */
  price: number;
  /** Black-Scholes price of the same option. */
  bsPrice: number;
  /** Seconds spent training so far (evaluation excluded). */
  seconds: number;
  /** Training path-steps per second over the whole run (path-step: one path advanced one step, forward and backward). */
  pathStepsPerSecond: number;
  /** Mean wall-clock seconds per iteration over the whole run. */
  secondsPerIteration: number;
  /** Set when something changed under the run, e.g. the GPU device was lost and training moved to WASM. */
  notice?: string;
}

export interface RunOptions {
  /** Stop after this many more iterations. */
  iterations?: number;
  /** Stop after this many more seconds of training. */
  seconds?: number;
  /** Called about every `progressInterval` milliseconds and at the end. */
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
  /** Checked between chunks; returning true stops the run early. */
  shouldStop?: () => boolean;
}

/** Weights and optimiser state as JSON, for exportWeights and importWeights. */
export interface WeightsFile {
  format: 'cher-hedger/weights';
  version: 1;
  hidden: number;
  iteration: number;
  config: HedgerConfig;
  params: number[];
  optimizer?: { step: number; m: number[]; v: number[] };
}

export class TrainingDivergedError extends Error {
  constructor(readonly iteration: number) {
    super(`training diverged (non-finite loss) at iteration ${iteration}; the last good weights were restored`);
    this.name = 'TrainingDivergedError';
  }
}

/** Iterations between the snapshots the device-loss fallback resumes from. */
export const SNAPSHOT_INTERVAL = 16;

export class Trainer {
  readonly config: HedgerConfig;
  readonly bsPrice: number;
  private engine: TrainingEngine | null;
  private trainingSeconds = 0;
  private trainedIterations = 0;
  private last = { loss: NaN, price: NaN };
  private readonly lossHistory: number[] = [];
  private lastSnapshot: TrainerSnapshot;
  private noticeText: string | undefined;

  constructor(engine: TrainingEngine) {
    this.engine = engine;
    this.config = engine.config;
    this.lastSnapshot = engine.snapshot();
    this.bsPrice = bsPrice({
      spot: 1, strike: this.config.strike, tau: this.config.maturity,
      volatility: this.config.volatility, put: this.config.option === 'put',
    });
  }

  private get live(): TrainingEngine {
    if (!this.engine) throw new Error('this trainer has been disposed');
    return this.engine;
  }

  get backend(): BackendName {
    return this.live.backend;
  }
  get workers(): number {
    return this.live.workers;
  }
  /** Engine detail for status lines ("simd", "scalar", or the GPU adapter). */
  get detail(): string {
    return this.live.detail;
  }
  get iteration(): number {
    return this.live.iteration;
  }
  /** A message when training had to change course (GPU device lost, continued on WASM), else undefined. */
  get notice(): string | undefined {
    return this.noticeText;
  }
  /** Training loss of every iteration run by this trainer, in order. */
  get losses(): readonly number[] {
    return this.lossHistory;
  }

  progress(): Progress {
    const { batch, steps } = this.config;
    const s = this.trainingSeconds;
    return {
      iteration: this.iteration,
      loss: this.last.loss,
      price: this.last.price,
      bsPrice: this.bsPrice,
      seconds: s,
      pathStepsPerSecond: s > 0 ? (batch * steps * this.trainedIterations) / s : 0,
      secondsPerIteration: this.trainedIterations > 0 ? s / this.trainedIterations : 0,
      ...(this.noticeText ? { notice: this.noticeText } : {}),
    };
  }

  /**
   * The GPU device was lost: continue on the WASM engine from the last snapshot (at most
   * SNAPSHOT_INTERVAL iterations back), and say so in `notice`.
   */
  private async fallBackToWasm(cause: unknown): Promise<void> {
    const lost = this.live;
    const snap = this.lastSnapshot;
    const wasm = await createEngine(resolveConfig({ ...this.config, backend: 'wasm' }));
    wasm.restore(snap);
    this.engine = wasm;
    try {
      lost.dispose();
    } catch {
      // The lost engine's resources are gone with its device.
    }
    this.noticeText =
      `${(cause as Error).message}; training continues on the WASM engine from iteration ${snap.iteration}` +
      ` (the last snapshot; the iterations in flight, at most ${SNAPSHOT_INTERVAL}, are run again)`;
  }

  private record(r: IterationResult, good: TrainerSnapshot): void {
    const engine = this.live;
    if (!Number.isFinite(r.loss) || !Number.isFinite(r.price)) {
      engine.restore(good);
      this.lastSnapshot = good;
      throw new TrainingDivergedError(engine.iteration);
    }
    this.last = r;
    this.lossHistory.push(r.loss);
    this.trainedIterations++;
  }

  /**
   * Runs `iterations` iterations. If the loss stops being finite, the weights and optimiser state from
   * before this call come back and a TrainingDivergedError is thrown.
   */
  async step(iterations = 1): Promise<Progress> {
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new RangeError(`step(iterations): iterations must be a positive integer, got ${iterations}`);
    }
    const good: TrainerSnapshot = this.live.snapshot();
    const t0 = now();
    try {
      // Chunks of SNAPSHOT_INTERVAL iterations with a snapshot after each, so a lost device costs at most
      // one chunk; after a fallback the chunk runs again on the new engine.
      let done = 0;
      while (done < iterations) {
        const engine = this.live;
        const n = Math.min(SNAPSHOT_INTERVAL, iterations - done);
        let r: TrainResult;
        try {
          r = await engine.train(n);
        } catch (e) {
          if (!(e instanceof DeviceLostError)) throw e;
          await this.fallBackToWasm(e);
          continue;
        }
        for (const h of r.history) this.record(h, good);
        this.lastSnapshot = engine.snapshot();
        done += n;
      }
    } finally {
      this.trainingSeconds += (now() - t0) / 1000;
    }
    return this.progress();
  }

  /** Trains until `iterations` more iterations or `seconds` more seconds, whichever comes first. */
  async run(options: RunOptions = {}): Promise<Progress> {
    const { iterations, seconds, onProgress, shouldStop } = options;
    if (iterations === undefined && seconds === undefined) {
      throw new RangeError('run(): give iterations, seconds, or both');
    }
    if (iterations !== undefined && !(Number.isInteger(iterations) && iterations >= 0)) {
      throw new RangeError(`run(): iterations must be a non-negative integer, got ${iterations}`);
    }
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) {
      throw new RangeError(`run(): seconds must be a non-negative number, got ${seconds}`);
    }
    const interval = options.progressInterval ?? 250;
    const start = now();
    let lastReport = start;
    let done = 0;
    // Chunks of iterations sized to about 50 ms keep the timer and stop checks cheap but prompt.
    let chunk = 1;
    while ((iterations === undefined || done < iterations) && (seconds === undefined || now() - start < seconds * 1000)) {
      if (shouldStop?.()) break;
      const n = iterations === undefined ? chunk : Math.min(chunk, iterations - done);
      const t = now();
      await this.step(n);
      done += n;
      const spent = now() - t;
      chunk = Math.max(1, Math.min(1000, Math.round((n * 50) / Math.max(spent, 1))));
      if (onProgress && now() - lastReport >= interval) {
        lastReport = now();
        onProgress(this.progress());
      }
    }
    const p = this.progress();
    onProgress?.(p);
    return p;
  }

  evaluate(): Promise<EvaluationReport> {
    return this.live.evaluate();
  }

  exportWeights(): WeightsFile {
    const s = this.live.snapshot();
    return {
      format: 'cher-hedger/weights',
      version: 1,
      hidden: this.config.hidden,
      iteration: s.iteration,
      config: { ...this.config },
      params: Array.from(s.params),
      optimizer: { step: s.optimizerStep, m: Array.from(s.m), v: Array.from(s.v) },
    };
  }

  /** Loads weights exported by exportWeights (an object or its JSON text); the optimiser state too if present. */
  importWeights(input: WeightsFile | string): void {
    const engine = this.live;
    let file: unknown = input;
    if (typeof input === 'string') {
      try {
        file = JSON.parse(input);
      } catch (e) {
        throw new Error(`importWeights: not JSON (${(e as Error).message})`);
      }
    }
    const f = file as Partial<WeightsFile> | null;
    if (!f || typeof f !== 'object' || f.format !== 'cher-hedger/weights' || f.version !== 1) {
      throw new Error('importWeights: expected an object with format "cher-hedger/weights" and version 1, as exportWeights returns');
    }
    const count = paramLayout(this.config.hidden).count;
    if (f.hidden !== this.config.hidden) {
      throw new Error(`importWeights: the weights have hidden = ${f.hidden}, this trainer has hidden = ${this.config.hidden}`);
    }
    const finiteArray = (a: unknown): a is number[] =>
      Array.isArray(a) && a.length === count && a.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!finiteArray(f.params)) {
      throw new Error(`importWeights: params must be ${count} finite numbers`);
    }
    const opt = f.optimizer;
    const withOptimizer = !!opt && finiteArray(opt.m) && finiteArray(opt.v) && Number.isInteger(opt.step) && opt.step >= 0;
    const snapshot: TrainerSnapshot = {
      params: Float32Array.from(f.params),
      m: withOptimizer ? Float32Array.from(opt!.m) : new Float32Array(count),
      v: withOptimizer ? Float32Array.from(opt!.v) : new Float32Array(count),
      optimizerStep: withOptimizer ? opt!.step : 0,
      iteration: Number.isInteger(f.iteration) && f.iteration! >= 0 ? f.iteration! : 0,
    };
    engine.restore(snapshot);
    this.lastSnapshot = snapshot;
  }

  dispose(): void {
    this.engine?.dispose();
    this.engine = null;
  }
}

/** Validates the configuration (throwing a ConfigError naming every bad key) and starts an engine. */
export async function createTrainer(config: Partial<HedgerConfig> | Record<string, unknown> = {}): Promise<Trainer> {
  const resolved = resolveConfig(config);
  return new Trainer(await createEngine(resolved));
}
