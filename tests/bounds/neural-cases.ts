// The small neural-dual problems the engine tests share (WASM against the f64 reference, WebGPU against WASM).
import { neuralEngineConfig } from '../../widget/models/bounds/neural/dual.js';
import { betaAt, cumulativeMasses, type NeuralDualConfig } from '../../widget/models/bounds/neural/setup.js';
import { prepareBounds } from '../../widget/models/bounds/solve.js';
import type { DualProblem } from '../reference/neural-dual-f64.js';

/** Small problems: hidden 8, an odd batch split over two shards; every payoff kind the kernels compute. */
export const GRADIENT_CASES = [
  { name: 'forward-start, 2 dates', input: { payoff: 'forward-start', dates: [0.5, 1], treeSteps: 40 } },
  { name: 'asian, 3 dates', input: { payoff: 'asian', strike: 100, dates: [1 / 3, 2 / 3, 1], treeSteps: 30 } },
  { name: 'lookback, 5 dates', input: { payoff: 'lookback', dates: [0.2, 0.4, 0.6, 0.8, 1], treeSteps: 20 } },
  { name: 'cliquet, 4 dates (lognormal)', input: { payoff: 'cliquet', marginals: 'lognormal', gridSize: 25, dates: [0.25, 0.5, 0.75, 1] } },
] as const;

export function smallDual(input: Record<string, unknown>, side: 1 | -1): { config: NeuralDualConfig; problem: (iteration: number) => DualProblem } {
  const { config: c, marginals, f } = prepareBounds({ ...input, hiddenUnits: 8, batch: 301, beta: 50, seed: 5, neuralIterations: 100, backend: 'wasm' } as never);
  const config = { ...neuralEngineConfig(c as never, marginals, f, side), workers: 2 as const };
  const problem = (iteration: number): DualProblem => ({
    marginals, dates: c.dates, f, spot: c.spot, hidden: 8, beta: betaAt(config.beta, iteration, config.iterations), side, paths: 301, seed: 5, iteration,
    payoffScale: config.setup.payoffScale, cdfs: cumulativeMasses(marginals),
  });
  return { config, problem };
}

