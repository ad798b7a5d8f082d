// The numbers behind <cher-hedger>'s charts: each strategy on the test set.
import type { EvaluationReport, StrategyStats } from '../../models/hedging/evaluation.js';
import type { StatsTable } from '../base/template.js';

const f = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

export function hedgingStats(r: EvaluationReport | null): StatsTable {
  const rows: [string, StrategyStats | undefined][] = [
    ['Network', r?.network], ['BS delta', r?.bsDelta], ['Whalley-Wilmott', r?.whalleyWilmott], ['No hedge', r?.noHedge],
  ];
  return {
    caption: `Test set${r ? `: ${r.testPaths.toLocaleString('en')} paths, iteration ${r.iteration.toLocaleString('en')}` : ''}`,
    columns: ['Strategy', 'Price', 'Std dev', 'ES 95%', 'Cost'],
    rows: rows.map(([name, st]) => [name, st ? [f(st.price, 5), f(st.std), f(st.es95), f(st.cost, 5)] : ['–', '–', '–', '–']]),
    note: r?.premium != null ? `Learned premium p0 ${f(r.premium, 5)}; Black-Scholes ${f(r.bsPrice, 5)}.` : undefined,
  };
}
