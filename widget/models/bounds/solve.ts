// priceBounds: the model-free bounds of an exotic (docs/numerics.md) from a validated configuration, by the
// exact LP, the entropic solver, or both, with the model's own price where the marginals come from a model.
import type { BackendName } from '../../runtime/training/engine.js';
import { ConfigError, type ConfigProblem } from '../../shared/config-schema.js';
import { BOUNDS_SPEC, PAYOFF_NAMES, resolveBoundsConfig, type BoundsConfig } from './config.js';
import type { DecompositionProgress } from './decomposition.js';
import { ENTROPIC_MAX_CELLS, solveEntropic, type EntropicProgress } from './entropic.js';
import type { solveLp } from './lp.js';
import {
  binomialMarginals, crr, logBinomial, lognormalMarginals, quotesMarginals, treeStepsOf, type CallQuote, type Marginal, type Repair,
} from './marginals.js';
import { namedPayoff, type PathPayoff } from './payoffs.js';
import type { NeuralProgress } from './neural/dual.js';
import type { NeuralReport, solveNeural } from './neural/report.js';
import { buildProblem, forEachPath, type Problem, type Strategy } from './problem.js';

/**
 * lp: exact (interior point + crossover); interior: interior point alone, duals rounded to a valid strategy;
 * decomposition: the same LP by Dantzig-Wolfe over martingale trees, without HiGHS; neural: the neural dual
 * (registered by ./neural-register.ts), not part of 'all'.
 */
export type BoundsSolver = 'lp' | 'interior' | 'decomposition' | 'entropic' | 'neural';
export const BOUNDS_SOLVERS: readonly BoundsSolver[] = ['lp', 'entropic', 'interior', 'decomposition'];
export type SolverChoice = BoundsSolver | 'all';

export interface BoundsInput extends Partial<Omit<BoundsConfig, 'payoff' | 'dates'>> {
  /** A payoff by name, or (API) any function of the path (X_1..X_n). */
  payoff?: BoundsConfig['payoff'] | PathPayoff;
  dates?: readonly number[];
  /** Call quotes, one per (maturity, strike); implies marginals 'quotes'. */
  quotes?: readonly CallQuote[];
}

export interface BoundsProgress {
  solver: BoundsSolver;
  side: 'lower' | 'upper';
  seconds: number;
  /** Entropic only: the sweep's epsilon and violations, and at a stage's end its rounded bound. */
  entropic?: EntropicProgress;
  /** Neural only: the training's iteration and the side's penalised dual value. */
  neural?: NeuralProgress;
  /** Decomposition only: the steps so far, the best bound and the master's estimate of the optimum. */
  decomposition?: DecompositionProgress;
  /** Bounds known so far (from finished sides or stages). */
  lower?: number;
  upper?: number;
}

export interface SolverReport {
  solver: BoundsSolver;
  lower: number;
  upper: number;
  /** Duality gap: the largest over both sides of |dual cost - primal value|. */
  gap: number;
  seconds: number;
  /** Entropic: the engine of its sweeps (wasm, or webgpu in f32 with the rounding in f64); neural: of its training. */
  backend?: BackendName;
  /** Entropic, interior and decomposition: E[f] under their plans; entropic: their violations; decomposition: its plan's distance to the marginals (marginal), its martingale rows holding by construction. */
  primal?: { lower: number; upper: number };
  violations?: { marginal: number; martingale: number };
  /** Each side's strategy: u_i on the atoms of mu_i, h_i per history (sub-replicating for lower). */
  strategies: { lower: Strategy; upper: Strategy };
  /** Two dates: the optimal couplings as matrices [atom of X_1][atom of X_2]. */
  couplings?: { lower: number[][]; upper: number[][] };
  /** Neural: each side's penalised dual value per training iteration (currency), for charts. */
  training?: { lower: number[]; upper: number[] };
  /** Neural: whether the bounds are proven (rounded on the grid) or estimated, and the sampled penalty. */
  neural?: NeuralReport;
}

export interface BoundsReport extends SolverReport {
  solvers?: Partial<Record<BoundsSolver, SolverReport>>;
  modelPrice: number | null;
  /** Whether the model's price lies in [lower, upper] (null without a model). */
  modelInside: boolean | null;
  marginals: Marginal[];
  repairs: Repair[];
  config: ReportConfig;
}

/** The resolved configuration as reported: a payoff given as a function is named 'custom'. */
export type ReportConfig = Omit<BoundsConfig, 'payoff'> & { payoff: BoundsConfig['payoff'] | 'custom' };

export interface PriceBoundsOptions {
  solver?: SolverChoice;
  /** Called after every entropic sweep; a returned promise is awaited before the next (a caller giving turns). */
  onProgress?: (p: BoundsProgress) => void | Promise<void>;
}

/** The key that sets the problem's size, for messages when it is too large. */
function sizeKey(c: ReportConfig): keyof BoundsConfig | 'quotes' {
  return c.marginals === 'binomial' ? 'treeSteps' : c.marginals === 'lognormal' ? 'gridSize' : 'quotes';
}

/** Validates the input (schema, payoff parameters, quotes) and builds the marginals. */
export function prepareBounds(input: BoundsInput = {}): { config: BoundsReport['config']; marginals: Marginal[]; repairs: Repair[]; f: PathPayoff } {
  const { payoff, quotes, ...rest } = input as BoundsInput & Record<string, unknown>;
  const custom = typeof payoff === 'function';
  const raw: Record<string, unknown> = { ...rest };
  if (!custom && payoff !== undefined) raw.payoff = payoff;
  if (quotes !== undefined && raw.marginals === undefined) raw.marginals = 'quotes';
  let config: BoundsConfig;
  const problems: ConfigProblem[] = [];
  try {
    config = resolveBoundsConfig(raw);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError([...e.problems], 'cher-hedger bounds configuration');
  }
  let marginals: Marginal[];
  let repairs: Repair[] = [];
  if (config.marginals === 'quotes') {
    if (!Array.isArray(quotes) || quotes.length === 0) {
      throw new ConfigError([{ key: 'quotes', value: quotes, allowed: 'call quotes {maturity, strike, call} for at least two maturities (marginals = quotes)' }], 'cher-hedger bounds configuration');
    }
    const result = quotesMarginals(quotes, config.spot, config.repairTolerance);
    repairs = result.repairs;
    marginals = result.marginals;
    if (input.dates !== undefined) {
      const missing = config.dates.filter((t) => !marginals.some((m) => m.date === t));
      if (missing.length > 0) problems.push({ key: 'dates', value: config.dates, allowed: `dates with quotes: ${marginals.map((m) => m.date).join(', ')} (none for ${missing.join(', ')})` });
      marginals = marginals.filter((m) => config.dates.includes(m.date));
    }
    config = { ...config, dates: marginals.map((m) => m.date) };
  } else {
    if (quotes !== undefined) problems.push({ key: 'quotes', value: '(array)', allowed: `only with marginals = quotes (marginals is ${config.marginals})` });
    marginals = config.marginals === 'binomial' ? binomialMarginals(config) : lognormalMarginals(config);
  }
  if (config.marginals === 'binomial') {
    const steps = treeStepsOf(config.dates, config.treeSteps);
    const first = steps.findIndex((s, i) => s < 1 || (i > 0 && s === steps[i - 1]));
    if (first >= 0) problems.push({ key: 'treeSteps', value: config.treeSteps, allowed: `enough steps that every date falls on its own tree step (date ${config.dates[first]} falls on step ${steps[first]})` });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'cher-hedger bounds configuration');
  const f = custom ? (payoff as PathPayoff) : namedPayoff(config.payoff, config);
  return { config: { ...config, payoff: custom ? 'custom' : config.payoff }, marginals, repairs, f };
}

/** Paths of the problem (the LP's columns), before anything is allocated. */
export function pathCount(marginals: Marginal[]): number {
  return marginals.reduce((s, m) => s * m.atoms.length, 1);
}

function checkSize(config: ReportConfig, cells: number, limit: number, what: string): void {
  if (cells > limit) {
    const key = sizeKey(config);
    throw new ConfigError([{
      key, value: key === 'quotes' ? '(quotes)' : config[key as keyof ReportConfig],
      allowed: `small enough for ${what}: ${config.dates.length} dates give ${cells.toLocaleString('en-US')} paths, at most ${limit.toLocaleString('en-US')} fit in memory (fewer ${key === 'treeSteps' ? 'tree steps' : key === 'gridSize' ? 'grid points' : 'strikes'} or dates)`,
    }], 'cher-hedger bounds configuration');
  }
}

/** The price of f under the marginals' own model: the tree's path law, or Black-Scholes by quadrature. */
export function modelPrice(config: ReportConfig, marginals: Marginal[], p: Problem): number | null {
  if (config.marginals === 'binomial') {
    const tree = crr(config.spot, config.volatility, config.dates[config.dates.length - 1], config.treeSteps);
    const steps = treeStepsOf(config.dates, config.treeSteps);
    const first = logBinomial(steps[0], tree.p);
    const moves = steps.slice(1).map((s, i) => logBinomial(s - steps[i], tree.p));
    let price = 0;
    forEachPath(marginals, (_x, index, k) => {
      let lw = first[k[0]];
      for (let i = 1; i < k.length; i++) {
        const up = k[i] - k[i - 1];
        if (up < 0 || up >= moves[i - 1].length) return;
        lw += moves[i - 1][up];
      }
      price += Math.exp(lw) * p.payoff[index];
    });
    return price;
  }
  if (config.marginals === 'lognormal') return blackScholesPathPrice(config, p);
  return null;
}

/** Z-grid half-width and the budget of quadrature points over all dimensions. */
const QUADRATURE_WIDTH = 8;
const QUADRATURE_POINTS = 2_000_000;

/** E[f(X_1..X_n)] under Black-Scholes, by a tensor grid on the Brownian increments (trapezoid, normal weights). */
function blackScholesPathPrice(config: ReportConfig, p: Problem): number {
  const f = (p as Problem & { f?: PathPayoff }).f!;
  const n = config.dates.length;
  const m = Math.max(8, Math.min(400, Math.floor(QUADRATURE_POINTS ** (1 / n))));
  const z = Float64Array.from({ length: m }, (_, j) => -QUADRATURE_WIDTH + (2 * QUADRATURE_WIDTH * j) / (m - 1));
  const wz = Float64Array.from(z, (v) => Math.exp(-0.5 * v * v));
  const total = wz.reduce((s, v) => s + v, 0);
  for (let j = 0; j < m; j++) wz[j] /= total;
  const k = new Int32Array(n);
  const x = new Float64Array(n);
  const s = config.volatility;
  let price = 0;
  for (;;) {
    let logX = Math.log(config.spot);
    let w = 1;
    let t0 = 0;
    for (let i = 0; i < n; i++) {
      const dt = config.dates[i] - t0;
      logX += s * Math.sqrt(dt) * z[k[i]] - 0.5 * s * s * dt;
      x[i] = Math.exp(logX);
      w *= wz[k[i]];
      t0 = config.dates[i];
    }
    price += w * f(x);
    let i = n - 1;
    while (i >= 0 && ++k[i] === m) k[i--] = 0;
    if (i < 0) return price;
  }
}

function couplingMatrix(p: Problem, coupling: Float64Array): number[][] {
  const [n1, n2] = p.sizes;
  return Array.from({ length: n1 }, (_, a) => Array.from(coupling.subarray(a * n2, (a + 1) * n2)));
}

async function runSolver(solver: BoundsSolver, config: ReportConfig, p: Problem, onProgress?: PriceBoundsOptions['onProgress']): Promise<SolverReport> {
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const twoDates = p.sizes.length === 2;
  if (solver === 'lp' || solver === 'interior' || solver === 'decomposition') {
    const lpSolver = lpSolverOf(solver);
    checkSize(config, p.cells, lpSolver.maxCells, 'the exact LP');
    onProgress?.({ solver, side: 'lower', seconds: 0 });
    const sides = await lpSolver.solve(p, [-1, 1], solver === 'lp' ? 'exact' : solver, (e) =>
      void onProgress?.({ solver, side: e.side < 0 ? 'lower' : 'upper', seconds: seconds(), decomposition: e, [e.side < 0 ? 'lower' : 'upper']: e.bound }));
    const lo = sides.get(-1)!;
    const up = sides.get(1)!;
    onProgress?.({ solver, side: 'upper', seconds: seconds(), lower: lo.value, upper: up.value });
    return {
      solver, lower: lo.value, upper: up.value, gap: Math.max(Math.abs(lo.gap), Math.abs(up.gap)), seconds: seconds(),
      ...(solver === 'lp' ? {} : { primal: { lower: lo.primal, upper: up.primal } }),
      ...(solver === 'decomposition' ? { violations: { marginal: Math.max(lo.marginalViolation!, up.marginalViolation!), martingale: 0 } } : {}),
      strategies: { lower: lo.strategy, upper: up.strategy },
      ...(twoDates ? { couplings: { lower: couplingMatrix(p, lo.coupling), upper: couplingMatrix(p, up.coupling) } } : {}),
    };
  }
  checkSize(config, p.cells, ENTROPIC_MAX_CELLS, 'the entropic solver');
  const known: { lower?: number; upper?: number } = {};
  const sides = [];
  for (const side of [-1, 1] as const) {
    const name = side < 0 ? 'lower' : 'upper';
    const r = await solveEntropic(p, side, config.epsilon, (e) => {
      if (e.bound !== undefined) known[name] = e.bound;
      return onProgress?.({ solver, side: name, seconds: seconds(), entropic: e, ...known });
    }, config.backend);
    known[name] = r.value;
    sides.push(r);
  }
  const [lo, up] = sides;
  return {
    solver, lower: lo.value, upper: up.value, gap: Math.max(Math.abs(lo.gap), Math.abs(up.gap)), seconds: seconds(),
    backend: lo.backend === up.backend ? up.backend : 'wasm',
    primal: { lower: lo.primal, upper: up.primal },
    violations: { marginal: Math.max(lo.marginalError, up.marginalError), martingale: Math.max(lo.martingaleError, up.martingaleError) },
    strategies: { lower: lo.strategy, upper: up.strategy },
    ...(twoDates ? { couplings: { lower: couplingMatrix(p, lo.coupling), upper: couplingMatrix(p, up.coupling) } } : {}),
  };
}

/**
 * The lowest and highest price of the exotic over every martingale coupling of the marginals. Throws a
 * ConfigError naming the key for bad input (including quotes with arbitrage and problems too large).
 */
/**
 * The exact LP and the interior method (HiGHS), registered by ./lp-register.ts: the headless API's entry
 * (./index.ts) loads them; the page's worker, which runs only the entropic solver, leaves them out.
 */
let lpSolver: { solve: typeof solveLp; maxCells: number } | null = null;

export function registerLpSolver(solver: { solve: typeof solveLp; maxCells: number }): void {
  lpSolver = solver;
}

function lpSolverOf(solver: BoundsSolver): { solve: typeof solveLp; maxCells: number } {
  if (lpSolver) return lpSolver;
  throw new ConfigError(
    [{ key: 'solver', value: solver, allowed: 'entropic here: this bundle leaves out the LP solvers (the headless API has them)' }],
    'cher-hedger bounds options',
  );
}

/** The neural dual, registered by ./neural-register.ts (the headless API's entry), like the LP. */
let neuralSolver: { solve: typeof solveNeural; gridMaxCells: number } | null = null;

export function registerNeuralSolver(solver: { solve: typeof solveNeural; gridMaxCells: number }): void {
  neuralSolver = solver;
}

function neuralSolverOf(): { solve: typeof solveNeural; gridMaxCells: number } {
  if (neuralSolver) return neuralSolver;
  throw new ConfigError(
    [{ key: 'solver', value: 'neural', allowed: 'entropic here: this bundle leaves out the neural dual (the headless API has it)' }],
    'cher-hedger bounds options',
  );
}

export async function priceBounds(input: BoundsInput = {}, options: PriceBoundsOptions = {}): Promise<BoundsReport> {
  const { config, marginals, repairs, f } = prepareBounds(input);
  const choice = options.solver ?? 'lp';
  if (!([...BOUNDS_SOLVERS, 'neural', 'all'] as string[]).includes(choice)) {
    throw new ConfigError([{ key: 'solver', value: choice, allowed: 'one of lp, entropic, all, interior, decomposition, neural' }], 'cher-hedger bounds options');
  }
  const chosen = choice === 'all' ? BOUNDS_SOLVERS : [choice];
  const cells = pathCount(marginals);
  // Refuse before allocating anything path-sized.
  for (const s of chosen) {
    if (s === 'entropic') checkSize(config, cells, ENTROPIC_MAX_CELLS, 'the entropic solver');
    else if (s === 'neural') {
      neuralSolverOf();
      if (config.payoff === 'custom') throw new ConfigError([{ key: 'payoff', value: 'custom', allowed: `a payoff by name for the neural dual (its kernels compute it): ${PAYOFF_NAMES.join(', ')}` }], 'cher-hedger bounds configuration');
    } else checkSize(config, cells, lpSolverOf(s).maxCells, 'the exact LP');
  }
  // The neural dual samples paths: it needs the grid only to round its strategy, where the grid fits.
  const gridFits = choice !== 'neural' || cells <= neuralSolverOf().gridMaxCells;
  const p = gridFits ? Object.assign(buildProblem(marginals, f), { f }) : null;
  const price = p ? modelPrice(config, marginals, p) : null;
  const solvers: Partial<Record<BoundsSolver, SolverReport>> = {};
  for (const s of chosen) {
    solvers[s] = s === 'neural' ? await neuralSolverOf().solve(config, marginals, f, p, options.onProgress) : await runSolver(s, config, p!, options.onProgress);
  }
  const main = solvers.lp ?? solvers.interior ?? solvers.decomposition ?? solvers.entropic ?? solvers.neural!;
  // Rounding slack for "inside": the solvers' own tolerance, not the width of the interval.
  const slack = 1e-9 * (1 + Math.abs(main.upper));
  return {
    ...main,
    ...(choice === 'all' ? { solvers } : {}),
    modelPrice: price,
    modelInside: price === null ? null : Object.values(solvers).every((r) => r!.lower - slack <= price && price <= r!.upper + slack),
    marginals, repairs, config,
  };
}

export { resolveBoundsConfig, BOUNDS_SPEC };
export { parseQuotesCsv, quotesFromMarginals, callPrices, QuoteError } from './marginals.js';
export { replicationCheck } from './problem.js';
export type { BoundsConfig, CallQuote, Marginal, Repair, Strategy, PathPayoff };
