// Geometric Brownian motion paths from Philox normals (docs/numerics.md), one Lane of paths at a time.
import { LANES, LANE_BYTES, splat, mul, madd } from "../core/lane";
import { expLane } from "../core/lane-math";
import { blockNormalsAt, normal0, normal1, normal2, normal3 } from "../core/normals";
import { groups, steps, spotPtr, pathOffset, seedLo, seedHi, driftDt, volSqrtDt, scratchPtr } from "./state";

/** Normals of block `block` for the Lane of paths starting at `firstPath`. */
@inline function blockNormals(firstPath: u32, iteration: u32, block: u32, stream: u32): void {
  blockNormalsAt(scratchPtr, firstPath, iteration, block, stream, seedLo, seedHi);
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
