// The page's one training worker, started from the inlined source (a Blob URL, so the bundle makes no
// extra request; the page's CSP needs `worker-src blob:`), and each element's session on it. The
// worker starts with the first session and ends with the last, so a page without elements holds no
// thread and no GPU device.
import WORKER_SOURCE from 'virtual:cher-hedger-worker';
import type { FromWorker, SessionMessage, ToWorker } from './protocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Listener = { onMessage: (m: FromWorker) => void; onFailure: (message: string) => void };

let workerUrl: string | null = null;

/** One Blob URL for the page's lifetime (it is a few dozen KB). */
function url(): string {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  return workerUrl;
}

/**
 * WASM threads the page's elements share: the hardware's threads less one (left to the page), however
 * many elements there are; at least one.
 */
export function pageThreadLimit(hardwareConcurrency: number | undefined): number {
  return Math.max(1, (hardwareConcurrency ?? 1) - 1);
}

class Hub {
  readonly worker: Worker;
  readonly sessions = new Map<number, Listener>();
  private closing = new Set<number>();

  /** `detach` makes later sessions start a new worker: after this one ends, or fails. */
  constructor(private readonly detach: () => void) {
    this.worker = new Worker(url(), { name: 'cher-hedger' });
    this.worker.postMessage({ type: 'limits', threads: pageThreadLimit(navigator.hardwareConcurrency) } satisfies ToWorker);
    this.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'closed') {
        this.closing.delete(m.session);
        this.endIfEmpty();
        return;
      }
      this.sessions.get(m.session)?.onMessage(m);
    });
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      const text = e.message || 'the training worker failed to start (is worker-src blob: allowed by the page?)';
      this.detach();
      for (const l of [...this.sessions.values()]) l.onFailure(text);
    });
  }

  close(session: number): void {
    if (!this.sessions.delete(session)) return;
    this.closing.add(session);
    this.worker.postMessage({ type: 'close', session } satisfies ToWorker);
    // The worker releases the engine first (GPU buffers, pool instances); if it cannot answer, end it anyway.
    setTimeout(() => {
      this.closing.delete(session);
      this.endIfEmpty();
    }, 500);
  }

  private endIfEmpty(): void {
    if (this.sessions.size || this.closing.size) return;
    this.worker.terminate();
    this.detach();
  }
}

let hub: Hub | null = null;
let nextSession = 1;

/** One element's session on the page's training worker. */
export class WorkerClient {
  private readonly session = nextSession++;
  private hub: Hub | null;
  private nextId = 1;
  private replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(onMessage: (m: FromWorker) => void, onFailure: (message: string) => void) {
    const h = (hub ??= new Hub(() => {
      if (hub === h) hub = null;
    }));
    this.hub = h;
    h.sessions.set(this.session, {
      onMessage: (m) => {
        if (m.type !== 'reply') return onMessage(m);
        const r = this.replies.get(m.id);
        this.replies.delete(m.id);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve(m.result);
      },
      onFailure,
    });
  }

  post(message: DistributiveOmit<SessionMessage, 'id'>): void {
    this.hub?.worker.postMessage({ ...message, session: this.session });
  }

  /** Sends a message that expects a reply (export, import) and resolves with the worker's answer. */
  request<T>(message: DistributiveOmit<Extract<SessionMessage, { id: number }>, 'id'>): Promise<T> {
    if (!this.hub) return Promise.reject(new Error('the training worker is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.hub!.worker.postMessage({ ...message, id, session: this.session });
    });
  }

  /** Ends this session: the worker releases its engine; the worker itself ends with the last session. */
  dispose(): void {
    if (!this.hub) return;
    this.hub.close(this.session);
    this.hub = null;
    for (const r of this.replies.values()) r.reject(new Error('the training worker was stopped'));
    this.replies.clear();
  }
}
