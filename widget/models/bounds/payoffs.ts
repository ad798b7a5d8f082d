// The exotics of docs/numerics.md's model-free bounds section as functions of the path (X_1..X_n), by name with their parameters.
import type { BoundsConfig, PayoffName } from './config.js';

export type PathPayoff = (path: Float64Array) => number;

export function namedPayoff(name: PayoffName, c: Pick<BoundsConfig, 'strike' | 'moneyness' | 'floor' | 'cap'>): PathPayoff {
  switch (name) {
    case 'forward-start':
      return (x) => Math.max(x[x.length - 1] - c.moneyness * x[x.length - 2], 0);
    case 'straddle':
      return (x) => Math.abs(x[x.length - 1] - x[x.length - 2]);
    case 'asian': {
      const K = c.strike!;
      return (x) => {
        let s = 0;
        for (let i = 0; i < x.length; i++) s += x[i];
        return Math.max(s / x.length - K, 0);
      };
    }
    case 'lookback':
      return (x) => {
        let m = x[0];
        for (let i = 1; i < x.length; i++) m = Math.max(m, x[i]);
        return m - x[x.length - 1];
      };
    case 'cliquet':
      return (x) => Math.min(Math.max(x[x.length - 1] / x[x.length - 2] - 1, c.floor), c.cap);
    case 'variance':
      // (X_n - X_{n-1})^2: E of it is E[X_n^2] - E[X_{n-1}^2] under every martingale coupling.
      return (x) => (x[x.length - 1] - x[x.length - 2]) ** 2;
  }
}
