// <cher-hedger>'s words: the title (the hedging problem in one line), the status line's progress and
// price, and the numbers its legends and labels quote.
import type { HedgerConfig } from '../../models/hedging/config.js';
import type { EvaluationReport } from '../../models/hedging/evaluation.js';
import type { TrainingProgress } from '../../runtime/training/trainer.js';
import { engineText, formatDuration, formatRate, iterationText } from '../base/status.js';
import type { CherBackendDetail } from '../base/types.js';

export function formatPrice(x: number): string {
  return Number.isFinite(x) ? x.toFixed(5) : '–';
}

/** 0.0123 as "+0.0123", -0.0123 with a minus sign, and what rounds to zero as "0.0000". */
export function signed(x: number): string {
  const digits = Math.abs(x).toFixed(4);
  return Number(digits) === 0 ? digits : (x < 0 ? '\u2212' : '+') + digits;
}

/** Price reported by the risk measure beside Black-Scholes, e.g. "price 0.02291 vs BS 0.02287 (+0.2%)". */
export function priceText(price: number, bs: number): string {
  if (!Number.isFinite(price)) return `BS price ${formatPrice(bs)}`;
  const diff = bs > 0 ? ((price - bs) / bs) * 100 : NaN;
  const rel = Number.isFinite(diff) ? ` (${diff >= 0 ? '+' : ''}${diff.toFixed(1)}%)` : '';
  return `price ${formatPrice(price)} vs BS ${formatPrice(bs)}${rel}`;
}

export function statusParts(engine: CherBackendDetail | null, progress: TrainingProgress | null, testPrice: number | null, bs: number): string[] {
  const parts = [engineText(engine)];
  if (progress) {
    parts.push(iterationText(progress.iteration));
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
  const money = c.strike === c.spot ? 'at-the-money' : `K=${c.strike} (spot ${c.spot})`;
  const risk = { mse: 'mean square', entropic: `entropic (a=${c.riskAversion})`, cvar: `CVaR ${Math.round(c.cvarLevel * 100)}%`, 'mean-sd': `mean-sd (c=${c.sdWeight})` }[c.risk];
  const cost = c.cost > 0 ? `${(c.cost * 100).toFixed(2).replace(/\.?0+$/, '')}% costs` : 'no costs';
  const input = c.features === 'spot' ? ', raw spot input' : '';
  return `Short ${term} ${money} ${c.option}, σ ${Math.round(c.volatility * 100)}%, ${c.steps} steps, ${cost}, ${risk} risk${input}`;
}

/** Each part of the test path's step rewards summed over the path (cost negative), and their total. */
export function rewardTotals(r: EvaluationReport): { option: number; hedge: number; cost: number; total: number } {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const { optionPnl, hedgePnl, cost } = r.samplePath.rewards;
  const t = { option: sum(optionPnl), hedge: sum(hedgePnl), cost: -sum(cost), total: 0 };
  t.total = t.option + t.hedge + t.cost;
  return t;
}
