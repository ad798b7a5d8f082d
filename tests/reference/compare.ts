// Shared by the engine tests: the error measure the contract states tolerances in, and the problems on which
// every engine's gradient is compared with the f64 reference.
import type { HedgerConfig } from '../../widget/models/hedging/config.js';

/** ||a - b|| / ||b||: the contract's relative L2 error of a against the reference b. */
export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Small problems keep the f64 reference quick; hidden 8 and an odd batch exercise the padding lanes. */
export const GRADIENT_BASE = { hidden: 8, steps: 7, batch: 203, testPaths: 64, seed: 7, workers: 1 } as const;

/** Every risk measure, and mse both with the learned premium and without. */
export const RISK_SETUPS: Partial<HedgerConfig>[] = [
  { risk: 'mse', premium: 'learned' },
  { risk: 'mse', premium: 'none' },
  { risk: 'entropic', riskAversion: 3 },
  { risk: 'cvar', cvarLevel: 0.9 },
  { risk: 'mean-sd', sdWeight: 1.5 },
];
