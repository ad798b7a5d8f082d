// The four risk measures of docs/numerics.md's deep-hedging section on a sample of terminal wealth y = PnL - Z: their value,
// the price each reports, and dLoss/dy for the backward pass.
import type { HedgerConfig, RiskMeasure } from './config.js';

export interface RiskParams {
  risk: RiskMeasure;
  riskAversion: number;
  cvarLevel: number;
  sdWeight: number;
}

type Sample = ArrayLike<number>;

function mean(y: Sample): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

/** Population standard deviation (divides by the sample size, as the loss does). */
export function standardDeviation(y: Sample, m = mean(y)): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - m) * (y[i] - m);
  return Math.sqrt(s / y.length);
}

/** Indices of y ordered by loss -y, ascending (largest gain first). */
function lossOrder(y: Sample): Uint32Array {
  const order = new Uint32Array(y.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => y[b] - y[a]);
}

/** The VaR's rank among B losses sorted worst first: k = ceil(alpha B), within 1..B (robust to alpha B rounding). */
export function varRank(alpha: number, B: number): number {
  return Math.min(B, Math.max(1, Math.ceil(alpha * B - 1e-9)));
}

/** Expected shortfall of y at level alpha in the OCE form, with its minimiser w = VaR. */
export function expectedShortfall(y: Sample, alpha: number): number {
  const B = y.length;
  const order = lossOrder(y);
  const k = varRank(alpha, B);
  const w = -y[order[k - 1]];
  let tail = 0;
  for (let r = k; r < B; r++) tail += -y[order[r]] - w;
  return w + tail / ((1 - alpha) * B);
}

export function entropicRisk(y: Sample, a: number): number {
  let m = -Infinity;
  for (let i = 0; i < y.length; i++) m = Math.max(m, -a * y[i]);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.exp(-a * y[i] - m);
  return (m + Math.log(s / y.length)) / a;
}

/** The training loss on a batch; `p0` is the learned premium (used by mse only). */
export function riskLoss(params: RiskParams, y: Sample, p0 = 0): number {
  switch (params.risk) {
    case 'mse': {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (p0 + y[i]) * (p0 + y[i]);
      return s / y.length;
    }
    case 'entropic':
      return entropicRisk(y, params.riskAversion);
    case 'cvar':
      return expectedShortfall(y, params.cvarLevel);
    case 'mean-sd': {
      const m = mean(y);
      return -m + params.sdWeight * standardDeviation(y, m);
    }
  }
}

/** The price a risk measure reports on the test set (docs/numerics.md: mse gives mean(Z - PnL), others their value). */
export function riskPrice(params: RiskParams, y: Sample): number {
  return params.risk === 'mse' ? -mean(y) : riskLoss(params, y);
}

/**
 * dLoss/dy_i for every path, written to `out`. For cvar, the VaR path itself carries the weight that
 * makes the piecewise-linear order-statistic form exact when alpha * B is not an integer.
 */
export function riskUpstream(params: RiskParams, y: Sample, out: Float64Array | Float32Array, p0 = 0): void {
  const B = y.length;
  switch (params.risk) {
    case 'mse':
      for (let i = 0; i < B; i++) out[i] = (2 * (p0 + y[i])) / B;
      return;
    case 'entropic': {
      const a = params.riskAversion;
      let m = -Infinity;
      for (let i = 0; i < B; i++) m = Math.max(m, -a * y[i]);
      let s = 0;
      for (let i = 0; i < B; i++) s += Math.exp(-a * y[i] - m);
      for (let i = 0; i < B; i++) out[i] = -Math.exp(-a * y[i] - m) / s;
      return;
    }
    case 'cvar': {
      const alpha = params.cvarLevel;
      const order = lossOrder(y);
      const k = varRank(alpha, B);
      const tailWeight = 1 / ((1 - alpha) * B);
      out.fill(0);
      for (let r = k; r < B; r++) out[order[r]] = -tailWeight;
      out[order[k - 1]] = -(1 - (B - k) * tailWeight);
      return;
    }
    case 'mean-sd': {
      const m = mean(y);
      const sd = standardDeviation(y, m);
      const c = params.sdWeight;
      for (let i = 0; i < B; i++) out[i] = -1 / B + (sd > 0 ? (c * (y[i] - m)) / (B * sd) : 0);
      return;
    }
  }
}

/** Only mse uses the premium p0 (the other measures are cash-invariant), and only when it is learned. */
export function learnsPremium(config: Pick<HedgerConfig, 'risk' | 'premium'>): boolean {
  return config.risk === 'mse' && config.premium === 'learned';
}

export function riskParamsOf(config: HedgerConfig): RiskParams {
  return {
    risk: config.risk,
    riskAversion: config.riskAversion,
    cvarLevel: config.cvarLevel,
    sdWeight: config.sdWeight,
  };
}
