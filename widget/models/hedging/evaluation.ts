// The evaluation report of docs/numerics.md's deep-hedging section: the network and three baselines (Black-Scholes delta,
// Whalley-Wilmott band, no hedge) on the fixed test paths, with the pictures the element draws.
import type { HedgerConfig } from './config.js';
import { bsDelta, bsGamma, bsPrice } from '../../shared/black-scholes.js';
import { hedgeOf, spotFeature, spotInput } from './network.js';
import { expectedShortfall, riskParamsOf, riskPrice, standardDeviation } from './risk.js';

export interface StrategyStats {
  /** The price the configured risk measure reports for this strategy. */
  price: number;
  /** Mean, standard deviation and 95% expected shortfall of PnL - Z. */
  mean: number;
  std: number;
  es95: number;
  /** Mean transaction cost paid. */
  cost: number;
}

export interface EvaluationReport {
  iteration: number;
  testPaths: number;
  bsPrice: number;
  /** The learned premium p0 (mse with premium = learned), else null. */
  premium: number | null;
  network: StrategyStats;
  bsDelta: StrategyStats;
  whalleyWilmott: StrategyStats;
  noHedge: StrategyStats;
  /** Histograms of PnL - Z + price on shared bins (`edges` has one more entry than each count list). */
  histogram: { edges: number[]; network: number[]; bsDelta: number[]; noHedge: number[] };
  /**
   * Test path 0: time in years, spot, the network's hedge and the Black-Scholes delta at each date, and the
   * environment's rewards for the network's hedges at each step (option P&L, hedge P&L, cost; see HedgingEnv).
   */
  samplePath: {
    time: number[];
    spot: number[];
    network: number[];
    bsDelta: number[];
    rewards: { optionPnl: number[]; hedgePnl: number[]; cost: number[] };
  };
  /** The network's hedge against spot at mid-life for a few previous hedges, with the BS delta. */
  policy: { time: number; spot: number[]; bsDelta: number[]; curves: { previous: number; hedge: number[] }[] };
}

/** Terminal wealth y = PnL - Z and costs of one strategy on every test path. */
export interface Outcomes {
  y: Float64Array;
  cost: Float64Array;
}

/** Test paths, path-major: spot[p * (N + 1) + k]. */
export interface TestPaths {
  count: number;
  steps: number;
  spot: Float32Array;
}

type HedgeRule = (k: number, spot: number, previous: number) => number;

function runStrategy(config: HedgerConfig, paths: TestPaths, rule: HedgeRule): Outcomes {
  const N = paths.steps;
  const kappa = config.cost;
  const y = new Float64Array(paths.count);
  const cost = new Float64Array(paths.count);
  for (let p = 0; p < paths.count; p++) {
    const base = p * (N + 1);
    let prev = 0;
    let pnl = 0;
    let paid = 0;
    for (let k = 0; k < N; k++) {
      const s = paths.spot[base + k];
      const d = rule(k, s, prev);
      pnl += d * (paths.spot[base + k + 1] - s);
      paid += kappa * Math.abs(d - prev) * s;
      prev = d;
    }
    const sN = paths.spot[base + N];
    paid += kappa * Math.abs(prev) * sN;
    const payoff = Math.max(config.option === 'put' ? config.strike - sN : sN - config.strike, 0);
    y[p] = pnl - paid - payoff;
    cost[p] = paid;
  }
  return { y, cost };
}

function bsInputs(config: HedgerConfig, k: number, spot: number) {
  const tau = config.maturity * (1 - k / config.steps);
  return { spot, strike: config.strike, tau, volatility: config.volatility, put: config.option === 'put' };
}

export function bsDeltaRule(config: HedgerConfig): HedgeRule {
  return (k, s) => bsDelta(bsInputs(config, k, s));
}

/** Whalley-Wilmott: keep the holding inside delta +- (3 kappa Gamma^2 S / (2 a))^(1/3), else trade to the edge. */
export function whalleyWilmottRule(config: HedgerConfig): HedgeRule {
  return (k, s, prev) => {
    const inputs = bsInputs(config, k, s);
    const delta = bsDelta(inputs);
    const gamma = bsGamma(inputs);
    const half = Math.cbrt((3 * config.cost * gamma * gamma * s) / (2 * config.riskAversion));
    return Math.min(Math.max(prev, delta - half), delta + half);
  };
}

export interface Baselines {
  bsDelta: Outcomes;
  whalleyWilmott: Outcomes;
  noHedge: Outcomes;
}

export function baselineOutcomes(config: HedgerConfig, paths: TestPaths): Baselines {
  return {
    bsDelta: runStrategy(config, paths, bsDeltaRule(config)),
    whalleyWilmott: runStrategy(config, paths, whalleyWilmottRule(config)),
    noHedge: runStrategy(config, paths, () => 0),
  };
}

export function strategyStats(config: HedgerConfig, o: Outcomes): StrategyStats {
  let m = 0;
  let c = 0;
  for (let i = 0; i < o.y.length; i++) {
    m += o.y[i];
    c += o.cost[i];
  }
  m /= o.y.length;
  return {
    price: riskPrice(riskParamsOf(config), o.y),
    mean: m,
    std: standardDeviation(o.y, m),
    es95: expectedShortfall(o.y, 0.95),
    cost: c / o.y.length,
  };
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

const HISTOGRAM_BINS = 48;

function histogram(samples: { y: Float64Array; shift: number }[]) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const { y, shift } of samples) {
    const sorted = Float64Array.from(y, (v) => v + shift).sort();
    lo = Math.min(lo, quantile(sorted, 0.005));
    hi = Math.max(hi, quantile(sorted, 0.995));
  }
  if (!(hi > lo)) {
    lo -= 1e-3;
    hi += 1e-3;
  }
  const width = (hi - lo) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + i * width);
  const counts = samples.map(({ y, shift }) => {
    const c = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (let i = 0; i < y.length; i++) {
      const b = Math.floor((y[i] + shift - lo) / width);
      c[Math.min(HISTOGRAM_BINS - 1, Math.max(0, b))]++;
    }
    return c;
  });
  return { edges, counts };
}

/**
 * The accounting P&L of each step for given hedges on one path (the HedgingEnv rewards, in f64): the
 * short option marked at Black-Scholes, the hedge's gain, and the cost of the trade (plus liquidation
 * on the last step). Their sum over the path is PnL - Z + the Black-Scholes price.
 */
export function stepRewards(config: HedgerConfig, spot: number[], hedges: number[]) {
  const N = config.steps;
  const value = (k: number) => bsPrice(bsInputs(config, k, spot[k]));
  const optionPnl: number[] = [];
  const hedgePnl: number[] = [];
  const cost: number[] = [];
  let prev = 0;
  for (let k = 0; k < N; k++) {
    optionPnl.push(value(k) - value(k + 1));
    hedgePnl.push(hedges[k] * (spot[k + 1] - spot[k]));
    let c = config.cost * Math.abs(spot[k] * (hedges[k] - prev));
    if (k === N - 1) c += config.cost * Math.abs(spot[N] * hedges[k]);
    cost.push(c);
    prev = hedges[k];
  }
  return { optionPnl, hedgePnl, cost };
}

export interface NetworkOutcome extends Outcomes {
  /** The network's hedges on test path 0. */
  firstPathHedges: ArrayLike<number>;
}

/** The previous holdings (for a call; negated for a put) of the policy picture's curves. */
export const POLICY_PREVIOUS_HEDGES = [0.2, 0.5, 0.8];

/**
 * The report on the unit scale (engines simulate with spot 1): `config` must be unit-scale, as the engines'
 * own is; the Trainer converts the report to currency (core/units.ts).
 */
export function buildReport(
  config: HedgerConfig, paths: TestPaths, params: Float32Array, premium: number | null,
  net: NetworkOutcome, baselines: Baselines, iteration: number,
): EvaluationReport {
  const N = config.steps;
  const network = strategyStats(config, net);
  const bs = strategyStats(config, baselines.bsDelta);
  const noHedge = strategyStats(config, baselines.noHedge);
  const hist = histogram([
    { y: net.y, shift: network.price },
    { y: baselines.bsDelta.y, shift: bs.price },
    { y: baselines.noHedge.y, shift: noHedge.price },
  ]);
  const dt = config.maturity / N;
  const spot0 = Array.from(paths.spot.subarray(0, N + 1));
  const bsRule = bsDeltaRule(config);
  const hedges = Array.from(net.firstPathHedges);
  const samplePath = {
    time: spot0.map((_, k) => k * dt),
    spot: spot0,
    network: hedges,
    bsDelta: spot0.slice(0, N).map((s, k) => bsRule(k, s, 0)),
    rewards: stepRewards(config, spot0, hedges),
  };
  // Mid-life picture over +-3 standard deviations of the spot at that date.
  const kMid = Math.floor(N / 2);
  const tau = 1 - kMid / N;
  const spread = 3 * config.volatility * Math.sqrt(config.maturity * (kMid / N)) || 0.05;
  const grid = Array.from({ length: 41 }, (_, i) => config.strike * Math.exp(spread * (i / 20 - 1)));
  const sign = config.option === 'put' ? -1 : 1;
  const feature = spotFeature(config);
  const curves = POLICY_PREVIOUS_HEDGES.map((prev) => ({
    previous: sign * prev,
    hedge: grid.map((s) => hedgeOf(params, config.hidden, tau, spotInput(feature, s), sign * prev)),
  }));
  return {
    iteration,
    testPaths: paths.count,
    bsPrice: bsPrice(bsInputs(config, 0, 1)),
    premium,
    network,
    bsDelta: bs,
    whalleyWilmott: strategyStats(config, baselines.whalleyWilmott),
    noHedge,
    histogram: { edges: hist.edges, network: hist.counts[0], bsDelta: hist.counts[1], noHedge: hist.counts[2] },
    samplePath,
    policy: { time: kMid * dt, spot: grid, bsDelta: grid.map((s) => bsRule(kMid, s, 0)), curves },
  };
}
