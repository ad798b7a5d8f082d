// Philox4x32-10 and the contract's uniform and Box-Muller maps in TypeScript: the same 32-bit words as the
// WASM and WGSL engines, used for initial weights and as a reference in tests.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32, exactly, in doubles. */
function mulHi(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** Philox4x32-10 of counter (c0..c3) and key (k0, k1): four u32 words. */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
): [number, number, number, number] {
  c0 >>>= 0; c1 >>>= 0; c2 >>>= 0; c3 >>>= 0; k0 >>>= 0; k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** The run's seed (an integer below 2^53) as the Philox key (low word, high word). */
export function seedKey(seed: number): [number, number] {
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** ((x >> 8) + 0.5) / 2^24 with f32 rounding, bit for bit as the engines compute it. */
export function uniformOf(word: number): number {
  return Math.fround(Math.fround((word >>> 8) + 0.5) * 5.9604644775390625e-8);
}

export const enum Stream {
  Training = 0,
  Test = 1,
  Other = 2,
}

/** The first `count` normals of one path (f64 Box-Muller of the engines' f32 uniforms). */
export function pathNormals(
  seed: number, path: number, iteration: number, stream: number, count: number,
): Float64Array {
  const [k0, k1] = seedKey(seed);
  const out = new Float64Array(count);
  for (let b = 0; 4 * b < count; b++) {
    const w = philox4x32(path, iteration, b, stream, k0, k1);
    const r1 = Math.sqrt(-2 * Math.log(uniformOf(w[0])));
    const t1 = 2 * Math.PI * uniformOf(w[1]) - Math.PI;
    const r2 = Math.sqrt(-2 * Math.log(uniformOf(w[2])));
    const t2 = 2 * Math.PI * uniformOf(w[3]) - Math.PI;
    const z = [r1 * Math.cos(t1), r1 * Math.sin(t1), r2 * Math.cos(t2), r2 * Math.sin(t2)];
    for (let q = 0; q < 4 && 4 * b + q < count; q++) out[4 * b + q] = z[q];
  }
  return out;
}
