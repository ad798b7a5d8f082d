// A shard is one WASM engine instance working on a slice of the batch: in this thread, or in a
// worker. Both run the same list of operations through `runOps`, so they cannot drift apart.
import { startThread, type ThreadPort } from '../platform.js';

export type Op =
  | { call: string; args?: number[] }
  | { write: number; data: Float32Array }
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
      new Float32Array(exports.memory.buffer, op.write, op.data.length).set(op.data);
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

// The worker's whole program: instantiate the module it is sent, then run operation lists.
function workerMain(run: typeof runOps): void {
  const g = globalThis as any;
  const nodePort =
    typeof g.WorkerGlobalScope === 'undefined' ? g.process?.getBuiltinModule?.('node:worker_threads')?.parentPort : null;
  const post = (m: unknown, t: Transferable[] = []) => (nodePort ? nodePort.postMessage(m, t) : g.postMessage(m, t));
  const listen = (f: (m: any) => void) =>
    nodePort ? nodePort.on('message', f) : g.addEventListener('message', (e: MessageEvent) => f(e.data));
  let exports: any = null;
  listen((msg) => {
    try {
      if (msg.module) {
        exports = new WebAssembly.Instance(msg.module, {}).exports;
        post({ id: msg.id, results: [] });
        return;
      }
      const results = run(exports, msg.ops);
      const transfer = results.filter((r) => typeof r !== 'number').map((r) => (r as Float32Array).buffer);
      post({ id: msg.id, results }, transfer);
    } catch (e) {
      post({ id: msg.id, error: String((e as Error)?.message ?? e) });
    }
  });
}

/** The worker's source, built from the functions above so worker and local shard share one runOps. */
export const WORKER_SOURCE = `(${workerMain.toString()})(${runOps.toString()});`;

export class WorkerShard implements Shard {
  private port: ThreadPort | null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: OpResult[]) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(port: ThreadPort) {
    this.port = port;
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

  static async start(module: WebAssembly.Module): Promise<WorkerShard> {
    const shard = new WorkerShard(startThread(WORKER_SOURCE));
    await shard.send({ module });
    return shard;
  }

  private send(message: Record<string, unknown>): Promise<OpResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.port) return Promise.reject(new Error('engine worker already disposed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port!.post({ id, ...message });
    });
  }

  run(ops: Op[]): Promise<OpResult[]> {
    return this.send({ ops });
  }

  dispose(): void {
    this.port?.terminate();
    this.port = null;
    for (const entry of this.pending.values()) entry.reject(new Error('engine worker disposed'));
    this.pending.clear();
  }
}
