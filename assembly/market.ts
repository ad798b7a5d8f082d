// Geometric Brownian motion paths from Philox normals (SPEC section 1).
import { LANES } from "./lane";
import { normalsOfBlock, normal0, normal1, normal2, normal3 } from "./philox";
import { groups, steps, spotPtr, pathOffset, seedLo, seedHi, driftDt, volSqrtDt } from "./state";

/** Fills the spot buffer: S[0] = 1 and N GBM steps for every local path. */
export function simulate(iteration: u32, stream: u32): void {
  const N = steps;
  const rowFloats = <usize>LANES;
  for (let g = 0; g < groups; g++) {
    for (let l = 0; l < LANES; l++) {
      const path = pathOffset + <u32>(g * LANES + l);
      let at = spotPtr + ((<usize>g * <usize>(N + 1)) * rowFloats + <usize>l) * 4;
      let s: f32 = 1;
      store<f32>(at, s);
      for (let k = 0; k < N; k += 4) {
        normalsOfBlock(path, iteration, <u32>(k >> 2), stream, seedLo, seedHi);
        s *= Mathf.exp(driftDt + volSqrtDt * normal0); at += rowFloats * 4; store<f32>(at, s);
        if (k + 1 >= N) break;
        s *= Mathf.exp(driftDt + volSqrtDt * normal1); at += rowFloats * 4; store<f32>(at, s);
        if (k + 2 >= N) break;
        s *= Mathf.exp(driftDt + volSqrtDt * normal2); at += rowFloats * 4; store<f32>(at, s);
        if (k + 3 >= N) break;
        s *= Mathf.exp(driftDt + volSqrtDt * normal3); at += rowFloats * 4; store<f32>(at, s);
      }
    }
  }
}
