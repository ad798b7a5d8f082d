// the contract's normals for one Lane of paths: Philox is scalar per path, Box-Muller runs on whole
// Lanes. Shared by the hedging engine (market.ts) and the American-option module (american/).
import { LANES, LANE_BYTES, splat, mul, madd } from "./lane";
import { logLane, sinCosLane, sinOut, cosOut, sqrtLane } from "./lane-math";
import { philox, uniform, word0, word1, word2, word3 } from "./philox";

const TWO_PI: f32 = 6.2831855;
const PI: f32 = 3.1415927;

export let normal0: Lane = splat(0);
export let normal1: Lane = splat(0);
export let normal2: Lane = splat(0);
export let normal3: Lane = splat(0);

/** Box-Muller of one block's four uniforms (each a Lane across paths) into normals 4b .. 4b+3. */
@inline function boxMuller(u0: Lane, u1: Lane, u2: Lane, u3: Lane): void {
  const r1 = sqrtLane(mul(splat(-2), logLane(u0)));
  sinCosLane(madd(splat(TWO_PI), u1, splat(-PI)));
  normal0 = mul(r1, cosOut);
  normal1 = mul(r1, sinOut);
  const r2 = sqrtLane(mul(splat(-2), logLane(u2)));
  sinCosLane(madd(splat(TWO_PI), u3, splat(-PI)));
  normal2 = mul(r2, cosOut);
  normal3 = mul(r2, sinOut);
}

/** Stores the four words of the latest `philox` call as the uniforms of lane `lane` in `scratch`. */
@inline export function stageUniforms(scratch: usize, lane: i32): void {
  // Lane-interleaved: word q of lane l at (q * LANES + l).
  const o = scratch + (<usize>lane << 2);
  store<f32>(o, uniform(word0));
  store<f32>(o + LANE_BYTES, uniform(word1));
  store<f32>(o + 2 * LANE_BYTES, uniform(word2));
  store<f32>(o + 3 * LANE_BYTES, uniform(word3));
}

/** Box-Muller of the uniforms staged in `scratch` (4 Lanes) into normal0..normal3. */
@inline export function stagedNormals(scratch: usize): void {
  boxMuller(load<Lane>(scratch), load<Lane>(scratch, LANE_BYTES), load<Lane>(scratch, 2 * LANE_BYTES), load<Lane>(scratch, 3 * LANE_BYTES));
}

/**
 * Normals of block `block` (counter (path, iteration, block, stream), key (lo, hi)) for the Lane of paths
 * starting at `firstPath`, into normal0..normal3. `scratch` holds 4 Lanes for staging the uniforms.
 */
export function blockNormalsAt(
  scratch: usize, firstPath: u32, iteration: u32, block: u32, stream: u32, lo: u32, hi: u32,
): void {
  for (let l = 0; l < LANES; l++) {
    philox(firstPath + <u32>l, iteration, block, stream, lo, hi);
    stageUniforms(scratch, l);
  }
  stagedNormals(scratch);
}
