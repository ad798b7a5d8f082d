// Black-Scholes-Merton: the price the hedging network is compared with (rate 0, the default), the delta
// and gamma its baselines hedge with, and the European value beside an American option (rate r, dividend
// yield q, both continuous). With r = q = 0 every result is bit for bit the zero-rate formula.

/** Standard normal CDF (Hart's double-precision rational approximation, as given by West 2005). */
export function normCdf(x: number): number {
  const a = Math.abs(x);
  let c: number;
  if (a > 37) c = 0;
  else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let n = 3.52624965998911e-2 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 8.83883476483184e-2 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

export function normPdf(x: number): number {
  return Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
}

export interface BlackScholesInputs {
  spot: number;
  strike: number;
  /** Time to expiry in years; 0 gives the payoff. */
  tau: number;
  volatility: number;
  put?: boolean;
  /** Continuous interest rate (default 0). */
  rate?: number;
  /** Continuous dividend yield (default 0). */
  dividend?: number;
}

function d1Of({ spot, strike, tau, volatility, rate = 0, dividend = 0 }: BlackScholesInputs): number {
  const sd = volatility * Math.sqrt(tau);
  return (Math.log(spot / strike) + (rate - dividend) * tau + 0.5 * sd * sd) / sd;
}

/** e^{-q tau}: what one share grows to in the dividend-paying measure, at tau. */
function carry(p: BlackScholesInputs): number {
  return Math.exp(-(p.dividend ?? 0) * p.tau);
}

export function bsPrice(p: BlackScholesInputs): number {
  if (p.tau <= 0) return Math.max(p.put ? p.strike - p.spot : p.spot - p.strike, 0);
  const d1 = d1Of(p);
  const d2 = d1 - p.volatility * Math.sqrt(p.tau);
  const k = p.strike * Math.exp(-(p.rate ?? 0) * p.tau);
  const s = p.spot * carry(p);
  return p.put ? k * normCdf(-d2) - s * normCdf(-d1) : s * normCdf(d1) - k * normCdf(d2);
}

export function bsDelta(p: BlackScholesInputs): number {
  if (p.tau <= 0) {
    const itm = p.put ? p.spot < p.strike : p.spot > p.strike;
    return itm ? (p.put ? -1 : 1) : 0;
  }
  const n = normCdf(d1Of(p));
  return carry(p) * (p.put ? n - 1 : n);
}

export function bsGamma(p: BlackScholesInputs): number {
  if (p.tau <= 0) return 0;
  return (carry(p) * normPdf(d1Of(p))) / (p.spot * p.volatility * Math.sqrt(p.tau));
}

export function bsVega(p: BlackScholesInputs): number {
  if (p.tau <= 0) return 0;
  return p.spot * carry(p) * normPdf(d1Of(p)) * Math.sqrt(p.tau);
}
