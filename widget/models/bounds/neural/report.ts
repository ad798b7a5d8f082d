// The neural dual as a solver of priceBounds: both sides, their progress, and the report (bounds, gaps,
// strategies, training curves, and whether the bounds are proven or estimated).
import type { PayoffName } from '../config.js';
import type { BoundsProgress, ReportConfig, SolverReport } from '../solve.js';
import type { Marginal } from '../marginals.js';
import type { PathPayoff } from '../payoffs.js';
import type { Problem } from '../problem.js';
import { solveNeuralSide, type NeuralSideResult } from './dual.js';

export interface NeuralReport {
  /** true: each bound is the cost of a strategy valid on every path of the grid (rounded); false: estimated. */
  proven: boolean;
  /** The penalised dual's value on fresh paths, per side (currency). */
  penalised: { lower: number; upper: number };
  /** Violations (side * f - portfolio)+ of the networks' own strategy on fresh paths of the product law, per side. */
  violations: { lower: NeuralSideResult['sampled']; upper: NeuralSideResult['sampled'] };
  /** Proven only: the networks' own u and h made valid, before the envelope recomputes h and u_1 (./round.ts). */
  networkBounds: { lower: number; upper: number } | null;
  /** Worst shortfall of each rounded strategy over every path (proven only; <= 0 up to rounding). */
  worst: { lower: number; upper: number } | null;
  iterations: number;
}

export async function solveNeural(
  config: ReportConfig, marginals: Marginal[], f: PathPayoff, p: Problem | null,
  onProgress?: (p: BoundsProgress) => void | Promise<void>,
): Promise<SolverReport> {
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const known: { lower?: number; upper?: number } = {};
  const sides: NeuralSideResult[] = [];
  // priceBounds refuses a custom payoff before this: the kernels compute the payoff by name.
  const keys = { ...config, payoff: config.payoff as PayoffName };
  for (const side of [-1, 1] as const) {
    const name = side < 0 ? 'lower' : 'upper';
    const r = await solveNeuralSide(keys, marginals, f, p, side, (neural) =>
      onProgress?.({ solver: 'neural', side: name, seconds: seconds(), neural, ...known }));
    known[name] = r.value;
    sides.push(r);
  }
  const [lo, up] = sides;
  return {
    solver: 'neural', lower: lo.value, upper: up.value, gap: Math.max(lo.gap, up.gap), seconds: seconds(),
    // A lost device moves a side to WASM (the runtime's Trainer): the engine that finished the upper side.
    backend: up.backend,
    strategies: { lower: lo.strategy, upper: up.strategy },
    training: { lower: lo.curve, upper: up.curve },
    neural: {
      proven: lo.proven && up.proven,
      penalised: { lower: lo.penalised, upper: up.penalised },
      violations: { lower: lo.sampled, upper: up.sampled },
      networkBounds: lo.networkBound !== null && up.networkBound !== null ? { lower: lo.networkBound, upper: up.networkBound } : null,
      worst: lo.worst !== null && up.worst !== null ? { lower: lo.worst, upper: up.worst } : null,
      iterations: config.neuralIterations,
    },
  };
}
