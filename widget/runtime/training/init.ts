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
