// priceAmerican: the lattice and least-squares Monte Carlo of docs/numerics.md on one configuration, and the
// report they share (European value, early-exercise premium, exercise boundary, V(0, S) over spot).
import { bsPrice } from '../../shared/black-scholes.js';
import { seedKey } from '../../shared/philox.js';
import { now } from '../../runtime/platform.js';
import { exerciseDates, resolveAmericanConfig, type AmericanConfig } from './config.js';
import { instantiateAmerican, results, type AmericanBuild, type AmericanExports } from './wasm.js';

export type AmericanMethod = 'lattice' | 'lsm';
export const AMERICAN_METHODS: readonly AmericanMethod[] = ['lattice', 'lsm'];

/** S*(t): for a put the highest spot where exercising is optimal at t, for a call the lowest; null where none is. */
export interface ExerciseBoundary {
  time: number[];
  spot: (number | null)[];
}

export interface LatticeResult {
  price: number;
  seconds: number;
  delta: number;
  gamma: number;
  boundary: ExerciseBoundary;
  steps: number;
}

export interface LsmResult {
  /** The fitted rule's value on the independent pricing paths (biased low): the same number as `lower`. */
  price: number;
  lower: number;
  upper: number;
  /** Standard error of `lower`. */
  stdError: number;
  upperStdError: number;
  seconds: number;
  /** Seconds of the fit and the independent estimate alone (what QuantLib's MCAmericanEngine computes). */
  lowerSeconds: number;
  /** Exercise dates of the grid; an American option is priced as the Bermudan on this grid. */
  dates: number;
  /** The training set's own estimate (in-sample; reported for diagnosis only). */
  inSample: number;
  /** Each path exercised at its best date in hindsight: biased high, not a price. */
  foresight: { biasedPrice: number; stdError: number; note: string };
  /** The continuation fit's boundary: at each date, the spot where the payoff meets the fitted continuation. */
  boundary: ExerciseBoundary;
}

export interface AmericanReport {
  config: AmericanConfig;
  /** Black-Scholes-Merton European value with the same r and q. */
  european: number;
  /** The lattice's price (else LSM's) less the European value. */
  earlyExercisePremium: number;
  methods: { lattice?: LatticeResult; lsm?: LsmResult };
  /** V(0, S) from the lattice against the European value, over 0.5 K .. 1.5 K. */
  curve?: { spot: number[]; value: number[]; european: number[]; steps: number };
}

export interface AmericanProgress {
  method: AmericanMethod;
  phase: 'lattice' | 'training' | 'pricing' | 'dual';
  /** Of the method's whole work, 0 to 1. */
  fraction: number;
}

export interface PriceOptions {
  methods?: readonly AmericanMethod[];
  onProgress?: (p: AmericanProgress) => void;
  /**
   * Awaited between LSM's chunks in place of the default macrotask break (taken only with onProgress): lets a
   * scheduler run the pricing in turns (the page's worker); rejecting it abandons the run.
   */
  pause?: () => Promise<void>;
  build?: AmericanBuild;
}

const FORESIGHT_NOTE = 'each path exercised at its best date in hindsight (perfect foresight): biased high, not a price';
/** Points of the boundary and of the V(0, S) curve; steps of each curve lattice. */
const BOUNDARY_POINTS = 101;
const CURVE_POINTS = 41;
const CURVE_STEPS = 1000;
/** Lattice levels per WASM call: short calls let V8 switch the loop to optimised code after the first few. */
const LEVEL_CHUNK = 256;
/** The fit's dates between two pauses (about 30 ms at 100,000 paths). */
const FIT_DATES_PER_PAUSE = 8;

/** The claim's payoff g(S). */
export const payoff = (c: AmericanConfig, s: number): number => Math.max(c.option === 'put' ? c.strike - s : s - c.strike, 0);

/** Runs the lattice on the module: price, delta, gamma and the boundary at every step. */
function runLattice(wasm: AmericanExports, c: AmericanConfig, steps: number, spot = c.spot) {
  const dates = c.exercise === 'bermudan' ? exerciseDates(c) : 0;
  if (wasm.latticeInit(steps, spot, c.strike, c.rate, c.dividend, c.volatility, c.maturity, c.option === 'put' ? 1 : 0, dates, 0) !== 0) {
    throw new Error(`the lattice could not allocate memory for ${steps} steps`);
  }
  let price = NaN;
  for (let i = steps - 1; i >= 0; i -= LEVEL_CHUNK) price = wasm.latticeLevels(i, LEVEL_CHUNK);
  const r = results(wasm);
  return { price, delta: r[1], gamma: r[2] };
}

/** The CRR lattice's price alone (the value network's reference), at the configuration's steps. */
export async function latticePriceOf(config: AmericanConfig, build?: AmericanBuild): Promise<number> {
  return runLattice(await instantiateAmerican(build), config, config.steps).price;
}

function sampleBoundary(wasm: AmericanExports, c: AmericanConfig, steps: number): ExerciseBoundary {
  const edge = new Float64Array(wasm.memory.buffer, wasm.latticeBoundaryPointer(), steps + 1);
  const dt = c.maturity / steps;
  // Bermudan: the date steps; American: about BOUNDARY_POINTS steps spread over [0, T).
  const picks: number[] = [];
  if (c.exercise === 'bermudan') {
    const M = exerciseDates(c);
    for (let m = 1; m < M; m++) picks.push(Math.floor((m * steps) / M + 0.5));
  } else {
    const every = Math.max(1, Math.ceil(steps / (BOUNDARY_POINTS - 1)));
    // From step 1: step 0 is the single node S0, which says nothing about where the boundary is.
    for (let i = 1; i < steps; i += every) picks.push(i);
  }
  return { time: picks.map((i) => i * dt), spot: picks.map((i) => (Number.isNaN(edge[i]) ? null : edge[i])) };
}

async function lattice(wasm: AmericanExports, c: AmericanConfig, report: AmericanReport, onProgress?: PriceOptions['onProgress']) {
  const t0 = now();
  const main = runLattice(wasm, c, c.steps);
  const boundary = sampleBoundary(wasm, c, c.steps);
  const seconds = (now() - t0) / 1000;
  report.methods.lattice = { price: main.price, seconds, delta: main.delta, gamma: main.gamma, boundary, steps: c.steps };
  onProgress?.({ method: 'lattice', phase: 'lattice', fraction: 0.5 });
  const steps = Math.min(c.steps, CURVE_STEPS);
  const curve = { spot: [] as number[], value: [] as number[], european: [] as number[], steps };
  for (let i = 0; i < CURVE_POINTS; i++) {
    const s = c.strike * (0.5 + i / (CURVE_POINTS - 1));
    curve.spot.push(s);
    curve.value.push(runLattice(wasm, c, steps, s).price);
    curve.european.push(europeanOf(c, s));
  }
  report.curve = curve;
  onProgress?.({ method: 'lattice', phase: 'lattice', fraction: 1 });
}

function europeanOf(c: AmericanConfig, spot = c.spot): number {
  return bsPrice({
    spot, strike: c.strike, tau: c.maturity, volatility: c.volatility, put: c.option === 'put', rate: c.rate, dividend: c.dividend,
  });
}

/** Mean and standard error from the module's sums (slots: sum, sum of squares, then count at slot 4). */
function meanAndError(sum: number, sumSq: number, n: number): [number, number] {
  const mean = sum / n;
  const variance = Math.max(sumSq / n - mean * mean, 0) * (n / Math.max(n - 1, 1));
  return [mean, Math.sqrt(variance / n)];
}

/** Lets the event loop run between chunks, so progress can be drawn and the caller stays responsive. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Where the payoff meets a fitted continuation value at each date t_m, m = 1..M-1: `excess(m, s)` is the
 * payoff less the continuation (>= 0 where exercising is optimal). A scan outwards from K finds a spot that
 * exercises (put: below K, down to K/64; call: above, up to 3 K), then bisection on the last step.
 */
export function fittedBoundary(c: AmericanConfig, M: number, excessAt: (m: number, s: number) => number | null): ExerciseBoundary {
  const time: number[] = [];
  const spot: (number | null)[] = [];
  const put = c.option === 'put';
  for (let m = 1; m < M; m++) {
    time.push((m * c.maturity) / M);
    if (excessAt(m, c.strike) === null) { spot.push(null); continue; }
    const excess = (s: number) => excessAt(m, s) as number;
    let inside = NaN;
    let outside = c.strike;
    for (let i = 1; i <= 60; i++) {
      const s = put ? c.strike * (1 - i / 64) : c.strike * (1 + (i * 2) / 60);
      if (excess(s) >= 0) { inside = s; break; }
      outside = s;
    }
    if (Number.isNaN(inside)) { spot.push(null); continue; }
    for (let k = 0; k < 40; k++) {
      const mid = 0.5 * (inside + outside);
      if (excess(mid) >= 0) inside = mid; else outside = mid;
    }
    spot.push(inside);
  }
  return { time, spot };
}

/** LSM's boundary: where the payoff meets the in-the-money continuation fit (null at dates without a fit). */
function lsmBoundary(wasm: AmericanExports, c: AmericanConfig, M: number): ExerciseBoundary {
  const coef = new Float64Array(wasm.memory.buffer, wasm.lsmCoefficientPointer(), (M + 1) * 4);
  const valid = new Uint8Array(wasm.memory.buffer, wasm.lsmValidPointer(), M + 1);
  const laguerre = c.basis === 'laguerre';
  return fittedBoundary(c, M, (m, s) => {
    if (!valid[m]) return null;
    const x = s / c.strike;
    const b = laguerre
      ? [1, 1 - x, 1 - 2 * x + 0.5 * x * x, 1 - 3 * x + 1.5 * x * x - (x * x * x) / 6].map((v) => v * Math.exp(-0.5 * x))
      : [1, x, x * x, x * x * x];
    const cont = b[0] * coef[4 * m] + b[1] * coef[4 * m + 1] + b[2] * coef[4 * m + 2] + b[3] * coef[4 * m + 3];
    return payoff(c, s) - cont;
  });
}

async function lsm(wasm: AmericanExports, c: AmericanConfig, report: AmericanReport, { onProgress, pause }: PriceOptions) {
  const rest = pause ?? (onProgress ? breathe : null);
  const t0 = now();
  const M = exerciseDates(c);
  const [lo, hi] = seedKey(c.seed);
  const lanes = wasm.lanes();
  if (wasm.lsmConfigure(c.paths, M, lo, hi, c.spot, c.strike, c.rate, c.dividend, c.volatility, c.maturity, c.option === 'put' ? 1 : 0, c.basis === 'laguerre' ? 1 : 0) !== 0) {
    throw new Error(`LSM could not allocate memory for ${c.paths} paths of ${M} dates`);
  }
  // Work units for progress: path-dates of training, pricing and (inner samples) dual.
  const trainWork = c.paths * M;
  const dualWork = c.dualPaths * M * (1 + c.dualInner / 8);
  const total = 2 * trainWork + dualWork;
  let done = 0;
  const report_ = (phase: AmericanProgress['phase'], work: number) => {
    done += work;
    onProgress?.({ method: 'lsm', phase, fraction: Math.min(1, done / total) });
  };
  const chunk = Math.max(lanes, Math.ceil(Math.max(1, 2_000_000 / M) / lanes) * lanes); // about 2M path-dates

  const groups = Math.ceil(c.paths / lanes);
  const groupChunk = chunk / lanes;
  for (let g = 0; g < groups; g += groupChunk) {
    wasm.lsmSimulate(g, groupChunk);
    report_('training', Math.min(groupChunk * lanes, c.paths - g * lanes) * M);
    if (rest) await rest();
  }
  // One call per date, for the same reason as the lattice's chunks; a pause every FIT_DATES_PER_PAUSE dates.
  wasm.lsmFitStart();
  for (let m = M - 1; m >= 1; m--) {
    wasm.lsmFitDate(m);
    if (rest && m % FIT_DATES_PER_PAUSE === 0) await rest();
  }
  const inSample = wasm.lsmFitEnd();

  wasm.lsmResetSums();
  for (let p = 0; p < c.paths; p += chunk) {
    wasm.lsmPrice(p, chunk, c.paths);
    report_('pricing', Math.min(chunk, c.paths - p) * M);
    if (rest) await rest();
  }
  let r = results(wasm);
  let [lower, stdError] = meanAndError(r[0], r[1], r[4]);
  const [foresight, foresightError] = meanAndError(r[2], r[3], r[4]);
  // American: exercising today is part of the rule, decided by the training set's estimate.
  const american = c.exercise === 'american';
  if (american && payoff(c, c.spot) >= inSample) {
    lower = payoff(c, c.spot);
    stdError = 0;
  }
  const lowerSeconds = (now() - t0) / 1000;

  wasm.lsmResetSums();
  const dualChunk = Math.max(lanes, Math.ceil(Math.max(1, 200_000 / (M * (1 + c.dualInner / 8))) / lanes) * lanes);
  for (let p = 0; p < c.dualPaths; p += dualChunk) {
    wasm.lsmDual(p, dualChunk, c.dualPaths, c.dualInner, american ? 1 : 0);
    report_('dual', (Math.min(dualChunk, c.dualPaths - p) / c.dualPaths) * dualWork);
    if (rest) await rest();
  }
  r = results(wasm);
  const [upper, upperStdError] = meanAndError(r[0], r[1], r[4]);
  report.methods.lsm = {
    price: lower, lower, upper, stdError, upperStdError, seconds: (now() - t0) / 1000, lowerSeconds, dates: M, inSample,
    foresight: { biasedPrice: foresight, stdError: foresightError, note: FORESIGHT_NOTE },
    boundary: lsmBoundary(wasm, c, M),
  };
}

/**
 * Prices an American (or Bermudan) option by the methods asked for (default: all). The configuration is
 * checked first (a ConfigError names every bad key); the Promise resolves with the report.
 */
export async function priceAmerican(config: Partial<AmericanConfig> | Record<string, unknown> = {}, options: PriceOptions = {}): Promise<AmericanReport> {
  const c = resolveAmericanConfig(config);
  const methods = options.methods ?? AMERICAN_METHODS;
  for (const m of methods) {
    if (!AMERICAN_METHODS.includes(m)) throw new RangeError(`unknown method "${m}"; methods: ${AMERICAN_METHODS.join(', ')}`);
  }
  const wasm = await instantiateAmerican(options.build);
  const report: AmericanReport = { config: c, european: europeanOf(c), earlyExercisePremium: NaN, methods: {} };
  if (methods.includes('lattice')) await lattice(wasm, c, report, options.onProgress);
  if (methods.includes('lsm')) await lsm(wasm, c, report, options);
  const reference = report.methods.lattice?.price ?? report.methods.lsm?.price ?? NaN;
  report.earlyExercisePremium = reference - report.european;
  return report;
}
