// The model-free bounds solve as a WorkerTask: priceBounds with the entropic solver on the backend its
// configuration selects (resolved before the first sweep, so the element can say which), a granted number of
// sweeps per turn. Its onProgress returns a promise that resolves with the next grant, so the solve parks
// between two sweeps: the page's other sessions keep their turns, and a pause stops it where it is.
import { ConfigError } from '../../shared/config-schema.js';
import { ENTROPIC_MAX_CELLS, entropicBackend } from '../../models/bounds/entropic.js';
import {
  modelPrice, pathCount, prepareBounds, priceBounds, type BoundsInput, type BoundsProgress, type BoundsReport, type Marginal,
  type Repair, type ReportConfig,
} from '../../models/bounds/solve.js';
import { buildProblem, layout } from '../../models/bounds/problem.js';
import type { BackendName } from '../../runtime/training/engine.js';
import { now } from '../../runtime/platform.js';
import type { Progress } from './protocol.js';

/** What <cher-bounds> gets as its evaluation: the solve so far, and the full report once it has finished. */
export interface BoundsEvaluation {
  /** Entropic sweeps run so far, both sides together. */
  sweeps: number;
  seconds: number;
  /** Bounds known so far (each stage of the annealing ends with a valid one); null before the first. */
  lower: number | null;
  upper: number | null;
  /** The price under the marginals' own model (binomial tree, Black-Scholes); null for quotes. */
  modelPrice: number | null;
  marginals: Marginal[];
  repairs: Repair[];
  config: ReportConfig;
  /** The solver's report (strategies, couplings for two dates), once the solve has finished. */
  result: BoundsReport | null;
}

/** Thrown into the parked solve when its session ends. */
class Released extends Error {}

export class BoundsTask {
  backend: BackendName = 'wasm';
  detail = 'f64';
  readonly workers = 1;
  readonly reference: Record<string, number>;
  /** One per sweep: the larger of the marginal and martingale violations. */
  readonly losses: number[] = [];
  iteration = 0;
  /** Set when the solve has ended by itself (the worker then reports done with this text). */
  finished: string | undefined;
  private readonly prepared: ReturnType<typeof prepareBounds>;
  private readonly cells: number;
  private last: BoundsProgress | null = null;
  /** The latest stage's duality gap and entropic plan's E[f] (known at stage ends). */
  private gap = NaN;
  private primal = NaN;
  private seconds = 0;
  private result: BoundsReport | null = null;
  private failure: unknown = null;
  private solve: Promise<void> | null = null;
  private granted = 0;
  /** The parked solve's wake-up, and the turn waiting for its sweeps. */
  private resume: ((released: boolean) => void) | null = null;
  private turnDone: (() => void) | null = null;
  private released = false;

  /** The task with its backend chosen: `auto` takes WebGPU where there is a (hardware) adapter. */
  static async create(input: BoundsInput): Promise<BoundsTask> {
    const task = new BoundsTask(input);
    Object.assign(task, await entropicBackend(task.prepared.config.backend, layout(task.prepared.marginals)));
    return task;
  }

  private constructor(private readonly input: BoundsInput) {
    this.prepared = prepareBounds(input);
    const { config, marginals, f } = this.prepared;
    this.cells = pathCount(marginals);
    // Too large a problem is refused by priceBounds itself, with the key to change; skip the price then.
    const price = this.cells <= ENTROPIC_MAX_CELLS ? modelPrice(config, marginals, Object.assign(buildProblem(marginals, f), { f })) : null;
    this.reference = price === null ? {} : { modelPrice: price };
  }

  private onProgress = (p: BoundsProgress): Promise<void> | void => {
    const e = p.entropic;
    if (!e) return;
    this.last = p;
    this.seconds = p.seconds;
    this.iteration++;
    this.losses.push(Math.max(e.marginalError, e.martingaleError));
    if (e.bound !== undefined && e.primal !== undefined) {
      this.gap = Math.abs(e.bound - e.primal);
      this.primal = e.primal;
    }
    if (--this.granted > 0) return;
    this.endTurn();
    return new Promise<void>((resolve, reject) => {
      this.resume = (released) => (released ? reject(new Released()) : resolve());
    });
  };

  private endTurn(): void {
    const done = this.turnDone;
    this.turnDone = null;
    done?.();
  }

  /** Runs `sweeps` more sweeps (fewer if the solve ends); throws what the solve threw. */
  async step(sweeps = 1): Promise<Progress> {
    if (this.failure) throw this.failure;
    if (this.finished) return this.progress();
    this.granted = sweeps;
    const turn = new Promise<void>((resolve) => (this.turnDone = resolve));
    if (!this.solve) {
      const started = now();
      this.solve = priceBounds({ ...this.input, backend: this.backend }, { solver: 'entropic', onProgress: this.onProgress }).then(
        (r) => {
          this.result = r;
          this.seconds = (now() - started) / 1000;
          this.finished = `converged in ${this.iteration.toLocaleString('en')} sweeps`;
          this.endTurn();
        },
        (e) => {
          if (e instanceof Released) return;
          this.failure = e instanceof ConfigError ? new Error(e.message) : e;
          this.endTurn();
        },
      );
    } else {
      const wake = this.resume;
      this.resume = null;
      wake?.(false);
    }
    await turn;
    if (this.failure) throw this.failure;
    return this.progress();
  }

  progress(): Progress {
    const e = this.last?.entropic;
    const known: Record<string, number> = {};
    if (this.result) Object.assign(known, { lower: this.result.lower, upper: this.result.upper, gap: this.result.gap });
    else {
      if (this.last?.lower !== undefined) known.lower = this.last.lower;
      if (this.last?.upper !== undefined) known.upper = this.last.upper;
      if (Number.isFinite(this.gap)) known.gap = this.gap;
    }
    if (e) Object.assign(known, { marginal: e.marginalError, martingale: e.martingaleError, epsilon: e.epsilon, stage: e.stage, side: e.side });
    if (Number.isFinite(this.primal)) known.primal = this.primal;
    const s = this.seconds;
    return {
      ...this.reference,
      ...known,
      iteration: this.iteration,
      loss: this.losses[this.losses.length - 1] ?? NaN,
      price: known.primal ?? NaN,
      seconds: s,
      pathStepsPerSecond: s > 0 ? (this.cells * this.iteration) / s : 0,
      secondsPerIteration: this.iteration > 0 ? s / this.iteration : 0,
    };
  }

  async evaluate(): Promise<BoundsEvaluation> {
    const { config, marginals, repairs } = this.prepared;
    const r = this.result;
    return {
      sweeps: this.iteration,
      seconds: this.seconds,
      lower: r?.lower ?? this.last?.lower ?? null,
      upper: r?.upper ?? this.last?.upper ?? null,
      modelPrice: this.reference.modelPrice ?? null,
      marginals, repairs, config, result: r,
    };
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    const wake = this.resume;
    this.resume = null;
    wake?.(true);
    this.endTurn();
  }
}
