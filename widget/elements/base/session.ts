// One element's session on the page's training worker, as the element sees it: which configuration
// (generation) the worker's messages belong to, what the worker last reported for it, and whether the
// worker was last told to run. The element's state machine (session-element.ts) drives it.
import type { WeightsFile } from '../../runtime/training/trainer.js';
import type { Progress } from '../worker/protocol.js';
import { WorkerClient } from '../worker/client.js';
import type { FromWorker, ModelName } from '../worker/protocol.js';
import type { CherBackendDetail } from './types.js';

export class Session<Report> {
  /** Whether the worker was last told to run (it may still be finishing a chunk). */
  commanded = false;
  engine: CherBackendDetail | null = null;
  progress: Progress | null = null;
  report: Report | null = null;
  private client: WorkerClient | null = null;
  private generation = 0;

  get open(): boolean {
    return this.client !== null;
  }

  /** Joins the page's worker. `onMessage` gets only the current configuration's messages, after they are recorded here. */
  start(onMessage: (m: FromWorker) => void, onFailure: (text: string) => void): void {
    this.client = new WorkerClient((m) => {
      if ('generation' in m && m.generation !== this.generation) return;
      if (m.type === 'ready') this.engine = { backend: m.backend, detail: m.detail, workers: m.workers, shared: m.shared };
      else if (m.type === 'progress') this.progress = m.progress;
      else if (m.type === 'evaluation') this.report = m.report as Report;
      onMessage(m);
    }, onFailure);
  }

  /** A new trainer for `config`; messages about the previous one are ignored from now on. */
  configure(model: ModelName, config: object, run: boolean, until: number | null): void {
    this.generation++;
    this.client!.post({ type: 'configure', model, config, generation: this.generation, run, until });
    this.commanded = run;
    this.forget();
  }

  command(run: boolean, until: number | null): void {
    if (!this.client) return;
    this.commanded = run;
    this.client.post(run ? { type: 'run', until } : { type: 'pause' });
  }

  exportWeights(): Promise<WeightsFile> {
    return this.client!.request<WeightsFile>({ type: 'export' });
  }

  importWeights(weights: WeightsFile | string): Promise<number> {
    return this.client!.request<number>({ type: 'import', weights });
  }

  /** Leaves the worker (which releases the trainer, and ends with the page's last session). */
  close(): void {
    this.client?.dispose();
    this.client = null;
    this.commanded = false;
    this.engine = null;
    this.forget();
  }

  forget(): void {
    this.progress = null;
    this.report = null;
  }
}
