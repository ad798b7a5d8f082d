// The American pricing run as a task the page's worker steps in turns (its WorkerTask shape): the lattice
// when created (it answers at once), then LSM one chunk per step, suspended between chunks through
// priceAmerican's `pause`, so the page's other sessions keep their turns. The network, once it exists,
// trains after LSM in the same task.
import { now } from '../../runtime/platform.js';
import { resolveAmericanConfig, type AmericanConfig } from './config.js';
import { priceAmerican, type AmericanProgress, type AmericanReport } from './price.js';
import { LSM_PHASES, type AmericanTaskProgress } from './task-progress.js';
import { preferredAmericanBuild, type AmericanBuild } from './wasm.js';

class Abandoned extends Error {}

export class AmericanPricingTask {
  readonly backend = 'wasm' as const;
  readonly workers = 1;
  readonly detail: AmericanBuild;
  readonly reference: Record<string, number>;
  /** Network training iterations (none yet: lattice and LSM are not iterations). */
  readonly iteration = 0;
  readonly losses: readonly number[] = [];
  /** What the task did, once it has nothing left to do; null before. */
  finished: string | null = null;

  private lsmProgress: AmericanProgress | null = null;
  private started = false;
  private lsmStart = 0;
  private failure: unknown = null;
  /** Ends the current step (the pricing reached a pause, finished or failed). */
  private endTurn: (() => void) | null = null;
  /** Resumes or abandons the pricing suspended at a pause. */
  private resume: (() => void) | null = null;
  private abandon: ((e: Error) => void) | null = null;

  private constructor(readonly config: AmericanConfig, readonly report: AmericanReport, build: AmericanBuild) {
    this.detail = build;
    this.reference = { european: report.european, lattice: report.methods.lattice?.price ?? NaN };
  }

  /** Checks the configuration (a ConfigError names every bad key) and prices the lattice. */
  static async create(input: Partial<AmericanConfig> | Record<string, unknown>): Promise<AmericanPricingTask> {
    const config = resolveAmericanConfig(input);
    const build = preferredAmericanBuild();
    const report = await priceAmerican(config, { methods: ['lattice'], build });
    return new AmericanPricingTask(config, report, build);
  }

  /** The first step only hands over the lattice; each later one runs LSM up to its next pause. */
  async step(): Promise<AmericanTaskProgress> {
    if (this.finished) return this.progress();
    if (!this.started) {
      this.started = true;
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
          this.finished = 'lattice and LSM priced';
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

  progress(): AmericanTaskProgress {
    const lattice = this.reference.lattice;
    const p = this.lsmProgress;
    const lsmDone = !!this.report.methods.lsm;
    return {
      iteration: this.iteration, loss: NaN, price: lattice, european: this.reference.european, lattice,
      lsmFraction: lsmDone ? 1 : (p?.fraction ?? 0),
      lsmPhase: lsmDone ? LSM_PHASES.length - 1 : Math.max(0, LSM_PHASES.indexOf(p?.phase as never)),
      seconds: this.report.methods.lsm?.seconds ?? (this.lsmStart ? (now() - this.lsmStart) / 1000 : 0),
      pathStepsPerSecond: 0, secondsPerIteration: 0,
    };
  }

  /** The report so far: the lattice, then LSM once it has finished (the network after it, once it exists). */
  async evaluate(): Promise<AmericanReport> {
    return this.report;
  }

  /** Abandons a run suspended at a pause, so its WASM memory is released. */
  dispose(): void {
    this.abandon?.(new Abandoned('the pricing run was abandoned'));
    this.resume = this.abandon = null;
    this.endTurn = null;
  }
}

export function createAmericanTask(config: unknown): Promise<AmericanPricingTask> {
  return AmericanPricingTask.create(config as Record<string, unknown>);
}
