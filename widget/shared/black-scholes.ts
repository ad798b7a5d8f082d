// Black-Scholes with zero interest rate: the price the network is compared with and the delta and
// gamma its baselines hedge with.

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
}

function d1Of({ spot, strike, tau, volatility }: BlackScholesInputs): number {
  const sd = volatility * Math.sqrt(tau);
  return (Math.log(spot / strike) + 0.5 * sd * sd) / sd;
}

export function bsPrice(p: BlackScholesInputs): number {
  if (p.tau <= 0) return Math.max(p.put ? p.strike - p.spot : p.spot - p.strike, 0);
  const d1 = d1Of(p);
  const d2 = d1 - p.volatility * Math.sqrt(p.tau);
  return p.put
    ? p.strike * normCdf(-d2) - p.spot * normCdf(-d1)
    : p.spot * normCdf(d1) - p.strike * normCdf(d2);
}

export function bsDelta(p: BlackScholesInputs): number {
  if (p.tau <= 0) {
    const itm = p.put ? p.spot < p.strike : p.spot > p.strike;
    return itm ? (p.put ? -1 : 1) : 0;
  }
  const n = normCdf(d1Of(p));
  return p.put ? n - 1 : n;
}

export function bsGamma(p: BlackScholesInputs): number {
  if (p.tau <= 0) return 0;
  return normPdf(d1Of(p)) / (p.spot * p.volatility * Math.sqrt(p.tau));
}

export function bsVega(p: BlackScholesInputs): number {
  if (p.tau <= 0) return 0;
  return p.spot * normPdf(d1Of(p)) * Math.sqrt(p.tau);
}
