// The neural dual's problem as every engine sees it (docs/numerics.md, "Neural dual"): unit-free inputs
// and outputs, the marginals' atoms with their masses and f32 cumulative masses (the inverse-CDF sampler),
// the payoff by name with its parameters, and the tables both engines load. Sizes and offsets here are the
// ones assembly/bounds-neural/index.ts and shaders/bounds/neural-dual.wgsl index with.
import { philox4x32, seedKey, uniformOf } from '../../../shared/philox.js';
import type { TrainableConfig } from '../../../runtime/training/model.js';
import type { BoundsConfig, PayoffName } from '../config.js';
import type { Marginal } from '../marginals.js';
import type { PathPayoff } from '../payoffs.js';

/** Inputs of U: (tau_i, z_i); of H: (tau_i, z_i, previous, running mean, running max), the last three of X / S0. */
export const U_INPUTS = 2;
export const H_INPUTS = 5;
/** Field counts of the tables (the kernels' CONSTS, DATE_FIELDS, ATOM_FIELDS). */
export const CONST_FIELDS = 8;
export const DATE_FIELDS = 8;
export const ATOM_FIELDS = 4;
/** Payoff codes of the kernels, in PAYOFF_NAMES order of the bounds schema. */
export const PAYOFF_CODES: Readonly<Record<PayoffName, number>> = {
  'forward-start': 0, straddle: 1, asian: 2, lookback: 3, cliquet: 4, variance: 5,
};
/** Paths of the product law the payoff's scale is estimated on (counter (path, 1, block, stream 2)). */
const SCALE_PATHS = 8192;
const SCALE_STREAM = 2;
/** Counter word 1 of those paths: 1, so they never reuse the seeded weights' words (j, 0, 0, stream 2). */
const SCALE_WORD = 1;

export interface NeuralSetup {
  dates: number;
  spot: number;
  /** Standard deviation of f under the product of the marginals: U and H are in its units. */
  payoffScale: number;
  /** Per date: sd(X_i); per date but the last: sd(X_{i+1} - X_i) = sqrt(Var X_{i+1} - Var X_i) under a martingale. */
  sd: number[];
  incrementSd: number[];
  /** sd(X_n) / S0: the history features' scale. */
  historySd: number;
  sizes: number[];
  offsets: number[];
  atomsTotal: number;
  payoffKind: number;
  consts: Float32Array<ArrayBuffer>;
  dateTable: Float32Array<ArrayBuffer>;
  atomTable: Float32Array<ArrayBuffer>;
}

/** The engines' configuration: the runtime's trainable keys, the network, the penalty, the side and its tables. */
export interface NeuralDualConfig extends TrainableConfig {
  hidden: number;
  batch: number;
  /** The penalty's final weight (betaAt ramps up to it) and the run's length. */
  beta: number;
  iterations: number;
  /** +1: the upper bound (cheapest super-replication of f); -1: the lower (of -f). */
  side: 1 | -1;
  setup: NeuralSetup;
}

function moments(m: Marginal): { mean: number; variance: number } {
  let mean = 0;
  let second = 0;
  m.weights.forEach((w, a) => {
    mean += w * m.atoms[a];
    second += w * m.atoms[a] * m.atoms[a];
  });
  return { mean, variance: Math.max(second - mean * mean, 0) };
}

/** The atom of `cdf` (f32 cumulative masses of one date) that uniform u falls in: the engines' binary search. */
export function atomOfUniform(cdf: ArrayLike<number>, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** f32 cumulative masses of each date (the last exactly 1): the reference law is the product of the marginals. */
export function cumulativeMasses(marginals: Marginal[]): Float32Array[] {
  return marginals.map((m) => {
    const cdf = new Float32Array(m.weights.length);
    let s = 0;
    m.weights.forEach((w, a) => (cdf[a] = Math.fround((s += w))));
    cdf[cdf.length - 1] = 1;
    return cdf;
  });
}

/** The atoms (per date) of path `path` of the product law: Philox counter (path, iteration, date >> 2, stream). */
export function drawAtoms(cdfs: Float32Array[], key: [number, number], path: number, iteration: number, stream: number, out: Int32Array): void {
  let words: number[] = [];
  for (let i = 0; i < cdfs.length; i++) {
    if ((i & 3) === 0) words = philox4x32(path, iteration, i >> 2, stream, key[0], key[1]);
    out[i] = atomOfUniform(cdfs[i], uniformOf(words[i & 3]));
  }
}

/** sd of f under the product law, estimated on SCALE_PATHS paths (the grid may be far too large to sum). */
function payoffStd(marginals: Marginal[], f: PathPayoff, seed: number): number {
  const cdfs = cumulativeMasses(marginals);
  const key = seedKey(seed);
  const k = new Int32Array(marginals.length);
  const x = new Float64Array(marginals.length);
  let m1 = 0;
  let m2 = 0;
  for (let p = 0; p < SCALE_PATHS; p++) {
    drawAtoms(cdfs, key, p, SCALE_WORD, SCALE_STREAM, k);
    k.forEach((a, i) => (x[i] = marginals[i].atoms[a]));
    const v = f(x);
    m1 += v;
    m2 += v * v;
  }
  m1 /= SCALE_PATHS;
  const sd = Math.sqrt(Math.max(m2 / SCALE_PATHS - m1 * m1, 0));
  // A payoff constant under the product law (no risk to bound): any positive unit will do.
  return sd > 1e-12 * (Math.abs(m1) + 1) ? sd : Math.abs(m1) + 1;
}

/** The payoff in X / S0 units times this is f (the kernels compute it from the path of X / S0). */
function payoffUnit(name: PayoffName, spot: number): number {
  return name === 'cliquet' ? 1 : name === 'variance' ? spot * spot : spot;
}

export function neuralSetup(
  config: Pick<BoundsConfig, 'dates' | 'spot' | 'payoff' | 'strike' | 'moneyness' | 'floor' | 'cap' | 'beta' | 'batch'> & { seed: number },
  marginals: Marginal[], f: PathPayoff, side: 1 | -1,
): NeuralSetup {
  const n = marginals.length;
  const spot = config.spot;
  const stats = marginals.map(moments);
  const sd = stats.map((s) => Math.sqrt(s.variance) || spot * 1e-3);
  const incrementSd = stats.slice(0, n - 1).map((s, i) => Math.sqrt(Math.max(stats[i + 1].variance - s.variance, 1e-8 * spot * spot)));
  const historySd = sd[n - 1] / spot;
  const payoffScale = payoffStd(marginals, f, config.seed);
  const sizes = marginals.map((m) => m.atoms.length);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((s, v) => s + v, 0));
  const atomsTotal = sizes.reduce((s, v) => s + v, 0);
  const payoffKind = PAYOFF_CODES[config.payoff];
  const pa = config.payoff === 'asian' ? config.strike! / spot : config.payoff === 'cliquet' ? config.floor : config.moneyness;
  const consts = new Float32Array(CONST_FIELDS);
  consts.set([side, config.beta / config.batch, (-2 * config.beta) / config.batch, payoffUnit(config.payoff, spot) / payoffScale, pa, config.cap, 1 / historySd]);
  const tn = config.dates[n - 1];
  const dateTable = new Float32Array(n * DATE_FIELDS);
  for (let i = 0; i < n; i++) {
    dateTable.set([config.dates[i] / tn, i < n - 1 ? spot / incrementSd[i] : 0, sizes[i], offsets[i], 1 / (i + 1)], i * DATE_FIELDS);
  }
  const cdfs = cumulativeMasses(marginals);
  const atomTable = new Float32Array(atomsTotal * ATOM_FIELDS);
  marginals.forEach((m, i) => m.atoms.forEach((x, a) => {
    atomTable.set([x / spot, (x - spot) / sd[i], cdfs[i][a], m.weights[a]], (offsets[i] + a) * ATOM_FIELDS);
  }));
  return { dates: n, spot, payoffScale, sd, incrementSd, historySd, sizes, offsets, atomsTotal, payoffKind, consts, dateTable, atomTable };
}

/**
 * The penalty's weight grows geometrically from beta / BETA_RAMP to beta over the first BETA_RAMP_SHARE of
 * the run: a small weight lets the strategy take shape quickly, the full weight then shrinks its violations
 * (and so what the rounding has to pay for). Measured on the 2-date forward start: a fixed beta of 200
 * leaves the penalised value 0.2 from the LP's on the lower side, a fixed 1000 trains too slowly.
 */
export const BETA_RAMP = 32;
export const BETA_RAMP_SHARE = 0.5;

/** beta at `iteration` of a run of `iterations`. */
export function betaAt(beta: number, iteration: number, iterations: number): number {
  const t = Math.min(1, iteration / Math.max(1, BETA_RAMP_SHARE * iterations));
  return beta / BETA_RAMP ** (1 - t);
}

/** The penalty's two constants at `iteration` (f32, both engines): beta / B and -2 beta / B (dL/dv per unit v). */
export function penaltyAt(config: NeuralDualConfig, iteration: number): [number, number] {
  const beta = betaAt(config.beta, iteration, config.iterations);
  return [Math.fround(beta / config.batch), Math.fround((-2 * beta) / config.batch)];
}

/** The constants table at `iteration` (the penalty's entries follow penaltyAt). */
export function constsAt(config: NeuralDualConfig, iteration: number): Float32Array<ArrayBuffer> {
  const c = config.setup.consts.slice();
  c.set(penaltyAt(config, iteration), 1);
  return c;
}
