// Starts the element's dedicated training worker from the inlined source (a Blob URL, so the bundle
// makes no extra request; the page's CSP needs `worker-src blob:`) and talks to it.
import WORKER_SOURCE from 'virtual:cher-hedger-worker';
import type { FromWorker, ToWorker } from './protocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

let workerUrl: string | null = null;

/** One Blob URL for every element on the page (kept for the page's lifetime; it is a few dozen KB). */
function url(): string {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  return workerUrl;
}

export class WorkerClient {
  private worker: Worker | null;
  private nextId = 1;
  private replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(onMessage: (m: FromWorker) => void, onFailure: (message: string) => void) {
    this.worker = new Worker(url(), { name: 'cher-hedger' });
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'reply') {
        const r = this.replies.get(m.id);
        this.replies.delete(m.id);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve(m.result);
        return;
      }
      if (m.type === 'disposed') {
        this.terminate();
        return;
      }
      onMessage(m);
    });
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      onFailure(e.message || 'the training worker failed to start (is worker-src blob: allowed by the page?)');
    });
  }

  post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  /** Sends a message that expects a reply (export, import) and resolves with the worker's answer. */
  request<T>(message: DistributiveOmit<Extract<ToWorker, { id: number }>, 'id'>): Promise<T> {
    if (!this.worker) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ ...message, id });
    });
  }

  /** Asks the worker to release its engine (GPU buffers, engine threads), then ends it for sure. */
  dispose(): void {
    if (!this.worker) return;
    this.post({ type: 'dispose' });
    const worker = this.worker;
    setTimeout(() => worker.terminate(), 500);
    this.rejectAll();
    this.worker = null;
    this.pendingWorker = worker;
  }

  private pendingWorker: Worker | null = null;

  private terminate(): void {
    this.pendingWorker?.terminate();
    this.pendingWorker = null;
    this.worker?.terminate();
    this.worker = null;
    this.rejectAll();
  }

  private rejectAll(): void {
    for (const r of this.replies.values()) r.reject(new Error('the training worker was stopped'));
    this.replies.clear();
  }
}
