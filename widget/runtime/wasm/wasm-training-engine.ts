// The WASM side of the training runtime: weights and AdamW state on the host, in f32, with the update in
// f64 arithmetic; a model supplies only its gradient passes (its WASM operations on the pool's shards)
// and its evaluation. One class for every model, so snapshots, the optimiser and its schedule live once.
import { adamWStep, newAdamWState, type AdamWSettings, type AdamWState } from '../training/adamw.js';
import {
  checkSnapshot, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from '../training/engine.js';

/** What a model computes on WASM each iteration, and how it evaluates. */
export interface GradientPasses<Report> {
  /** Threads the passes run on (this thread plus pool threads). */
  readonly workers: number;
  /** The WASM build, for status lines ("simd" or "scalar"). */
  readonly detail: string;
  /** Optimiser steps per iteration, one per gradient block (e.g. one per depth for per-depth BPTT). */
  readonly blocks: number;
  /**
   * Loss, price and gradient at `params` on the paths of `iteration`: `grad` holds `blocks` blocks of
   * one value per parameter, block-major.
   */
  gradient(params: Float32Array, iteration: number, grad: Float64Array): Promise<IterationResult>;
  evaluate(params: Float32Array, iteration: number): Promise<Report>;
  dispose(): void;
}

export interface NetworkParameters {
  /** Initial values. */
  initial: Float32Array;
  /** 1 where weight decay applies, 0 where it does not (prices, e.g. a learned premium). */
  decays: Uint8Array;
  /** The network's shape in words, for error messages ("hidden = 16"). */
  shape: string;
}

export class WasmTrainingEngine<Config extends AdamWSettings, Report> implements TrainingEngine<Config, Report> {
  readonly backend = 'wasm' as const;
  readonly workers: number;
  readonly detail: string;
  protected params: Float32Array;
  private adam: AdamWState;
  private readonly decays: Uint8Array;
  private readonly shape: string;
  private readonly grad: Float64Array;
  private iterationCount = 0;

  constructor(readonly config: Config, protected readonly passes: GradientPasses<Report>, network: NetworkParameters) {
    this.workers = passes.workers;
    this.detail = passes.detail;
    this.params = Float32Array.from(network.initial);
    this.decays = network.decays;
    this.shape = network.shape;
    this.adam = newAdamWState(this.params.length);
    this.grad = new Float64Array(passes.blocks * this.params.length);
  }

  get iteration(): number {
    return this.iterationCount;
  }

  async train(iterations: number): Promise<TrainResult> {
    const history: IterationResult[] = [];
    for (let i = 0; i < iterations; i++) {
      const r = await this.iterate();
      history.push(r);
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.price)) break;
    }
    return { ...history[history.length - 1], history };
  }

  /** One iteration: fresh paths, the gradient over the whole batch, then one AdamW step per block. */
  private async iterate(): Promise<IterationResult> {
    const result = await this.passes.gradient(this.params, this.iterationCount, this.grad);
    const P = this.params.length;
    for (let b = 0; b < this.passes.blocks; b++) {
      adamWStep(this.config, this.adam, this.params, this.grad.subarray(b * P, (b + 1) * P), this.decays);
    }
    this.iterationCount++;
    return result;
  }

  /**
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser step:
   * one Float64Array block of parameter gradients per block. For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; grad: Float64Array }> {
    const { loss } = await this.passes.gradient(this.params, iteration, this.grad);
    return { loss, grad: this.grad.slice() };
  }

  /** The current parameters (a copy). */
  parameters(): Float32Array {
    return this.params.slice();
  }

  evaluate(): Promise<Report> {
    return this.passes.evaluate(this.params, this.iterationCount);
  }

  snapshot(): TrainerSnapshot {
    return {
      params: this.params.slice(),
      m: this.adam.m.slice(),
      v: this.adam.v.slice(),
      optimizerStep: this.adam.step,
      iteration: this.iterationCount,
    };
  }

  restore(s: TrainerSnapshot): void {
    checkSnapshot(s, this.params.length, this.shape);
    this.params = Float32Array.from(s.params);
    this.adam = { m: Float32Array.from(s.m), v: Float32Array.from(s.v), step: s.optimizerStep };
    this.iterationCount = s.iteration;
  }

  dispose(): void {
    this.passes.dispose();
  }
}
