// What the engines need from their host, in Node and in browsers alike, without importing any
// Node module at the top level (the same bundle runs in pages and in Node).

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (name: string) => any;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

/** A Node built-in module, or undefined outside Node. */
export function nodeBuiltin<T = any>(name: string): T | undefined {
  return nodeProcess()?.getBuiltinModule?.(name) as T | undefined;
}

export function isNode(): boolean {
  return nodeProcess() !== undefined;
}

/** Hardware threads available to this process. */
export function hardwareThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n && n > 0 ? n : 1;
}

export function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** A message port over a dedicated thread: worker_threads in Node, a Web Worker in browsers. */
export interface ThreadPort {
  post(message: unknown, transfer?: Transferable[]): void;
  onMessage(listener: (data: any) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}

/** Starts a thread running `source` (a classic script that talks through `self` or `parentPort`). */
export function startThread(source: string): ThreadPort {
  const threads = nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
  if (threads) {
    const worker = new threads.Worker(source, { eval: true });
    return {
      post: (m, t) => worker.postMessage(m, t as any),
      onMessage: (f) => void worker.on('message', f),
      onError: (f) => void worker.on('error', f),
      terminate: () => void worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (m, t) => worker.postMessage(m, t ?? []),
    onMessage: (f) => worker.addEventListener('message', (e) => f(e.data)),
    onError: (f) => worker.addEventListener('error', (e) => f(new Error(e.message || 'worker error'))),
    terminate: () => worker.terminate(),
  };
}
