// The trainer: one object that trains, reports, evaluates and saves any model's network, the same in
// Node, in a page and inside the page's worker. A model supplies its engines (runtime/training/model.ts).
import { resolveWith } from '../../shared/config-schema.js';
import { now } from '../platform.js';
import {
  DeviceLostError, type BackendName, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from './engine.js';
import type { TrainableConfig, TrainableModel } from './model.js';

/** Progress of any model: the latest loss and price, and throughput. */
export interface TrainingProgress {
  iteration: number;
  /** Training loss of the latest batch. */
  loss: number;
  /** Price the model reports, estimated on the latest batch (hedging: the risk measure's price). */
  price: number;
  /** Seconds spent training so far (evaluation excluded). */
  seconds: number;
  /** Training path-steps per second over the whole run (path-step: one path advanced one step, forward and backward). */
  pathStepsPerSecond: number;
  /** Mean wall-clock seconds per iteration over the whole run. */
  secondsPerIteration: number;
  /** Set when something changed under the run, e.g. the GPU device was lost and training moved to WASM. */
  notice?: string;
}

export interface RunOptions<P = TrainingProgress> {
  /** Stop after this many more iterations. */
  iterations?: number;
  /** Stop after this many more seconds of training. */
  seconds?: number;
  /** Called about every `progressInterval` milliseconds and at the end. */
  onProgress?: (p: P) => void;
  progressInterval?: number;
  /** Checked between chunks; returning true stops the run early. */
  shouldStop?: () => boolean;
}

/** Weights and optimiser state as JSON, for exportWeights and importWeights. */
export interface WeightsFile<Config = unknown> {
  format: 'cher-hedger/weights';
  version: 1;
  /** The model the weights belong to (absent in files of the first version: hedging). */
  model?: string;
  hidden: number;
  iteration: number;
  config: Config;
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

export class Trainer<
  Config extends TrainableConfig = any, Report = unknown, Reference extends Record<string, number> = Record<string, number>,
> {
  readonly config: Config;
  /** Values the price is compared with (hedging: `{ bsPrice }`). */
  readonly reference: Reference;
  private engine: TrainingEngine<Config, Report> | null;
  private trainingSeconds = 0;
  private trainedIterations = 0;
  private last = { loss: NaN, price: NaN };
  private readonly lossHistory: number[] = [];
  private lastSnapshot: TrainerSnapshot;
  private noticeText: string | undefined;

  /** `config` is the configuration as the user gave it; the engine's may be in other units (model.present). */
  constructor(
    engine: TrainingEngine<Config, Report>, readonly model: TrainableModel<Config, Report, Reference>, config: Config = engine.config,
  ) {
    this.engine = engine;
    this.config = config;
    this.lastSnapshot = engine.snapshot();
    this.reference = model.reference(this.config);
  }

  private get live(): TrainingEngine<Config, Report> {
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

  progress(): TrainingProgress & Reference {
    const s = this.trainingSeconds;
    return {
      iteration: this.iteration,
      loss: this.last.loss,
      price: this.last.price,
      ...this.reference,
      seconds: s,
      pathStepsPerSecond: s > 0 ? (this.model.pathStepsPerIteration(this.config) * this.trainedIterations) / s : 0,
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
    const wasm = await this.model.createEngine(this.config, { wasm: true });
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
    this.last = this.model.present ? this.model.present.iteration(this.config, r) : r;
    this.lossHistory.push(this.last.loss);
    this.trainedIterations++;
  }

  /**
   * Runs `iterations` iterations. If the loss stops being finite, the weights and optimiser state from
   * before this call come back and a TrainingDivergedError is thrown.
   */
  async step(iterations = 1): Promise<TrainingProgress & Reference> {
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
  async run(options: RunOptions<TrainingProgress & Reference> = {}): Promise<TrainingProgress & Reference> {
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

  async evaluate(): Promise<Report> {
    const report = await this.live.evaluate();
    return this.model.present ? this.model.present.evaluation(this.config, report) : report;
  }

  exportWeights(): WeightsFile<Config> {
    const s = this.live.snapshot();
    return {
      format: 'cher-hedger/weights',
      version: 1,
      model: this.model.name,
      hidden: (this.config as { hidden?: number }).hidden ?? 0,
      iteration: s.iteration,
      config: { ...this.config },
      params: Array.from(s.params),
      optimizer: { step: s.optimizerStep, m: Array.from(s.m), v: Array.from(s.v) },
    };
  }

  /** Loads weights exported by exportWeights (an object or its JSON text); the optimiser state too if present. */
  importWeights(input: WeightsFile<Config> | string): void {
    const engine = this.live;
    let file: unknown = input;
    if (typeof input === 'string') {
      try {
        file = JSON.parse(input);
      } catch (e) {
        throw new Error(`importWeights: not JSON (${(e as Error).message})`);
      }
    }
    const f = file as Partial<WeightsFile<Config>> | null;
    if (!f || typeof f !== 'object' || f.format !== 'cher-hedger/weights' || f.version !== 1) {
      throw new Error('importWeights: expected an object with format "cher-hedger/weights" and version 1, as exportWeights returns');
    }
    if ((f.model ?? 'hedging') !== this.model.name) {
      throw new Error(`importWeights: the weights are for the ${f.model ?? 'hedging'} model, this trainer trains ${this.model.name}`);
    }
    const count = this.model.parameterCount(this.config);
    const hidden = (this.config as { hidden?: number }).hidden;
    if (f.hidden !== hidden) {
      throw new Error(`importWeights: the weights have hidden = ${f.hidden}, this trainer has hidden = ${hidden}`);
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

/** Validates the configuration with the model's schema (a ConfigError names every bad key) and starts its engine. */
export async function trainerFor<Config extends TrainableConfig, Report, Reference extends Record<string, number>>(
  model: TrainableModel<Config, Report, Reference>, config: unknown,
): Promise<Trainer<Config, Report, Reference>> {
  const resolved = resolveWith(model.schema, config);
  return new Trainer(await model.createEngine(resolved), model, resolved);
}
