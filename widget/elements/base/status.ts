// Status-line text every element shares: the engine, rates and durations, as plain text.
import { BACKEND_LABELS, type BackendName } from '../../runtime/training/engine.js';
import { formatRate } from '../../shared/format.js';
import type { CherBackendDetail } from './types.js';

export { formatRate };

const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatDuration(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return '–';
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(seconds >= 0.01 ? 1 : 2)} ms`;
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

/** "iteration 12,345". */
export function iterationText(iteration: number): string {
  return `iteration ${grouped.format(iteration)}`;
}

/** "WASM (SIMD, 3 threads)", "WebGPU (SwiftShader)", or that the engine is starting. */
export function engineText(e: CherBackendDetail | null): string {
  if (!e) return 'engine starting';
  const label = BACKEND_LABELS[e.backend as BackendName] ?? { name: e.backend, threads: false };
  const threads = label.threads ? `, ${e.workers} thread${e.workers === 1 ? '' : 's'}` : '';
  return `${label.name} (${e.detail}${threads})`;
}
