// the contract's Philox GBM paths with drift r - q, one Lane of paths at a time: shared by least-squares
// Monte Carlo (lsm.ts) and the value network (value-network.ts). Whichever method runs configures them.
import { LANES, LANE_BYTES, splat, mul, madd } from "../core/lane";
import { expLane } from "../core/lane-math";
import { blockNormalsAt, normal0, normal1, normal2, normal3 } from "../core/normals";

let dates: i32 = 0;
let seedLo: u32 = 0;
let seedHi: u32 = 0;
let spot0: f32 = 0;
let driftDt: f32 = 0;   // (r - q - sigma^2/2) dt
let volSqrtDt: f32 = 0; // sigma sqrt(dt)
let scratch: usize = 0; // 4 Lanes: staged uniforms

/** The grid (M dates of dt each), key and spot the paths start from; `staging` holds 4 Lanes. */
export function configurePaths(m: i32, lo: u32, hi: u32, s0: f64, drift: f32, vol: f32, staging: usize): void {
  dates = m; seedLo = lo; seedHi = hi; spot0 = <f32>s0; driftDt = drift; volSqrtDt = vol; scratch = staging;
}

/**
 * Spots at dates 1..M of the Lane of paths from `firstPath` (counter (path, iteration, k >> 2, stream)),
 * date m at `dst + (m - 1) * stride`.
 */
export function groupPath(firstPath: u32, iteration: u32, stream: u32, dst: usize, stride: usize): void {
  const M = dates;
  const drift = splat(driftDt);
  const vol = splat(volSqrtDt);
  let s = splat(spot0);
  let at = dst;
  for (let k = 0; k < M; k += 4) {
    blockNormalsAt(scratch, firstPath, iteration, <u32>(k >> 2), stream, seedLo, seedHi);
    s = mul(s, expLane(madd(vol, normal0, drift))); store<Lane>(at, s); at += stride;
    if (k + 1 >= M) break;
    s = mul(s, expLane(madd(vol, normal1, drift))); store<Lane>(at, s); at += stride;
    if (k + 2 >= M) break;
    s = mul(s, expLane(madd(vol, normal2, drift))); store<Lane>(at, s); at += stride;
    if (k + 3 >= M) break;
    s = mul(s, expLane(madd(vol, normal3, drift))); store<Lane>(at, s); at += stride;
  }
}

export { LANES, LANE_BYTES };
