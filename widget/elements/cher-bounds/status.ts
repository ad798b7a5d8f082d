// <cher-bounds>'s words: the title (the exotic and its marginals in one line), the status line, and the
// number format its legends, labels and table share.
import type { BoundsConfig } from '../../models/bounds/config.js';
import { engineText } from '../base/status.js';
import type { CherBackendDetail } from '../base/types.js';
import type { Progress } from '../worker/protocol.js';

/** Six significant digits: bounds range from cliquet returns (0.03) to variance swaps (206). */
export function formatBound(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(6) : '–';
}

/** The payoff as a formula over the last two dates (or all of them). */
export function payoffText(c: Pick<BoundsConfig, 'payoff' | 'strike' | 'moneyness' | 'floor' | 'cap'> & { dates: readonly number[] }): string {
  const n = c.dates.length;
  const last = `X${n}`;
  const prev = `X${n - 1}`;
  const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;
  switch (c.payoff) {
    case 'forward-start':
      return `forward-start call (${last} − ${c.moneyness === 1 ? '' : `${c.moneyness} `}${prev})⁺`;
    case 'straddle':
      return `forward straddle |${last} − ${prev}|`;
    case 'asian':
      return `Asian call (mean − ${c.strike ?? 'K'})⁺`;
    case 'lookback':
      return `lookback max − ${last}`;
    case 'cliquet':
      return `cliquet ${last}/${prev} − 1 in [${pct(c.floor)}, ${pct(c.cap)}]`;
    case 'variance':
      return `(${last} − ${prev})², fixed by the marginals`;
  }
}

export function describeBounds(c: BoundsConfig): string {
  const source = c.marginals === 'binomial'
    ? `binomial marginals (σ ${Number((c.volatility * 100).toFixed(1))}%, ${c.treeSteps} steps)`
    : c.marginals === 'lognormal'
      ? `lognormal marginals (σ ${Number((c.volatility * 100).toFixed(1))}%, ${c.gridSize} atoms)`
      : 'marginals from call quotes';
  return `Bounds on a ${payoffText(c)}, dates ${c.dates.join(', ')}; ${source}`;
}

export function statusParts(engine: CherBackendDetail | null, p: Progress | null, model: number): string[] {
  const parts = [engineText(engine)];
  if (p && p.iteration > 0) {
    parts.push(`sweep ${p.iteration.toLocaleString('en')}`);
    if (Number.isFinite(p.epsilon)) parts.push(`ε ${p.epsilon.toExponential(1)}`);
  }
  parts.push(`[${formatBound(p?.lower)}, ${formatBound(p?.upper)}]`);
  if (Number.isFinite(model)) parts.push(`model ${formatBound(model)}`);
  return parts;
}
