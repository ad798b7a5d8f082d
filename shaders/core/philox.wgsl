// Philox4x32-10 (Salmon et al. 2011), the contract's uniforms u = ((x >> 8) + 0.5) / 2^24 and Box-Muller
// with angles in (-pi, pi): the same 32-bit words as widget/core/philox.ts and assembly/philox.ts.
// logAs and sinCos come from shaders/core/math.wgsl (prepended).
// WGSL has no 64-bit integers, so the high half of each 32 x 32 product is built from 16-bit pieces.

fn mulhi(a: u32, b: u32) -> u32 {
  let aL = a & 0xffffu;
  let aH = a >> 16u;
  let bL = b & 0xffffu;
  let bH = b >> 16u;
  let lh = aL * bH;
  let hl = aH * bL;
  let mid = ((aL * bL) >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return aH * bH + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}

fn philox(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    let hi0 = mulhi(0xd2511f53u, c.x);
    let lo0 = 0xd2511f53u * c.x;
    let hi1 = mulhi(0xcd9e8d57u, c.z);
    let lo1 = 0xcd9e8d57u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}

fn uniform01(x: u32) -> f32 {
  return (f32(x >> 8u) + 0.5) * 5.9604644775390625e-8;
}

fn normalsOf(words: vec4<u32>) -> vec4<f32> {
  let r1 = sqrt(-2.0 * logAs(uniform01(words.x)));
  let t1 = 6.2831855 * uniform01(words.y) - 3.1415927;
  let r2 = sqrt(-2.0 * logAs(uniform01(words.z)));
  let t2 = 6.2831855 * uniform01(words.w) - 3.1415927;
  let a = sinCos(t1);
  let b = sinCos(t2);
  return vec4<f32>(r1 * a.y, r1 * a.x, r2 * b.y, r2 * b.x);
}
