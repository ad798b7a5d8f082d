// What each of <cher-hedger>'s charts shows, in words, for screen readers (the plot is an img).
import type { ChartId } from './chart-options.js';
import type { HedgingView } from './results.js';
import { formatPrice, rewardTotals, signed } from './status.js';

export function chartLabel(id: ChartId, view: HedgingView): string {
  const r = view.report;
  const p = view.progress;
  switch (id) {
    case 'loss':
      return p && Number.isFinite(p.loss) ? `Training loss on a log scale; latest ${p.loss.toExponential(2)} at iteration ${p.iteration}.` : 'Training loss on a log scale.';
    case 'price':
      return `Reported price against the Black-Scholes price ${formatPrice(view.results.bsPrice)}` + (r ? `; latest test-set price ${formatPrice(r.network.price)}.` : '.');
    case 'path':
      return 'One test path: the spot, the network hedge and the Black-Scholes delta over time.';
    case 'rewards': {
      const t = r ? rewardTotals(r) : null;
      return 'The accounting P&L of the network hedge at each step of that test path: option P&L, hedge P&L and trading cost stacked, with their running total' +
        (t && Number.isFinite(t.total) ? `; over the path, option ${signed(t.option)}, hedge ${signed(t.hedge)}, cost ${signed(t.cost)}, total ${signed(t.total)}.` : '.');
    }
    case 'histogram':
      return r
        ? `Histogram of hedged P&L; standard deviation: network ${r.network.std.toFixed(4)}, Black-Scholes delta ${r.bsDelta.std.toFixed(4)}, no hedge ${r.noHedge.std.toFixed(4)}.`
        : 'Histogram of hedged P&L for the network, Black-Scholes delta and no hedge.';
    case 'policy':
      return r
        ? `The network hedge against spot at ${Math.round(r.policy.time * 365)} days, for previous hedges ${policyLabels(view).join(', ')}, with the Black-Scholes delta.`
        : 'The network hedge against spot at mid-life, for a few previous hedges.';
  }
}

/** The previous hedges the policy chart's curves are for, e.g. "0.2". */
export function policyLabels(view: HedgingView): string[] {
  return (view.report?.policy.curves ?? []).map((c) => c.previous.toFixed(1));
}
