// Peer for the environment benchmark: the same batched hedging-environment step written as a plain
// TypeScript loop in f64 (Black-Scholes from widget/core), over the same kind of GBM paths.
import { bsDelta, bsPrice } from '../../widget/shared/black-scholes.js';

export interface JsEnvResult {
  pathStepsPerSecond: number;
  episodes: number;
  seconds: number;
}

/** Runs whole episodes of `paths` paths and `steps` steps, delta-hedging, for about `seconds`. */
export function jsEnvThroughput(paths: number, steps: number, seconds: number, maturity = 30 / 365, volatility = 0.2, cost = 0): JsEnvResult {
  const dt = maturity / steps;
  const spot = new Float64Array(paths * (steps + 1));
  const holding = new Float64Array(paths);
  const value = new Float64Array(paths);
  const reward = new Float64Array(paths);
  let seed = 1;
  const normal = () => {
    // Park-Miller + Box-Muller: path generation is not what this peer measures, but it must happen.
    seed = (seed * 48271) % 2147483647;
    const u1 = seed / 2147483647;
    seed = (seed * 48271) % 2147483647;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * (seed / 2147483647));
  };
  const start = performance.now();
  let episodes = 0;
  while (performance.now() - start < seconds * 1000) {
    for (let p = 0; p < paths; p++) {
      let s = 1;
      spot[p * (steps + 1)] = 1;
      for (let k = 0; k < steps; k++) {
        s *= Math.exp(-0.5 * volatility * volatility * dt + volatility * Math.sqrt(dt) * normal());
        spot[p * (steps + 1) + k + 1] = s;
      }
      holding[p] = 0;
      value[p] = bsPrice({ spot: 1, strike: 1, tau: maturity, volatility });
    }
    for (let t = 0; t < steps; t++) {
      const tau = maturity - (t + 1) * dt;
      for (let p = 0; p < paths; p++) {
        const s = spot[p * (steps + 1) + t];
        const sNext = spot[p * (steps + 1) + t + 1];
        const action = bsDelta({ spot: s, strike: 1, tau: maturity - t * dt, volatility }) - holding[p];
        const h = holding[p] + action;
        const next = t + 1 === steps ? Math.max(sNext - 1, 0) : bsPrice({ spot: sNext, strike: 1, tau, volatility });
        let c = cost * Math.abs(s * action);
        if (t + 1 === steps) c += cost * Math.abs(sNext * h);
        reward[p] = value[p] - next + h * (sNext - s) - c;
        value[p] = next;
        holding[p] = h;
      }
    }
    episodes++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { pathStepsPerSecond: (paths * steps * episodes) / elapsed, episodes, seconds: elapsed };
}
