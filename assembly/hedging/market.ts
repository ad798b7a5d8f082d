// Geometric Brownian motion paths from Philox normals (SPEC section 1), one Lane of paths at a time:
// Philox is scalar per path, the Box-Muller and exp arithmetic runs on whole Lanes.
import { LANES, LANE_BYTES, splat, mul, madd } from "../core/lane";
import { logLane, sinCosLane, sinOut, cosOut, sqrtLane, expLane } from "../core/lane-math";
import { philox, uniform, word0, word1, word2, word3 } from "../core/philox";
import { groups, steps, spotPtr, pathOffset, seedLo, seedHi, driftDt, volSqrtDt, scratchPtr } from "./state";

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

/** Normals of block `block` for the Lane of paths starting at `firstPath`. */
function blockNormals(firstPath: u32, iteration: u32, block: u32, stream: u32): void {
  // Uniforms staged lane-interleaved in scratch: word q of lane l at (q * LANES + l).
  const at = scratchPtr;
  for (let l = 0; l < LANES; l++) {
    philox(firstPath + <u32>l, iteration, block, stream, seedLo, seedHi);
    const o = at + (<usize>l << 2);
    store<f32>(o, uniform(word0));
    store<f32>(o + LANE_BYTES, uniform(word1));
    store<f32>(o + 2 * LANE_BYTES, uniform(word2));
    store<f32>(o + 3 * LANE_BYTES, uniform(word3));
  }
  boxMuller(load<Lane>(at), load<Lane>(at, LANE_BYTES), load<Lane>(at, 2 * LANE_BYTES), load<Lane>(at, 3 * LANE_BYTES));
}

/** Fills the spot buffer: S[0] = 1 and N GBM steps for every local path. */
export function simulate(iteration: u32, stream: u32): void {
  const N = steps;
  const drift = splat(driftDt);
  const vol = splat(volSqrtDt);
  for (let g = 0; g < groups; g++) {
    let at = spotPtr + <usize>(g * (N + 1)) * LANE_BYTES;
    let s = splat(1);
    store<Lane>(at, s);
    const firstPath = pathOffset + <u32>(g * LANES);
    for (let k = 0; k < N; k += 4) {
      blockNormals(firstPath, iteration, <u32>(k >> 2), stream);
      s = mul(s, expLane(madd(vol, normal0, drift))); at += LANE_BYTES; store<Lane>(at, s);
      if (k + 1 >= N) break;
      s = mul(s, expLane(madd(vol, normal1, drift))); at += LANE_BYTES; store<Lane>(at, s);
      if (k + 2 >= N) break;
      s = mul(s, expLane(madd(vol, normal2, drift))); at += LANE_BYTES; store<Lane>(at, s);
      if (k + 3 >= N) break;
      s = mul(s, expLane(madd(vol, normal3, drift))); at += LANE_BYTES; store<Lane>(at, s);
    }
  }
}

/** Test probe: the first `count` (<= 1024) normals of one path (lane 0 of its Lane), into scratch + 64. */
export function normalsProbe(path: u32, iteration: u32, stream: u32, count: i32): void {
  const out = scratchPtr + 64;
  for (let b = 0; b * 4 < count; b++) {
    blockNormals(path, iteration, <u32>b, stream);
    const o = out + (<usize>b << 4);
    store<f32>(o, laneZero(normal0)); store<f32>(o, laneZero(normal1), 4);
    store<f32>(o, laneZero(normal2), 8); store<f32>(o, laneZero(normal3), 12);
  }
}

@inline function laneZero(x: Lane): f32 {
  if (isVector<Lane>()) return f32x4.extract_lane(x, 0); else return x;
}
