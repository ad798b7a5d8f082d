// Seeded initial weights shared by every model's network (docs/numerics.md, Deep hedging, "settled by the first
// implementation"): parameter j draws the first word of Philox counter (j, 0, 0, stream 2).
import { philox4x32, seedKey, uniformOf, Stream } from '../../shared/philox.js';

/** He-uniform limit for a ReLU layer with `fanIn` inputs. */
export const heLimit = (fanIn: number): number => Math.sqrt(6 / fanIn);
/** Glorot-uniform limit for a layer with `fanIn` inputs and `fanOut` outputs. */
export const glorotLimit = (fanIn: number, fanOut: number): number => Math.sqrt(6 / (fanIn + fanOut));

/** Parameters [from, to) of `out` uniform on (-limit, limit) from the run's seed; the others are left alone. */
export function seededUniform(out: Float32Array, from: number, to: number, limit: number, seed: number): void {
  const [k0, k1] = seedKey(seed);
  for (let j = from; j < to; j++) {
    const u = uniformOf(philox4x32(j, 0, 0, Stream.Other, k0, k1)[0]);
    out[j] = (2 * u - 1) * limit;
  }
}

/**
 * Flat parameter layout (floats) of the MLP every model's network is, Dense(inputs->H) ReLU, Dense(H->H)
 * ReLU, Dense(H->1): W1 [H][inputs], b1 [H], W2 [H][H] (row = output unit), b2 [H], W3 [H], b3. A model may
 * append parameters of its own after `count`.
 */
export interface MlpLayout {
  hidden: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  w3: number;
  b3: number;
  count: number;
}

export function mlpLayout(inputs: number, hidden: number): MlpLayout {
  const H = hidden;
  const b1 = inputs * H;
  const w2 = b1 + H;
  const b2 = w2 + H * H;
  const w3 = b2 + H;
  const b3 = w3 + H;
  return { hidden: H, w1: 0, b1, w2, b2, w3, b3, count: b3 + 1 };
}

/** The MLP's seeded weights in `out`: He-uniform for the ReLU layers, Glorot-uniform for the output, zero biases. */
export function seedMlp(out: Float32Array, L: MlpLayout, inputs: number, seed: number): void {
  seededUniform(out, L.w1, L.b1, heLimit(inputs), seed);
  seededUniform(out, L.w2, L.b2, heLimit(L.hidden), seed);
  seededUniform(out, L.w3, L.b3, glorotLimit(L.hidden, 1), seed);
}
