// AdamW (decoupled weight decay) with the seed's learning-rate decay lr * lrDecay^(step / lrDecaySteps).

export interface AdamWSettings {
  lr: number;
  lrDecay: number;
  lrDecaySteps: number;
  weightDecay: number;
}

export interface AdamWState {
  m: Float32Array;
  v: Float32Array;
  /** Optimiser steps taken so far. */
  step: number;
}

/** The optimiser's constants, here once for every engine (the WGSL kernels get them through wgsl.ts). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

/** The bias corrections 1 - beta^step of optimiser step `step` (counted from 1). */
export function biasCorrections(step: number): [number, number] {
  return [1 - Math.pow(ADAM_BETA1, step), 1 - Math.pow(ADAM_BETA2, step)];
}

export function newAdamWState(count: number): AdamWState {
  return { m: new Float32Array(count), v: new Float32Array(count), step: 0 };
}

export function learningRate(s: AdamWSettings, step: number): number {
  return s.lr * Math.pow(s.lrDecay, step / s.lrDecaySteps);
}

/** What a GPU kernel needs of optimiser step `step` (from 0): lr, both bias corrections, the decay factor. */
export function adamWSchedule(s: AdamWSettings & { weightDecay: number }, step: number): [number, number, number, number] {
  const lr = learningRate(s, step);
  return [lr, ...biasCorrections(step + 1), 1 - lr * s.weightDecay];
}

/**
 * One AdamW step in place. Parameters whose `decays` entry is 0 skip weight decay (the premium is a
 * price, not a weight); a parameter whose gradient is always 0 and starts at 0 stays at 0.
 */
export function adamWStep(
  s: AdamWSettings, state: AdamWState, params: Float32Array, grad: ArrayLike<number>, decays?: Uint8Array,
): void {
  const lr = learningRate(s, state.step);
  state.step += 1;
  const [c1, c2] = biasCorrections(state.step);
  const { m, v } = state;
  const decay = 1 - lr * s.weightDecay;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i];
    m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * g;
    v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * g * g;
    const keep = decays && decays[i] === 0 ? 1 : decay;
    params[i] = params[i] * keep - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + ADAM_EPS);
  }
}
