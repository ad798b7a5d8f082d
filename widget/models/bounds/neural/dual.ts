// The neural dual solver (docs/numerics.md, "Neural dual"): per side, the two networks trained on the
// penalised dual by the runtime's Trainer; then, where the grid of paths fits, the networks' strategy on the
// grid made valid (./round.ts, then the entropic module's c-transform rounding), its holdings and first
// position recomputed exactly for its later positions (concave envelopes), those later positions improved by
// Adam on that exact semi-dual (./round.ts, polishStrategy), and rounded again: a super- (sub-) replication
// whose cost is the reported bound. Where the grid does not fit, the penalised dual's value with
// sampled violation statistics: an estimate whose gap is estimated, not proven.
import type { BackendName } from '../../../runtime/training/engine.js';
import { Trainer } from '../../../runtime/training/trainer.js';
import type { BoundsConfig } from '../config.js';
import { roundStrategy } from '../entropic.js';
import type { Marginal } from '../marginals.js';
import type { PathPayoff } from '../payoffs.js';
import { replicationCheck, type Problem, type Strategy } from '../problem.js';
import { neuralDualModel } from './model.js';
import { envelopeStrategy } from '../envelope.js';
import { coverViolations, polishStrategy } from './round.js';
import { atomPositions, gridStrategy, sampledPenalty, type SampledPenalty } from './network.js';
import { neuralSetup, type NeuralDualConfig } from './setup.js';

/** Paths above which the strategy is not rounded on the grid (the rounding holds 3 f64 per path). */
export const NEURAL_GRID_MAX_CELLS = 4_000_000;
/**
 * AdamW: the learning rate, decayed by LR_DECAY over the run (a fine last phase for the bound). 3e-2 trains
 * faster but now and then collapses a side to the trivial strategy; 1e-2 did not in our runs.
 */
const LR = 1e-2;
const LR_DECAY = 0.05;
/** Iterations between progress reports. */
const PROGRESS_EVERY = 50;
/** Fresh paths (stream 1) the violation statistics are measured on. */
const EVALUATION_PATHS = 16384;

export interface NeuralProgress {
  iteration: number;
  iterations: number;
  /** The penalised dual's value on the iteration's batch (currency): the side's bound it estimates. */
  penalised: number;
}

export interface NeuralSideResult {
  /** The side's bound: the rounded strategy's cost (proven), or the penalised value (estimated). */
  value: number;
  /** The penalised dual on fresh paths (cost + beta E[v^2], currency). */
  penalised: number;
  /** Proven only: the cost of the networks' own u and h made valid (before the envelope), the network's bound. */
  networkBound: number | null;
  /** proven: |value - penalised|; estimated: the mean violation E[v] on fresh paths. */
  gap: number;
  proven: boolean;
  /** The rounded strategy; where the grid does not fit, u_i on the atoms only (h per history would not fit). */
  strategy: Strategy;
  /** Worst shortfall of the rounded strategy over every path (<= 0 up to rounding). */
  worst: number | null;
  sampled: SampledPenalty;
  /** The penalised value per iteration (currency). */
  curve: number[];
  backend: BackendName;
  seconds: number;
}

type NeuralKeys = Pick<BoundsConfig, 'dates' | 'spot' | 'payoff' | 'strike' | 'moneyness' | 'floor' | 'cap' | 'beta' | 'batch' | 'hiddenUnits' | 'neuralIterations' | 'seed' | 'backend'>;

export function neuralEngineConfig(config: NeuralKeys, marginals: Marginal[], f: PathPayoff, side: 1 | -1): NeuralDualConfig {
  return {
    lr: LR, lrDecay: LR_DECAY, lrDecaySteps: config.neuralIterations, weightDecay: 0, seed: config.seed, backend: config.backend, workers: 'auto',
    hidden: config.hiddenUnits, batch: config.batch, beta: config.beta, iterations: config.neuralIterations, side, setup: neuralSetup(config, marginals, f, side),
  };
}

export async function solveNeuralSide(
  config: NeuralKeys, marginals: Marginal[], f: PathPayoff, problem: Problem | null, side: 1 | -1,
  onProgress?: (p: NeuralProgress) => void | Promise<void>,
): Promise<NeuralSideResult> {
  const start = performance.now();
  const engineConfig = neuralEngineConfig(config, marginals, f, side);
  const s = engineConfig.setup;
  const trainer = new Trainer(await neuralDualModel.createEngine(engineConfig), neuralDualModel, engineConfig);
  const curve: number[] = [];
  let params: Float32Array;
  let backend: BackendName;
  try {
    for (let done = 0; done < config.neuralIterations;) {
      const n = Math.min(PROGRESS_EVERY, config.neuralIterations - done);
      const p = await trainer.step(n);
      done += n;
      await onProgress?.({ iteration: done, iterations: config.neuralIterations, penalised: p.price });
    }
    for (const loss of trainer.losses) curve.push(side * s.payoffScale * loss);
    backend = trainer.backend;
    params = (await trainer.evaluate()).params;
  } finally {
    trainer.dispose();
  }
  const sampled = sampledPenalty(s, marginals, f, params, config.hiddenUnits, side, config.seed, EVALUATION_PATHS);
  const penalised = side * (sampled.cost + (config.beta * sampled.meanSquare) / s.payoffScale);
  const seconds = () => (performance.now() - start) / 1000;
  if (!problem) {
    const strategy = { u: atomPositions(s, marginals, params, config.hiddenUnits, side), h: [] };
    return { value: penalised, penalised, gap: sampled.meanViolation, proven: false, networkBound: null, strategy, worst: null, sampled, curve, backend, seconds: seconds() };
  }
  const grid = gridStrategy(problem, s, params, config.hiddenUnits, side);
  const rounded0 = roundStrategy(problem, side, coverViolations(problem, grid, side));
  // The holdings and u_1 made exact for the networks' u_2..u_n: never dearer (more envelope passes do not help).
  const enveloped = roundStrategy(problem, side, envelopeStrategy(problem, rounded0.strategy, side));
  const best = side * enveloped.bound <= side * rounded0.bound ? enveloped : rounded0;
  // Then the later positions improved on the exact semi-dual from the networks' start (never dearer).
  const polished = roundStrategy(problem, side, polishStrategy(problem, best.strategy, side, s.payoffScale));
  const rounded = side * polished.bound <= side * best.bound ? polished : best;
  const { worst } = replicationCheck(problem, rounded.strategy, side);
  return {
    value: rounded.bound, penalised, gap: Math.abs(rounded.bound - penalised), proven: true, networkBound: rounded0.bound, strategy: rounded.strategy, worst,
    sampled, curve, backend, seconds: seconds(),
  };
}
