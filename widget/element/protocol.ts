// Messages between the element (main thread) and its training worker. Plain data only, so the
// worker can live in another bundle and every message survives structured cloning.
import type { HedgerConfig } from '../config.js';
import type { EvaluationReport } from '../core/evaluation.js';
import type { Progress, WeightsFile } from '../trainer.js';

/** A downsampled series: x values (iterations) and y values, at most a few thousand points. */
export interface SeriesData {
  x: number[];
  y: number[];
}

export type ToWorker =
  /**
   * Start a new trainer for this configuration (disposing any previous one). With `run`, training starts
   * at once (the first charts come from the first iterations); otherwise the untrained network is evaluated.
   */
  | { type: 'configure'; config: HedgerConfig; generation: number; run: boolean; until: number | null }
  /** Train until paused or until the trainer reaches `until` iterations (null: no limit). */
  | { type: 'run'; until: number | null }
  | { type: 'pause' }
  | { type: 'export'; id: number }
  | { type: 'import'; id: number; weights: WeightsFile | string }
  | { type: 'dispose' };

export type RunState = 'idle' | 'training' | 'paused' | 'done' | 'diverged';

export type FromWorker =
  | {
      type: 'ready'; generation: number; backend: string; detail: string; workers: number; bsPrice: number;
    }
  | {
      type: 'progress'; generation: number; progress: Progress; loss: SeriesData; price: SeriesData;
    }
  | { type: 'evaluation'; generation: number; report: EvaluationReport; seconds: number }
  | { type: 'state'; generation: number; state: RunState; message?: string }
  | { type: 'error'; generation: number; message: string; fatal: boolean }
  | { type: 'reply'; id: number; result?: unknown; error?: string }
  | { type: 'disposed' };
