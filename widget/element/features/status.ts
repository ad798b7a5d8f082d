// The status line and its screen-reader announcements, as plain text.
import type { SharedResources } from '../protocol.js';
import type { HedgerConfig } from '../../models/hedging/config.js';
import type { Progress } from '../../models/hedging/model.js';

const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function formatRate(pathStepsPerSecond: number): string {
  const r = pathStepsPerSecond;
  if (!(r > 0) || !Number.isFinite(r)) return '–';
  if (r >= 1e9) return `${(r / 1e9).toFixed(2)}G`;
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(0);
}

export function formatDuration(seconds: number): string {
  if (!(seconds > 0) || !Number.isFinite(seconds)) return '–';
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(seconds >= 0.01 ? 1 : 2)} ms`;
  return `${(seconds * 1e6).toFixed(0)} µs`;
}

export function formatPrice(x: number): string {
  return Number.isFinite(x) ? x.toFixed(5) : '–';
}

export interface EngineInfo {
  backend: string;
  detail: string;
  workers: number;
  shared: SharedResources;
}

export function engineText(e: EngineInfo | null): string {
  if (!e) return 'engine starting';
  const name = e.backend === 'webgpu' ? 'WebGPU' : 'WASM';
  const threads = e.backend === 'wasm' ? `, ${e.workers} thread${e.workers === 1 ? '' : 's'}` : '';
  return `${name} (${e.detail}${threads})`;
}

/** Price reported by the risk measure beside Black-Scholes, e.g. "price 0.02291 vs BS 0.02287 (+0.2%)". */
export function priceText(price: number, bs: number): string {
  if (!Number.isFinite(price)) return `BS price ${formatPrice(bs)}`;
  const diff = bs > 0 ? ((price - bs) / bs) * 100 : NaN;
  const rel = Number.isFinite(diff) ? ` (${diff >= 0 ? '+' : ''}${diff.toFixed(1)}%)` : '';
  return `price ${formatPrice(price)} vs BS ${formatPrice(bs)}${rel}`;
}

export function statusParts(engine: EngineInfo | null, progress: Progress | null, testPrice: number | null, bs: number): string[] {
  const parts = [engineText(engine)];
  if (progress) {
    parts.push(`iteration ${grouped.format(progress.iteration)}`);
    parts.push(`${formatRate(progress.pathStepsPerSecond)} path-steps/s`);
    parts.push(`${formatDuration(progress.secondsPerIteration)}/iteration`);
  }
  parts.push(priceText(testPrice ?? NaN, bs));
  return parts;
}

/** A one-line description of the hedging problem, for the title. */
export function describeProblemSetup(c: HedgerConfig): string {
  const days = Math.round(c.maturity * 365);
  const term = days <= 400 ? `${days}-day` : `${c.maturity.toFixed(1)}-year`;
  const money = c.strike === 1 ? 'at-the-money' : `K=${c.strike}`;
  const risk = { mse: 'mean square', entropic: `entropic (a=${c.riskAversion})`, cvar: `CVaR ${Math.round(c.cvarLevel * 100)}%`, 'mean-sd': `mean-sd (c=${c.sdWeight})` }[c.risk];
  const cost = c.cost > 0 ? `${(c.cost * 100).toFixed(2).replace(/\.?0+$/, '')}% costs` : 'no costs';
  return `Short ${term} ${money} ${c.option}, σ ${Math.round(c.volatility * 100)}%, ${c.steps} steps, ${cost}, ${risk} risk`;
}
