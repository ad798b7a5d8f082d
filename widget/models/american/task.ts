// The American pricing run as a task the page's worker steps in turns (its WorkerTask shape): the lattice
// when created (it answers at once), then LSM one chunk per step, suspended between chunks through
// priceAmerican's `pause`, so the page's other sessions keep their turns; then the value network trains,
// step(n) running n iterations, up to the worker's `until` (the element's `iterations`) or
// DEFAULT_NETWORK_ITERATIONS, and is evaluated (its price and its stopping rule's lower bound) at the end.
import { now } from '../../runtime/platform.js';
import { DEFAULT_NETWORK_ITERATIONS, resolveAmericanConfig, type AmericanConfig } from './config.js';
import { createAmericanTrainer, type AmericanTrainer } from './network/model.js';
import { priceAmerican, type AmericanProgress } from './price.js';
import { LSM_PHASES, type AmericanTaskProgress, type AmericanTaskReport } from './task-progress.js';
import { preferredAmericanBuild, type AmericanBuild } from './wasm.js';

class Abandoned extends Error {}

export class AmericanPricingTask {
  readonly backend = 'wasm' as const;
  readonly workers = 1;
  readonly detail: AmericanBuild;
  readonly reference: Record<string, number>;
  /** What the task did, once it has nothing left to do; null before. */
  finished: string | null = null;
  /** The value network's training iterations before it is evaluated and the task finishes. */
  target: number;

  private trainer: AmericanTrainer | null = null;
  private disposed = false;

  private lsmProgress: AmericanProgress | null = null;
  private started = false;
  private lsmStart = 0;
  private failure: unknown = null;
  /** Ends the current step (the pricing reached a pause, finished or failed). */
  private endTurn: (() => void) | null = null;
  /** Resumes or abandons the pricing suspended at a pause. */
  private resume: (() => void) | null = null;
  private abandon: ((e: Error) => void) | null = null;

  private constructor(readonly config: AmericanConfig, readonly report: AmericanTaskReport, build: AmericanBuild, iterations?: number) {
    this.target = iterations ?? DEFAULT_NETWORK_ITERATIONS;
    this.detail = build;
    this.reference = { european: report.european, lattice: report.methods.lattice?.price ?? NaN };
  }

  /**
   * Checks the configuration (a ConfigError names every bad key) and prices the lattice; the network trains
   * `iterations` iterations (default DEFAULT_NETWORK_ITERATIONS; the worker sets its `until` with setUntil).
   */
  static async create(input: Partial<AmericanConfig> | Record<string, unknown>, options: { iterations?: number } = {}): Promise<AmericanPricingTask> {
    const config = resolveAmericanConfig(input);
    const build = preferredAmericanBuild();
    const report = await priceAmerican(config, { methods: ['lattice'], build });
    return new AmericanPricingTask(config, report, build, options.iterations);
  }

  /** The network's training iterations so far (0 before it trains; lattice and LSM are not iterations). */
  get iteration(): number {
    return this.trainer?.iteration ?? 0;
  }
  get losses(): readonly number[] {
    return this.trainer?.losses ?? [];
  }

  /** The worker's iteration limit (the element's `iterations`); none: DEFAULT_NETWORK_ITERATIONS. */
  setUntil(until: number | null): void {
    this.target = until ?? DEFAULT_NETWORK_ITERATIONS;
  }

  /**
   * The first step only hands over the lattice; each later one runs LSM up to its next pause, then creates
   * the network's trainer, then trains it `iterations` iterations a step, and evaluates it at the target.
   */
  async step(iterations = 1): Promise<AmericanTaskProgress> {
    if (this.finished) return this.progress();
    if (!this.started) {
      this.started = true;
      return this.progress();
    }
    if (this.report.methods.lsm) {
      await this.train(iterations);
      return this.progress();
    }
    const turn = new Promise<void>((resolve) => (this.endTurn = resolve));
    if (this.resume) {
      const go = this.resume;
      this.resume = this.abandon = null;
      go();
    } else {
      this.lsmStart = now();
      void priceAmerican(this.config, {
        methods: ['lsm'], build: this.detail,
        onProgress: (p) => (this.lsmProgress = p),
        pause: () => new Promise<void>((resolve, reject) => {
          this.resume = resolve;
          this.abandon = reject;
          this.endTurn?.();
        }),
      }).then(
        (r) => {
          this.report.methods.lsm = r.methods.lsm;
          this.endTurn?.();
        },
        (e) => {
          if (e instanceof Abandoned) return;
          this.failure = e;
          this.endTurn?.();
        },
      );
    }
    await turn;
    this.endTurn = null;
    if (this.failure) {
      const e = this.failure;
      this.failure = null;
      this.finished = 'stopped by an error';
      throw e;
    }
    return this.progress();
  }

  /** One network turn: the trainer's creation, or up to `iterations` iterations; the evaluation at the target. */
  private async train(iterations: number): Promise<void> {
    if (!this.trainer) {
      const trainer = await createAmericanTrainer(this.config);
      if (this.disposed) return trainer.dispose();
      this.trainer = trainer;
      return;
    }
    const n = Math.min(iterations, this.target - this.iteration);
    if (n > 0) await this.trainer.step(n);
    if (this.iteration >= this.target) {
      await this.evaluateNetwork();
      this.finished = 'lattice, LSM and the value network priced';
    }
  }

  /** The network's price and its stopping rule's lower bound, into the report (once per iteration count). */
  private async evaluateNetwork(): Promise<void> {
    const t = this.trainer;
    if (!t || !t.iteration || this.report.methods.network?.iteration === t.iteration) return;
    const r = await t.evaluate();
    const p = t.progress();
    this.report.methods.network = { ...r, seconds: p.seconds + r.seconds, loss: p.loss };
  }

  progress(): AmericanTaskProgress {
    const lattice = this.reference.lattice;
    const p = this.lsmProgress;
    const lsmDone = !!this.report.methods.lsm;
    const net = this.trainer?.progress();
    return {
      iteration: this.iteration, loss: net?.loss ?? NaN, price: lattice, european: this.reference.european, lattice,
      network: net?.price ?? NaN,
      lsmFraction: lsmDone ? 1 : (p?.fraction ?? 0),
      lsmPhase: lsmDone ? LSM_PHASES.length - 1 : Math.max(0, LSM_PHASES.indexOf(p?.phase as never)),
      seconds: this.report.methods.lsm?.seconds ?? (this.lsmStart ? (now() - this.lsmStart) / 1000 : 0),
      pathStepsPerSecond: net?.pathStepsPerSecond ?? 0, secondsPerIteration: net?.secondsPerIteration ?? 0,
    };
  }

  /**
   * The report so far: the lattice, LSM once it has finished, and the network once trained to its target
   * (or to fewer iterations, when the worker stops it at its `until`).
   */
  async evaluate(): Promise<AmericanTaskReport> {
    if (this.iteration >= this.target) await this.evaluateNetwork();
    return this.report;
  }

  /** Abandons a run suspended at a pause, so its WASM memory is released, and the network's engine. */
  dispose(): void {
    this.disposed = true;
    this.abandon?.(new Abandoned('the pricing run was abandoned'));
    this.resume = this.abandon = null;
    this.endTurn = null;
    this.trainer?.dispose();
    this.trainer = null;
  }
}

export function createAmericanTask(config: unknown, iterations?: number): Promise<AmericanPricingTask> {
  return AmericanPricingTask.create(config as Record<string, unknown>, { iterations });
}
