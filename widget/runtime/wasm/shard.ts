// A shard is one WASM engine instance working on a slice of the batch: in this thread, or on a thread
// of the shared pool. Both run the same list of operations through `runOps`, so they cannot drift apart.
import { hardwareThreads, startThread, type ThreadPort } from '../platform.js';

export type Op =
  | { call: string; args?: number[] }
  | { write: number; data: Float32Array | Float64Array }
  | { read: number; length: number };

export type OpResult = number | Float32Array;

/** Runs operations against an instance's exports; returns what reads and value-returning calls give, in order. */
export function runOps(exports: any, ops: Op[]): OpResult[] {
  const results: OpResult[] = [];
  for (const op of ops) {
    if ('call' in op) {
      const value = exports[op.call](...(op.args ?? []));
      if (value !== undefined) results.push(value);
    } else if ('write' in op) {
      const View = op.data instanceof Float64Array ? Float64Array : Float32Array;
      new View(exports.memory.buffer, op.write, op.data.length).set(op.data);
    } else {
      results.push(new Float32Array(exports.memory.buffer, op.read, op.length).slice());
    }
  }
  return results;
}

export interface Shard {
  run(ops: Op[]): Promise<OpResult[]>;
  dispose(): void;
}

export class LocalShard implements Shard {
  private exports: any;
  constructor(module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports;
  }
  run(ops: Op[]): Promise<OpResult[]> {
    try {
      return Promise.resolve(runOps(this.exports, ops));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  dispose(): void {
    this.exports = null;
  }
}

// A pool thread's whole program: it holds any number of instances (one per engine shard placed on it),
// each created from the module it is sent, and runs operation lists against the one a message names.
function workerMain(run: typeof runOps): void {
  const g = globalThis as any;
  const nodePort =
    typeof g.WorkerGlobalScope === 'undefined' ? g.process?.getBuiltinModule?.('node:worker_threads')?.parentPort : null;
  const post = (m: unknown, t: Transferable[] = []) => (nodePort ? nodePort.postMessage(m, t) : g.postMessage(m, t));
  const listen = (f: (m: any) => void) =>
    nodePort ? nodePort.on('message', f) : g.addEventListener('message', (e: MessageEvent) => f(e.data));
  const instances = new Map<number, any>();
  listen((msg) => {
    try {
      if (msg.release !== undefined) {
        instances.delete(msg.release);
        return;
      }
      if (msg.module) {
        instances.set(msg.instance, new WebAssembly.Instance(msg.module, {}).exports);
        post({ id: msg.id, results: [] });
        return;
      }
      const results = run(instances.get(msg.instance), msg.ops);
      const transfer = results.filter((r) => typeof r !== 'number').map((r) => (r as Float32Array).buffer);
      post({ id: msg.id, results }, transfer);
    } catch (e) {
      post({ id: msg.id, error: String((e as Error)?.message ?? e) });
    }
  });
}

/** The pool thread's source, built from the functions above so pool threads and local shards share one runOps. */
export const WORKER_SOURCE = `(${workerMain.toString()})(${runOps.toString()});`;

/** One thread of the pool: its port, the replies it owes, and how many instances live on it. */
class PoolThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: OpResult[]) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;
  instances = 0;

  constructor(readonly port: ThreadPort) {
    port.onMessage((msg) => {
      const entry = this.pending.get(msg.id);
      if (!entry) return;
      this.pending.delete(msg.id);
      if (msg.error) entry.reject(new Error(`engine worker: ${msg.error}`));
      else entry.resolve(msg.results);
    });
    port.onError((error) => {
      this.failure = error;
      for (const entry of this.pending.values()) entry.reject(error);
      this.pending.clear();
    });
  }

  send(message: Record<string, unknown>): Promise<OpResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.post({ id, ...message });
    });
  }

  release(instance: number): void {
    this.port.post({ release: instance });
  }

  terminate(): void {
    this.port.terminate();
    for (const entry of this.pending.values()) entry.reject(new Error('engine worker disposed'));
    this.pending.clear();
  }
}

/**
 * The WASM threads every engine of this thread shares: at most `limit` of them, however many engines
 * run (an element page, or a Node script with several trainers). Engines place their shards on threads
 * 0, 1, ...; a thread ends when its last instance is released.
 */
export class ThreadPool {
  private readonly threads: (PoolThread | null)[] = [];
  private nextInstance = 1;

  constructor(private limitValue: number) {}

  /** Threads the pool may start. */
  get limit(): number {
    return this.limitValue;
  }

  /** Changes the bound; threads above it end once their instances are released. */
  setLimit(limit: number): void {
    this.limitValue = Math.max(0, Math.floor(limit));
  }

  /** Threads alive now. */
  get alive(): number {
    return this.threads.filter(Boolean).length;
  }

  /** An instance of `module` on pool thread `index` (started if needed). */
  async instantiate(module: WebAssembly.Module, index: number): Promise<Shard> {
    if (index >= this.limitValue) throw new RangeError(`thread ${index} is beyond the pool's ${this.limitValue}`);
    const thread = (this.threads[index] ??= new PoolThread(startThread(WORKER_SOURCE)));
    const instance = this.nextInstance++;
    thread.instances++;
    try {
      await thread.send({ instance, module });
    } catch (e) {
      this.release(index, thread, instance);
      throw e;
    }
    let live = true;
    return {
      run: (ops) => (live ? thread.send({ instance, ops }) : Promise.reject(new Error('engine worker already disposed'))),
      dispose: () => {
        if (!live) return;
        live = false;
        this.release(index, thread, instance);
      },
    };
  }

  private release(index: number, thread: PoolThread, instance: number): void {
    thread.release(instance);
    if (--thread.instances === 0 && this.threads[index] === thread) {
      thread.terminate();
      this.threads[index] = null;
    }
  }
}

/**
 * This thread's pool. Unbounded by default (each engine takes the threads its `workers` asks for, and
 * engines share them); the element's training worker bounds it by the hardware.
 */
export const threadPool = new ThreadPool(Infinity);

/**
 * Threads an engine trains on: its `workers` setting, or for "auto" the hardware threads, at most 4;
 * never more than this thread plus the pool's, so any number of engines stays within the pool.
 */
export function resolveWorkers(config: { workers: number | 'auto' }): number {
  const wanted = config.workers === 'auto' ? Math.max(1, Math.min(4, hardwareThreads())) : config.workers;
  return Math.min(wanted, threadPool.limit + 1);
}

/**
 * A model's batch split over shards: pool threads first and this thread last, so they start before this
 * thread computes its slice. `open` configures a shard for paths first .. first + size - 1; if any step
 * fails, every shard is released.
 */
export async function openSlices<S>(
  module: WebAssembly.Module, config: { workers: number | 'auto'; batch: number },
  open: (shard: Shard, first: number, size: number) => Promise<S>,
): Promise<{ slices: S[]; shards: Shard[] }> {
  const count = Math.max(1, Math.min(resolveWorkers(config), config.batch));
  const shards: Shard[] = [];
  try {
    for (let w = 1; w < count; w++) shards.push(await threadPool.instantiate(module, w - 1));
    shards.push(new LocalShard(module));
    const slices: S[] = [];
    let first = 0;
    for (let w = 0; w < count; w++) {
      const size = Math.floor(config.batch / count) + (w < config.batch % count ? 1 : 0);
      slices.push(await open(shards[w], first, size));
      first += size;
    }
    return { slices, shards };
  } catch (e) {
    for (const s of shards) s.dispose();
    throw e;
  }
}
