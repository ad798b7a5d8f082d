// The laws mu_i of the spot at each date (docs/numerics.md), three ways: a CRR tree, Black-Scholes laws on a
// common strike grid, or call quotes (Breeden-Litzenberger), with the arbitrage checks and the repair of
// rounding-sized violations.
import { normCdf } from '../../shared/black-scholes.js';
import { ConfigError } from '../../shared/config-schema.js';
import type { BoundsConfig } from './config.js';

/** A law on finitely many atoms (increasing), weights summing to one. */
export interface Marginal {
  date: number;
  atoms: Float64Array;
  weights: Float64Array;
}

export interface CallQuote {
  maturity: number;
  strike: number;
  call: number;
}

/** One repaired price: how far it moved and why. */
export interface Repair {
  maturity: number;
  strike: number;
  from: number;
  to: number;
  reason: string;
}

/** Atoms lighter than this are dropped: second differences of prices near 100 carry this much rounding. */
const NEGLIGIBLE_MASS = 1e-13;
/** Float noise in quoted prices below this is neither a violation nor a repair. */
const PRICE_NOISE = 1e-10;

export class QuoteError extends ConfigError {
  constructor(messages: string[]) {
    super(messages.map((m) => ({ key: 'quotes', value: undefined, allowed: m })), 'call quotes');
    this.name = 'QuoteError';
    this.message = 'Invalid call quotes (key quotes):\n' + messages.map((m) => `  ${m}`).join('\n');
  }
}

/** The tree step of each date: round(t_i / t_n * n_tree). */
export function treeStepsOf(dates: readonly number[], treeSteps: number): number[] {
  const tn = dates[dates.length - 1];
  return dates.map((t) => Math.round((t / tn) * treeSteps));
}

/** CRR parameters with r = q = 0; nodes S0 exp(sigma sqrt(dt) (2k - m)) so coinciding nodes are equal. */
export function crr(spot: number, volatility: number, tn: number, treeSteps: number) {
  const a = volatility * Math.sqrt(tn / treeSteps);
  const up = Math.exp(a);
  const p = (1 - 1 / up) / (up - 1 / up);
  return { a, p, node: (m: number, k: number) => spot * Math.exp(a * (2 * k - m)) };
}

/** log of the binomial probabilities C(m,k) p^k (1-p)^(m-k), k = 0..m. */
export function logBinomial(m: number, p: number): Float64Array {
  const out = new Float64Array(m + 1);
  let logC = 0;
  for (let k = 0; k <= m; k++) {
    if (k > 0) logC += Math.log((m - k + 1) / k);
    out[k] = logC + k * Math.log(p) + (m - k) * Math.log1p(-p);
  }
  return out;
}

export function binomialMarginals(c: Pick<BoundsConfig, 'dates' | 'spot' | 'volatility' | 'treeSteps'>): Marginal[] {
  const tree = crr(c.spot, c.volatility, c.dates[c.dates.length - 1], c.treeSteps);
  const steps = treeStepsOf(c.dates, c.treeSteps);
  return c.dates.map((date, i) => {
    const m = steps[i];
    const lw = logBinomial(m, tree.p);
    const atoms = new Float64Array(m + 1);
    const weights = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      atoms[k] = tree.node(m, k);
      weights[k] = Math.exp(lw[k]);
    }
    return { date, atoms, weights };
  });
}

/** Undiscounted call prices E[(X - K)+] of a marginal at the given strikes. */
export function callPrices(mu: Marginal, strikes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(strikes.length);
  for (let j = 0; j < strikes.length; j++) {
    let s = 0;
    for (let a = 0; a < mu.atoms.length; a++) if (mu.atoms[a] > strikes[j]) s += mu.weights[a] * (mu.atoms[a] - strikes[j]);
    out[j] = s;
  }
  return out;
}

/** Quotes of the calls struck at every atom of each marginal (how tests and demos make quotes from a law). */
export function quotesFromMarginals(marginals: Marginal[]): CallQuote[] {
  return marginals.flatMap((mu) => {
    const calls = callPrices(mu, mu.atoms);
    return Array.from(mu.atoms, (strike, j) => ({ maturity: mu.date, strike, call: calls[j] }));
  });
}

function bsCall(spot: number, strike: number, sd: number): number {
  const d1 = (Math.log(spot / strike) + 0.5 * sd * sd) / sd;
  return spot * normCdf(d1) - strike * normCdf(d1 - sd);
}

/** Grid half-width in standard deviations of log X_n: the tail outside carries under 1e-9 of the mass. */
const LOGNORMAL_WIDTH = 6;
/** Largest repair of the discretised Black-Scholes prices, relative to S0 (far below any bound's digits). */
const LOGNORMAL_REPAIR = 1e-7;

/**
 * Black-Scholes laws on one strike grid, common to every date: the law whose call curve is piecewise linear
 * through the exact call prices, with all mass inside the grid (C = S0 - K at the lowest point, 0 at the
 * highest). The mean is S0 exactly, and since interpolating ordered convex curves on one grid keeps them
 * ordered, the grid marginals stay in convex order; the quote checks below confirm it.
 */
export function lognormalMarginals(c: Pick<BoundsConfig, 'dates' | 'spot' | 'volatility' | 'gridSize'>): Marginal[] {
  const sdN = c.volatility * Math.sqrt(c.dates[c.dates.length - 1]);
  const lo = Math.log(c.spot) - 0.5 * sdN * sdN - LOGNORMAL_WIDTH * sdN;
  const hi = Math.log(c.spot) - 0.5 * sdN * sdN + LOGNORMAL_WIDTH * sdN;
  const strikes = Array.from({ length: c.gridSize }, (_, j) => Math.exp(lo + ((hi - lo) * j) / (c.gridSize - 1)));
  const quotes: CallQuote[] = [];
  for (const t of c.dates) {
    const sd = c.volatility * Math.sqrt(t);
    strikes.forEach((K, j) => {
      const call = j === 0 ? c.spot - K : j === strikes.length - 1 ? 0 : bsCall(c.spot, K, sd);
      quotes.push({ maturity: t, strike: K, call });
    });
  }
  // Moving the tails' mass onto the end points leaves second differences off by ~1e-9 there; repaired.
  return quotesMarginals(quotes, c.spot, LOGNORMAL_REPAIR * c.spot).marginals;
}

/** Parses `maturity,strike,call` rows; every malformed line is named. */
export function parseQuotesCsv(text: string, source = 'quotes'): CallQuote[] {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  const header = lines[0]?.trim().toLowerCase().split(',').map((s) => s.trim());
  if (!header || header.join(',') !== 'maturity,strike,call') {
    throw new QuoteError([`${source}: the first line must be the header "maturity,strike,call" (found ${JSON.stringify(lines[0] ?? '')})`]);
  }
  const quotes: CallQuote[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(',').map((s) => s.trim());
    const nums = cells.map((s) => (s === '' ? NaN : Number(s)));
    if (cells.length !== 3 || !nums.every(Number.isFinite)) {
      problems.push(`${source} line ${i + 1}: expected three numbers maturity,strike,call, found ${JSON.stringify(lines[i])}`);
      continue;
    }
    quotes.push({ maturity: nums[0], strike: nums[1], call: nums[2] });
  }
  if (problems.length > 0) throw new QuoteError(problems);
  if (quotes.length === 0) throw new QuoteError([`${source}: no quotes after the header`]);
  return quotes;
}

interface Curve {
  maturity: number;
  strikes: number[];
  calls: number[];
}

/** The call curve's value at K: linear between quotes, C(0) = S0, extended with the last slope down to 0. */
function curveAt(c: Curve, spot: number, K: number): number {
  let k0 = 0;
  let c0 = spot;
  for (let j = 0; j < c.strikes.length; j++) {
    if (K <= c.strikes[j]) return c0 + ((c.calls[j] - c0) * (K - k0)) / (c.strikes[j] - k0);
    k0 = c.strikes[j];
    c0 = c.calls[j];
  }
  const n = c.strikes.length;
  const slope = n >= 2 ? (c.calls[n - 1] - c.calls[n - 2]) / (c.strikes[n - 1] - c.strikes[n - 2]) : (c.calls[0] - spot) / c.strikes[0];
  return Math.max(0, c0 + slope * (K - k0));
}

/** Every violation of one date's curve, at most one per strike, with its size in price units. */
function curveViolations(c: Curve, spot: number): { strike: number; size: number; text: string }[] {
  const out: { strike: number; size: number; text: string }[] = [];
  const K = [0, ...c.strikes];
  const C = [spot, ...c.calls];
  const date = `maturity ${c.maturity}`;
  for (let j = 1; j < K.length; j++) {
    const strike = K[j];
    if (C[j] < -PRICE_NOISE) out.push({ strike, size: -C[j], text: `${date}, strike ${strike}: negative call price ${C[j]}` });
    else if (C[j] > C[j - 1] + PRICE_NOISE) {
      out.push({ strike, size: C[j] - C[j - 1], text: `${date}, strike ${strike}: call prices not decreasing (${C[j - 1]} at ${K[j - 1]}, ${C[j]} at ${strike})` });
    } else if (C[j] < C[j - 1] - (K[j] - K[j - 1]) - PRICE_NOISE) {
      out.push({ strike, size: C[j - 1] - (K[j] - K[j - 1]) - C[j], text: `${date}, strike ${strike}: slope below -1 (${C[j - 1]} at ${K[j - 1]}, ${C[j]} at ${strike})` });
    } else if (j + 1 < K.length) {
      // Second difference at K[j]: the interpolated neighbours must lie above.
      const w = (K[j] - K[j - 1]) / (K[j + 1] - K[j - 1]);
      const chord = C[j - 1] + w * (C[j + 1] - C[j - 1]);
      if (C[j] > chord + PRICE_NOISE) out.push({ strike, size: C[j] - chord, text: `${date}, strike ${strike}: not convex (butterfly of negative price ${(chord - C[j]).toPrecision(3)})` });
    }
  }
  const n = c.calls.length;
  if (n >= 2 && c.calls[n - 1] > PRICE_NOISE && c.calls[n - 1] >= c.calls[n - 2] - PRICE_NOISE) {
    out.push({ strike: c.strikes[n - 1], size: c.calls[n - 1], text: `${date}, strike ${c.strikes[n - 1]}: means differ (the curve stays at ${c.calls[n - 1]} > 0 beyond the last strike, so the law loses mass to infinity)` });
  }
  return out;
}

/** Calendar violations C_i(K) > C_{i+1}(K) at every strike of either date. */
function calendarViolations(a: Curve, b: Curve, spot: number): { strike: number; size: number; text: string }[] {
  const strikes = [...new Set([...a.strikes, ...b.strikes])].sort((x, y) => x - y);
  const out: { strike: number; size: number; text: string }[] = [];
  for (const K of strikes) {
    const ca = curveAt(a, spot, K);
    const cb = curveAt(b, spot, K);
    if (ca > cb + PRICE_NOISE) {
      out.push({ strike: K, size: ca - cb, text: `maturity ${b.maturity}, strike ${K}: calendar arbitrage, the call is cheaper than at maturity ${a.maturity} (${cb} < ${ca})` });
    }
  }
  return out;
}

/**
 * Prices lifted to the no-arbitrage floor max(S0 - K, 0), then the greatest convex, decreasing minorant
 * through (0, S0): it stays above the floor, so its slopes lie in [-1, 0].
 */
function convexMinorant(c: Curve, spot: number): number[] {
  const K = [0, ...c.strikes];
  const C = [spot, ...c.calls.map((x, j) => Math.max(0, spot - c.strikes[j], x))];
  for (let j = 1; j < C.length; j++) C[j] = Math.min(C[j], C[j - 1]);
  // Lower hull (monotone chain) over the points.
  const hull: number[] = [];
  for (let j = 0; j < K.length; j++) {
    while (hull.length >= 2) {
      const p = hull[hull.length - 2];
      const q = hull[hull.length - 1];
      if ((C[q] - C[p]) * (K[j] - K[p]) >= (C[j] - C[p]) * (K[q] - K[p])) hull.pop();
      else break;
    }
    hull.push(j);
  }
  const out = new Array<number>(K.length);
  for (let h = 0; h + 1 < hull.length; h++) {
    const p = hull[h];
    const q = hull[h + 1];
    for (let j = p; j <= q; j++) out[j] = C[p] + ((C[q] - C[p]) * (K[j] - K[p])) / (K[q] - K[p]);
  }
  out[K.length - 1] = C[K.length - 1];
  return out.slice(1);
}

/**
 * The marginals implied by call quotes. Violations whose repair moves no price by more than `tolerance`
 * are repaired (convex minorant per date, then calendar lifts) and reported; any larger one is refused with
 * an error naming its date and strike.
 */
export function quotesMarginals(quotes: readonly CallQuote[], spot: number, tolerance: number): { marginals: Marginal[]; repairs: Repair[] } {
  const problems: string[] = [];
  const byDate = new Map<number, { strike: number; call: number }[]>();
  for (const q of quotes) {
    if (!(q.maturity > 0) || !(q.strike > 0) || !Number.isFinite(q.call)) {
      problems.push(`maturity ${q.maturity}, strike ${q.strike}: maturities and strikes must be positive and prices finite`);
      continue;
    }
    const rows = byDate.get(q.maturity) ?? [];
    rows.push({ strike: q.strike, call: q.call });
    byDate.set(q.maturity, rows);
  }
  const curves: Curve[] = [...byDate.entries()].sort((a, b) => a[0] - b[0]).map(([maturity, rows]) => {
    rows.sort((a, b) => a.strike - b.strike);
    for (let j = 1; j < rows.length; j++) if (rows[j].strike === rows[j - 1].strike) problems.push(`maturity ${maturity}, strike ${rows[j].strike}: quoted twice`);
    return { maturity, strikes: rows.map((r) => r.strike), calls: rows.map((r) => r.call) };
  });
  if (curves.length < 2) problems.push(`quotes for at least two maturities are needed (found ${curves.length})`);
  if (problems.length > 0) throw new QuoteError(problems);

  const violations = () => [
    ...curves.flatMap((c) => curveViolations(c, spot)),
    ...curves.slice(1).flatMap((c, i) => calendarViolations(curves[i], c, spot)),
  ];
  const found = violations();
  const repairs: Repair[] = [];
  if (found.length > 0) {
    const original = curves.map((c) => [...c.calls]);
    for (let i = 0; i < curves.length; i++) {
      if (i > 0) {
        // Calendar lift at this date's strikes (max of two convex curves is convex), then the minorant.
        curves[i].calls = curves[i].calls.map((x, j) => Math.max(x, curveAt(curves[i - 1], spot, curves[i].strikes[j])));
      }
      curves[i].calls = convexMinorant(curves[i], spot);
    }
    const moved = Math.max(...curves.flatMap((c, i) => c.calls.map((x, j) => Math.abs(x - original[i][j]))));
    const left = violations();
    if (moved > tolerance || left.length > 0) {
      const big = found.filter((v) => v.size > tolerance);
      const shown = (big.length > 0 ? big : found).slice(0, 8).map((v) => v.text);
      throw new QuoteError([
        ...shown,
        `(${found.length} violation${found.length > 1 ? 's' : ''}; repairing would move a price by ${moved.toPrecision(3)}, more than the tolerance ${tolerance})`,
      ]);
    }
    const reasons = new Map(found.map((v) => [v.text.split(':')[0], v.text.split(': ').slice(1).join(': ')]));
    curves.forEach((c, i) =>
      c.calls.forEach((x, j) => {
        if (Math.abs(x - original[i][j]) > PRICE_NOISE) {
          const key = `maturity ${c.maturity}, strike ${c.strikes[j]}`;
          repairs.push({ maturity: c.maturity, strike: c.strikes[j], from: original[i][j], to: x, reason: reasons.get(key) ?? 'moved to keep the curve convex and ordered' });
        }
      }),
    );
  }
  return { marginals: curves.map((c) => lawOfCurve(c, spot)), repairs };
}

/** Breeden-Litzenberger on a piecewise-linear curve: atoms at kinks, weights from slope differences. */
function lawOfCurve(c: Curve, spot: number): Marginal {
  const K = [0, ...c.strikes];
  const C = [spot, ...c.calls];
  const slopes: number[] = [];
  for (let j = 1; j < K.length; j++) slopes.push((C[j] - C[j - 1]) / (K[j] - K[j - 1]));
  const atoms: number[] = [];
  const weights: number[] = [];
  const add = (x: number, w: number) => {
    if (w > NEGLIGIBLE_MASS) {
      atoms.push(x);
      weights.push(w);
    }
  };
  add(0, 1 + slopes[0]);
  for (let j = 1; j < K.length - 1; j++) add(K[j], slopes[j] - slopes[j - 1]);
  const last = slopes[slopes.length - 1];
  const n = K.length - 1;
  if (C[n] > PRICE_NOISE && last < 0) {
    // Extended with the last slope: the remaining mass -last sits where the curve reaches 0.
    add(K[n] + C[n] / -last, -last);
  } else add(K[n], -last);
  const total = weights.reduce((s, w) => s + w, 0);
  return { date: c.maturity, atoms: Float64Array.from(atoms), weights: Float64Array.from(weights, (w) => w / total) };
}
