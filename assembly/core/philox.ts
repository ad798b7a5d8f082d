// Philox4x32-10 (Salmon et al. 2011) and the contract's uniform and Box-Muller maps.
// The four output words land in module globals so the hot loop never allocates.

export let word0: u32 = 0;
export let word1: u32 = 0;
export let word2: u32 = 0;
export let word3: u32 = 0;

const M0: u64 = 0xD2511F53;
const M1: u64 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

export function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let round = 0; round < 10; round++) {
    const p0 = M0 * <u64>c0;
    const p1 = M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  word0 = c0; word1 = c1; word2 = c2; word3 = c3;
}

/** ((x >> 8) + 0.5) / 2^24, in f32 exactly as the WGSL kernel computes it. */
@inline export function uniform(x: u32): f32 {
  return (<f32>(x >> 8) + 0.5) * 5.9604644775390625e-8;
}

