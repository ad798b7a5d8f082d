// Engines simulate in units of the spot (paths start at 1, strike K / S0); every figure a user sees is
// in currency. This file is the one place that converts between the two (docs/numerics.md, Deep hedging, Units).
import type { HedgerConfig } from './config.js';
import type { EvaluationReport, StrategyStats } from './evaluation.js';

/**
 * The same problem on the unit scale: spot 1, strike K / S0, and the risk aversion that makes the
 * entropic measure and the Whalley-Wilmott band on unit-scale P&L those of `a` on P&L in currency
 * (a P&L of y units is S0 y in currency, so a becomes a S0). Idempotent: a unit configuration is returned as is.
 */
export function unitConfig(config: HedgerConfig): HedgerConfig {
  const s0 = config.spot;
  if (s0 === 1) return config;
  return Object.freeze({ ...config, spot: 1, strike: config.strike / s0, riskAversion: config.riskAversion * s0 });
}

/** A unit-scale price or P&L in currency. */
export function moneyOf(config: Pick<HedgerConfig, 'spot'>, x: number): number {
  return x * config.spot;
}

/** A unit-scale training loss in currency: mse is quadratic in P&L, the other measures are homogeneous. */
export function lossOf(config: Pick<HedgerConfig, 'spot' | 'risk'>, loss: number): number {
  return config.risk === 'mse' ? loss * config.spot * config.spot : loss * config.spot;
}

function statsOf(config: HedgerConfig, s: StrategyStats): StrategyStats {
  const m = (x: number) => moneyOf(config, x);
  return { price: m(s.price), mean: m(s.mean), std: m(s.std), es95: m(s.es95), cost: m(s.cost) };
}

/** An engine's (unit-scale) evaluation report in currency; hedges, counts and times are unchanged. */
export function reportInCurrency(config: HedgerConfig, r: EvaluationReport): EvaluationReport {
  if (config.spot === 1) return r;
  const m = (x: number) => moneyOf(config, x);
  const ms = (xs: number[]) => xs.map(m);
  return {
    ...r,
    bsPrice: m(r.bsPrice),
    premium: r.premium === null ? null : m(r.premium),
    network: statsOf(config, r.network),
    bsDelta: statsOf(config, r.bsDelta),
    whalleyWilmott: statsOf(config, r.whalleyWilmott),
    noHedge: statsOf(config, r.noHedge),
    histogram: { ...r.histogram, edges: ms(r.histogram.edges) },
    samplePath: {
      ...r.samplePath,
      spot: ms(r.samplePath.spot),
      rewards: {
        optionPnl: ms(r.samplePath.rewards.optionPnl),
        hedgePnl: ms(r.samplePath.rewards.hedgePnl),
        cost: ms(r.samplePath.rewards.cost),
      },
    },
    policy: { ...r.policy, spot: ms(r.policy.spot) },
  };
}
