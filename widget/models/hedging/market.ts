// The hedging market's constants, computed once for every engine and report: the GBM step of section
// "Market and claim" in docs/numerics.md, and the option's Black-Scholes price at the start.
import { bsPrice } from '../../shared/black-scholes.js';
import type { HedgerConfig } from './config.js';

/** One GBM step's log drift (mu - sigma^2/2) dt and its volatility sigma sqrt(dt), in f64. */
export function gbmStep(config: HedgerConfig): { driftDt: number; volSqrtDt: number } {
  const dt = config.maturity / config.steps;
  const sigma = config.volatility;
  return { driftDt: (config.drift - 0.5 * sigma * sigma) * dt, volSqrtDt: sigma * Math.sqrt(dt) };
}

/** The Black-Scholes price (rate 0) of the option the hedger is short, at the configuration's spot. */
export function optionPrice(config: HedgerConfig): number {
  return bsPrice({
    spot: config.spot, strike: config.strike, tau: config.maturity, volatility: config.volatility, put: config.option === 'put',
  });
}
