// The training worker: one per page, shared by every element of the bundle. Each element is a session
// with its own trainer; the sessions share this thread's GPU device and its pool of WASM threads, and
// take turns of about 40 ms each, so four elements train as fast in total as one. A session posts
// progress four times a second and an evaluation about every second and a half, whatever the training
// speed. Built to a classic script and inlined into dist/cher-hedger.js (see rollup.config.mjs).
import { createAmericanTask } from '../../models/american/task.js';
import { createTrainer } from '../../models/hedging/model.js';
import { BoundsTask } from './bounds-task.js';
import { TrainingDivergedError, type Trainer } from '../../runtime/training/trainer.js';
import { now } from '../../runtime/platform.js';
import { threadPool } from '../../runtime/wasm/shard.js';
import { gpuDevicesCreated } from '../../runtime/webgpu/device.js';
import type { FromWorker, ModelName, RunState, SessionMessage, SharedResources, ToWorker } from './protocol.js';
import { Downsampled } from './series.js';

const PROGRESS_MS = 250;
const EVALUATION_MS = 1500;
const CHUNK_MS = 40;

const scope = globalThis as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
};
const post = (message: FromWorker) => scope.postMessage(message);
const message = (e: unknown) => String((e as Error)?.message ?? e);

/**
 * What a session runs: a model's Trainer, or anything that steps the same way (an iterative solver, a
 * pricing run with a network that trains after it). The worker takes turns calling step().
 */
export type WorkerTask = Pick<
  Trainer, 'backend' | 'detail' | 'workers' | 'reference' | 'iteration' | 'losses' | 'progress' | 'step' | 'evaluate' | 'dispose'
> & Partial<Pick<Trainer, 'exportWeights' | 'importWeights'>> & {
  /** Set once a task that ends by itself (a pricing run) has nothing left to do: what it did, for the done message. */
  readonly finished?: string | null;
  /** Told the session's iteration limit, for a task that ends by itself after training (the American network). */
  setUntil?(until: number | null): void;
};

/** What the worker needs of each model: how to start its task and what its progress reports. */
interface WorkerModel {
  create(config: unknown): Promise<WorkerTask>;
  metrics(t: WorkerTask): Record<string, number>;
}

const MODELS: Record<ModelName, WorkerModel> = {
  hedging: {
    create: (config) => createTrainer(config as Record<string, unknown>),
    metrics: (t) => ({ price: t.progress().price }),
  },
  // The lattice when created, then LSM a chunk per turn, then the value network; done when it is evaluated.
  american: {
    create: createAmericanTask,
    metrics: (t): Record<string, number> => (t.iteration ? { network: t.progress().network } : {}),
  },
  bounds: {
    create: (config) => BoundsTask.create(config as Record<string, unknown>),
    metrics: (t) => {
      const { lower, upper, gap, marginal, martingale, primal } = t.progress() as Record<string, number>;
      return { lower, upper, gap, marginal, martingale, primal };
    },
  },
};

/** Why a session is done, or null while it has more to do. */
function doneMessage(t: WorkerTask, until: number | null): string | null {
  if (t.finished) return t.finished;
  return until !== null && t.iteration >= until ? `stopped after ${t.iteration} iterations` : null;
}

class Session {
  trainer: WorkerTask | null = null;
  model: WorkerModel | null = null;
  generation = 0;
  running = false;
  until: number | null = null;
  /** The chunk in progress, awaited before the trainer changes hands. */
  busy: Promise<void> | null = null;
  chunk = 1;
  lossesSeen = 0;
  lastProgress = -Infinity;
  lastEvaluation = -Infinity;
  evaluationCost = 0;
  readonly series = new Map<string, Downsampled>();

  constructor(readonly id: number) {}

  post(m: DistributiveOmit<FromWorker, 'session' | 'generation'>): void {
    post({ ...m, session: this.id, generation: this.generation } as FromWorker);
  }

  setState(state: RunState, text?: string): void {
    this.post({ type: 'state', state, message: text });
  }

  line(name: string): Downsampled {
    let d = this.series.get(name);
    if (!d) this.series.set(name, (d = new Downsampled(1000)));
    return d;
  }

  /** Every new iteration's loss, and the latest of each other metric, into the downsampled series. */
  record(): void {
    const t = this.trainer!;
    const all = t.losses;
    const first = t.iteration - (all.length - this.lossesSeen);
    const loss = this.line('loss');
    for (let i = this.lossesSeen; i < all.length; i++) loss.push(first + (i - this.lossesSeen) + 1, all[i]);
    this.lossesSeen = all.length;
    for (const [name, value] of Object.entries(this.model!.metrics(t))) this.line(name).push(t.iteration, value);
  }

  postProgress(): void {
    const t = this.trainer!;
    this.lastProgress = now();
    const progress = t.progress();
    const series: Record<string, { x: number[]; y: number[] }> = {};
    for (const [name, d] of this.series) series[name] = d.data();
    this.post({ type: 'progress', progress, metrics: { loss: progress.loss, ...this.model!.metrics(t) }, series });
  }

  async evaluate(): Promise<void> {
    const t = this.trainer!;
    const start = now();
    const report = await t.evaluate();
    this.evaluationCost = now() - start;
    this.lastEvaluation = now();
    if (t === this.trainer) this.post({ type: 'evaluation', report, seconds: this.evaluationCost / 1000 });
  }

  /** One turn: a chunk of about CHUNK_MS of training, then progress and evaluation when they are due. */
  async turn(): Promise<void> {
    const t = this.trainer!;
    const done = doneMessage(t, this.until);
    if (done) {
      this.running = false;
      this.postProgress();
      await this.evaluate();
      this.setState('done', done);
      return;
    }
    const n = this.until === null ? this.chunk : Math.min(this.chunk, this.until - t.iteration);
    const started = now();
    try {
      await t.step(n);
    } catch (e) {
      this.running = false;
      if (t !== this.trainer) return;
      this.lossesSeen = t.losses.length;
      if (e instanceof TrainingDivergedError) {
        this.postProgress();
        this.setState('diverged', e.message);
        await this.evaluate();
      } else {
        this.post({ type: 'error', message: message(e), fatal: false });
        this.setState('paused');
      }
      return;
    }
    const spent = now() - started;
    this.chunk = Math.max(1, Math.min(1000, Math.round((n * CHUNK_MS) / Math.max(spent, 1))));
    this.record();
    if (now() - this.lastProgress >= PROGRESS_MS) this.postProgress();
    // Evaluations take at most a seventh of the worker's time however many sessions train: each session's
    // interval grows with the number running, so four elements train as fast in total as one.
    const running = Math.max(1, [...sessions.values()].filter((x) => x.running).length);
    if (now() - this.lastEvaluation >= Math.max(EVALUATION_MS, 6 * this.evaluationCost) * running) await this.evaluate();
  }

  /** Stops training after the chunk in progress; says so when it was running. */
  async stop(announce: boolean): Promise<void> {
    const was = this.running;
    this.running = false;
    await this.busy;
    if (was && announce && this.trainer) {
      this.postProgress();
      this.setState('paused');
    }
  }

  release(): void {
    this.trainer?.dispose();
    this.trainer = null;
    this.series.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const sessions = new Map<number, Session>();

function shared(): SharedResources {
  return { threads: threadPool.alive + 1, threadLimit: threadPool.limit + 1, gpuDevices: gpuDevicesCreated() };
}

/** Lets queued messages (pause, export, close) in between turns without the 4 ms timer clamp. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

let looping = false;

/** Round-robin over the running sessions, a turn each, until none is running. */
async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    for (;;) {
      const active = [...sessions.values()].filter((s) => s.running && s.trainer);
      if (!active.length) return;
      for (const s of active) {
        if (!s.running || !s.trainer) continue;
        s.busy = s.turn().catch((e) => {
          s.running = false;
          s.post({ type: 'error', message: message(e), fatal: false });
        });
        await s.busy;
        s.busy = null;
        await yieldToEvents();
      }
    }
  } finally {
    looping = false;
  }
}

function startRunning(s: Session): void {
  if (!s.trainer || s.running) return;
  s.running = true;
  s.setState('training');
  void loop();
}

async function handle(s: Session, msg: SessionMessage): Promise<void> {
  switch (msg.type) {
    case 'configure': {
      await s.stop(false);
      s.release();
      s.generation = msg.generation;
      s.lossesSeen = 0;
      s.evaluationCost = 0;
      s.chunk = 1;
      s.model = MODELS[msg.model];
      try {
        if (!s.model) throw new Error(`unknown model "${msg.model}"; models: ${Object.keys(MODELS).join(', ')}`);
        s.trainer = await s.model.create(msg.config);
      } catch (e) {
        s.post({ type: 'error', message: message(e), fatal: true });
        return;
      }
      const t = s.trainer;
      s.post({
        type: 'ready', backend: t.backend, detail: t.detail, workers: t.workers, reference: t.reference, shared: shared(),
      });
      s.lastEvaluation = -Infinity;
      s.lastProgress = -Infinity;
      s.trainer.setUntil?.(msg.until);
      if (msg.run) {
        s.until = msg.until;
        startRunning(s);
        return;
      }
      s.postProgress();
      await s.evaluate();
      s.setState('idle');
      return;
    }
    case 'run':
      s.until = msg.until;
      s.trainer?.setUntil?.(msg.until);
      if (s.trainer && doneMessage(s.trainer, s.until)) {
        s.setState('done', doneMessage(s.trainer, s.until)!);
        return;
      }
      startRunning(s);
      return;
    case 'pause':
      await s.stop(true);
      return;
    case 'export':
      try {
        if (!s.trainer?.exportWeights) throw new Error(s.trainer ? 'this model has no weights to export' : 'no trainer yet');
        s.post({ type: 'reply', id: msg.id, result: s.trainer.exportWeights() });
      } catch (e) {
        s.post({ type: 'reply', id: msg.id, error: message(e) });
      }
      return;
    case 'import': {
      const wasRunning = s.running;
      await s.stop(false);
      try {
        if (!s.trainer?.importWeights) throw new Error(s.trainer ? 'this model has no weights to import' : 'no trainer yet');
        s.trainer.importWeights(msg.weights);
        s.lossesSeen = s.trainer.losses.length;
        s.post({ type: 'reply', id: msg.id, result: s.trainer.iteration });
        s.postProgress();
        await s.evaluate();
      } catch (e) {
        s.post({ type: 'reply', id: msg.id, error: message(e) });
      }
      if (wasRunning) startRunning(s);
      return;
    }
    case 'close':
      await s.stop(false);
      s.release();
      sessions.delete(s.id);
      post({ type: 'closed', session: s.id });
      return;
  }
}

// Messages are handled one at a time, in order; training runs beside them in turns and is stopped
// through `running`, so a pause is honoured between two turns.
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e) => {
  const msg = e.data;
  queue = queue.then(async () => {
    if (msg.type === 'limits') {
      threadPool.setLimit(msg.threads - 1);
      return;
    }
    let s = sessions.get(msg.session);
    if (!s) {
      if (msg.type === 'close') return void post({ type: 'closed', session: msg.session });
      sessions.set(msg.session, (s = new Session(msg.session)));
    }
    const session = s;
    await handle(session, msg).catch((err) => session.post({ type: 'error', message: message(err), fatal: false }));
  });
});
