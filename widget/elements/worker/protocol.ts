// Messages between the page's elements (main thread) and the one training worker they share. Every
// message names its session (one per element); plain data only, so every message survives structured
// cloning and the worker can live in another bundle.
import type { TrainingProgress, WeightsFile } from '../../runtime/training/trainer.js';

/** Any model's progress, with its reference values (hedging: bsPrice). */
export type Progress = TrainingProgress & Record<string, number>;

/** A downsampled series: x values (iterations) and y values, at most a few thousand points. */
export interface SeriesData {
  x: number[];
  y: number[];
}

/** The models the worker trains, by name. */
export type ModelName = 'hedging' | 'american' | 'bounds';

export type SessionMessage =
  /**
   * Start a new trainer of `model` for this configuration (disposing the session's previous one). With
   * `run`, training starts at once (the first charts come from the first iterations); otherwise the
   * untrained model is evaluated.
   */
  | { type: 'configure'; model: ModelName; config: unknown; generation: number; run: boolean; until: number | null }
  /** Train until paused or until the trainer reaches `until` iterations (null: no limit). */
  | { type: 'run'; until: number | null }
  | { type: 'pause' }
  | { type: 'export'; id: number }
  | { type: 'import'; id: number; weights: WeightsFile | string }
  /** End the session and release its engine (GPU buffers, its instances on the pool's threads). */
  | { type: 'close' };

export type ToWorker =
  | (SessionMessage & { session: number })
  /** The page's bound on WASM threads, shared by every session: sent once, before any session. */
  | { type: 'limits'; threads: number };

export type RunState = 'idle' | 'training' | 'paused' | 'done' | 'diverged';

/** What the sessions of the page share, as the worker sees it: for status lines and resource tests. */
export interface SharedResources {
  /** WASM threads running now: the worker's own plus the pool's. */
  threads: number;
  /** The most WASM threads the pool may start, plus the worker's own. */
  threadLimit: number;
  /** GPU devices the worker has created (one is shared by every session; a new one only after a loss). */
  gpuDevices: number;
}

export type FromWorker =
  | {
      type: 'ready'; session: number; generation: number; backend: string; detail: string; workers: number;
      /** The model's reference values, e.g. `bsPrice`. */
      reference: Record<string, number>;
      shared: SharedResources;
    }
  | {
      type: 'progress'; session: number; generation: number; progress: Progress;
      /** The latest value of each metric the model reports (e.g. loss, price). */
      metrics: Record<string, number>;
      /** Each metric's history, downsampled. */
      series: Record<string, SeriesData>;
    }
  | { type: 'evaluation'; session: number; generation: number; report: unknown; seconds: number }
  | { type: 'state'; session: number; generation: number; state: RunState; message?: string }
  | { type: 'error'; session: number; generation: number; message: string; fatal: boolean }
  | { type: 'reply'; session: number; id: number; result?: unknown; error?: string }
  | { type: 'closed'; session: number };

export type ProgressMessage = Extract<FromWorker, { type: 'progress' }>;
