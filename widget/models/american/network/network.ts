// The American value network (docs/numerics.md): its parameter layout, seeded initial weights, the f64
// forward pass the host uses for the price and the exercise boundary, and the TD target's refresh rule.
// Every engine (WASM passes in assembly/american/value-network.ts, WGSL in shaders/american/) follows this.
import { mlpLayout, seedMlp, type MlpLayout } from '../../../runtime/training/init.js';
import type { NetworkParameters } from '../../../runtime/wasm/wasm-training-engine.js';
import { exerciseDates, type AmericanConfig } from '../config.js';
import { fittedBoundary, payoff, type ExerciseBoundary } from '../price.js';

/** Inputs of the value network: time left tau and log-moneyness x. */
export const VALUE_INPUTS = 2;

/** Flat parameter layout: the MLP's (runtime/training/init.ts) over (time left tau, log-moneyness x). */
export type ValueLayout = MlpLayout;

export function valueLayout(hidden: number): ValueLayout {
  return mlpLayout(VALUE_INPUTS, hidden);
}

/** He-uniform for the ReLU layers, Glorot-uniform for the linear output, zero biases (the contract's rule). */
export function initialValueParams(hidden: number, seed: number): Float32Array {
  const L = valueLayout(hidden);
  const out = new Float32Array(L.count);
  seedMlp(out, L, VALUE_INPUTS, seed);
  return out;
}

export function valueShape(config: AmericanConfig): string {
  return `hidden = ${config.hidden}`;
}

export function valueParameters(config: AmericanConfig, given?: Float32Array): NetworkParameters {
  const count = valueLayout(config.hidden).count;
  const initial = given ? Float32Array.from(given) : initialValueParams(config.hidden, config.seed);
  if (initial.length !== count) {
    throw new Error(`initial parameters have ${initial.length} values; hidden = ${config.hidden} needs ${count}`);
  }
  return { initial, decays: new Uint8Array(count).fill(1), shape: valueShape(config) };
}

/** The grid the network trains and exercises on: the Bermudan dates, or LSM's 50 a year for an American option. */
export const networkDates = exerciseDates;

/** Transitions (t_m, S_m) -> (t_{m+1}, S_{m+1}) in one iteration. */
export function transitionsPerIteration(config: AmericanConfig): number {
  return config.batch * networkDates(config);
}

/** The network's inputs: time left tau = (T - t)/T and x = log(S/K) / (sigma sqrt(T)). */
export function networkInputs(config: AmericanConfig, t: number, spot: number): [number, number] {
  return [(config.maturity - t) / config.maturity, Math.log(spot / config.strike) / (config.volatility * Math.sqrt(config.maturity))];
}

/** net(tau, x) in f64 (unscaled; the continuation value is K times this). */
export function valueNet(params: ArrayLike<number>, hidden: number, tau: number, x: number): number {
  const L = valueLayout(hidden);
  const h1 = new Float64Array(hidden);
  for (let j = 0; j < hidden; j++) h1[j] = Math.max(params[2 * j] * tau + params[2 * j + 1] * x + params[L.b1 + j], 0);
  let out = params[L.b3];
  for (let j = 0; j < hidden; j++) {
    let z = params[L.b2 + j];
    for (let i = 0; i < hidden; i++) z += params[L.w2 + j * hidden + i] * h1[i];
    out += params[L.w3 + j] * Math.max(z, 0);
  }
  return out;
}

/** The network's continuation value C(t, S) = K net(tau, x), in currency. */
export function continuationOf(c: AmericanConfig, params: ArrayLike<number>, t: number, spot: number): number {
  const [tau, x] = networkInputs(c, t, spot);
  return c.strike * valueNet(params, c.hidden, tau, x);
}

/** V_theta(0, S0): the continuation value today, or the payoff where an American option is better exercised now. */
export function networkPrice(c: AmericanConfig, params: ArrayLike<number>, spot = c.spot): number {
  const hold = continuationOf(c, params, 0, spot);
  return c.exercise === 'american' ? Math.max(payoff(c, spot), hold) : hold;
}

/**
 * The TD target's copy of the weights is taken at the first iteration of each block of `targetRefresh`
 * iterations (and whenever an engine starts or resumes without one): the block this iteration is in.
 */
export function targetBlock(iteration: number, targetRefresh: number): number {
  return Math.floor(iteration / targetRefresh);
}

/** Keeps the TD target's weights by the refresh rule; the same in every engine. */
export class TargetWeights {
  readonly weights: Float32Array;
  private block = -1;

  constructor(count: number) {
    this.weights = new Float32Array(count);
  }

  /** Copies `params` when `iteration` starts a new block (or none was taken); true when it copied. */
  update(params: Float32Array, iteration: number, targetRefresh: number): boolean {
    const b = targetBlock(iteration, targetRefresh);
    if (b === this.block) return false;
    this.weights.set(params);
    this.block = b;
    return true;
  }
}

/** The stopping rule's boundary: at each date t_m, where the payoff meets the network's continuation value. */
export function networkBoundary(c: AmericanConfig, params: ArrayLike<number>): ExerciseBoundary {
  const M = networkDates(c);
  return fittedBoundary(c, M, (m, s) => payoff(c, s) - continuationOf(c, params, (m * c.maturity) / M, s));
}
