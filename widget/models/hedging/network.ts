// The hedging network's parameter layout, its seeded initial weights, and a single forward step in
// f64 (for the policy picture; the engines run the batched version).
import type { NetworkParameters } from '../../runtime/wasm/wasm-training-engine.js';
import { mlpLayout, seedMlp, type MlpLayout } from '../../runtime/training/init.js';
import type { HedgerConfig } from './config.js';
import { learnsPremium } from './risk.js';
import { unitConfig } from './units.js';

/**
 * The network's spot input (docs/numerics.md, Features), from host-side constants so that no engine divides
 * per path-step: with log-moneyness `x = (ln s - logStrike) * scale`, where s = S / S0 is the unit-scale spot,
 * logStrike = ln(K / S0) and scale = 1 / (sigma sqrt T); with features 'spot', x = s (the seed's input).
 */
export interface SpotFeature {
  logMoneyness: boolean;
  logStrike: number;
  scale: number;
}

export function spotFeature(config: HedgerConfig): SpotFeature {
  const u = unitConfig(config);
  return {
    logMoneyness: u.features === 'log-moneyness',
    logStrike: Math.log(u.strike),
    scale: 1 / (u.volatility * Math.sqrt(u.maturity)),
  };
}

/** The input x for unit-scale spot s (in f64; engines compute the same in f32). */
export function spotInput(f: SpotFeature, s: number): number {
  return f.logMoneyness ? (Math.log(s) - f.logStrike) * f.scale : s;
}

/** Inputs of the hedging network: time left, the spot input and the previous hedge. */
export const HEDGING_INPUTS = 3;

/**
 * Flat parameter layout shared by every engine: the MLP's (runtime/training/init.ts) over (time left, spot
 * input, previous hedge), then the premium p0.
 */
export interface ParamLayout extends MlpLayout {
  p0: number;
}

export function paramLayout(hidden: number): ParamLayout {
  const L = mlpLayout(HEDGING_INPUTS, hidden);
  return { ...L, p0: L.count, count: L.count + 1 };
}

/**
 * Initial parameters from the seed: He-uniform for the ReLU layers, Glorot-uniform for the output,
 * zero biases and premium. Parameter j draws the first word of Philox counter (j, 0, 0, stream 2).
 */
export function initialParams(hidden: number, seed: number): Float32Array {
  const L = paramLayout(hidden);
  const out = new Float32Array(L.count);
  seedMlp(out, L, HEDGING_INPUTS, seed);
  return out;
}

/** The network's hedge for one input (time left as a fraction of maturity, spot input x, previous hedge). */
export function hedgeOf(params: ArrayLike<number>, hidden: number, tau: number, x: number, prev: number): number {
  const L = paramLayout(hidden);
  const h1 = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) {
    const z = params[3 * j] * tau + params[3 * j + 1] * x + params[3 * j + 2] * prev + params[L.b1 + j];
    h1[j] = Math.max(z, 0);
  }
  let z3 = params[L.b3];
  for (let j = 0; j < hidden; j++) {
    let z = params[L.b2 + j];
    for (let i = 0; i < hidden; i++) z += params[L.w2 + j * hidden + i] * h1[i];
    z3 += params[L.w3 + j] * Math.max(z, 0);
  }
  return Math.tanh(z3);
}

/** The network's shape in words, for messages. */
export function networkShape(config: HedgerConfig): string {
  return `hidden = ${config.hidden}`;
}

/**
 * The parameters the runtime trains: seeded (or given) initial values with the premium at 0 where it is
 * not learned, and weight decay on everything but the premium (a price, not a weight).
 */
export function hedgingParameters(config: HedgerConfig, given?: Float32Array): NetworkParameters {
  const layout = paramLayout(config.hidden);
  const initial = given ? Float32Array.from(given) : initialParams(config.hidden, config.seed);
  if (initial.length !== layout.count) {
    throw new Error(`initial parameters have ${initial.length} values; hidden = ${config.hidden} needs ${layout.count}`);
  }
  if (!learnsPremium(config)) initial[layout.p0] = 0;
  const decays = new Uint8Array(layout.count).fill(1);
  decays[layout.p0] = 0;
  return { initial, decays, shape: networkShape(config) };
}
