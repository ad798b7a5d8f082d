// Elementary functions built from +, -, *, /, floor and bit casts, about 1 ulp on every adapter.
// WGSL only promises loose bounds for its builtins (log and exp 3 + 2|x| ulp, sin and cos 2^-11
// absolute), and SwiftShader's are that loose: its log, sin and cos err by 1e-4, far outside the
// the contract's 1e-5 for normals. These follow fdlibm's float kernels and the AssemblyScript engine's tanh.

const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.42860677e-6;

/** (e^r - 1) / r on |r| <= ln2/2, Horner form of the Taylor series to r^6. */
fn expm1Poly(r: f32) -> f32 {
  var q = 1.0 / 5040.0;
  q = q * r + 1.0 / 720.0;
  q = q * r + 1.0 / 120.0;
  q = q * r + 1.0 / 24.0;
  q = q * r + 1.0 / 6.0;
  q = q * r + 0.5;
  return q * r + 1.0;
}

/** e^x for x in [-87, 88] (clamped outside: the result is then tiny or huge, never 0 or inf). */
fn expAcc(x0: f32) -> f32 {
  let x = clamp(x0, -87.0, 88.0);
  let n = floor(x * 1.44269504 + 0.5);
  let r = (x - n * LN2_HI) - n * LN2_LO;
  let scale = bitcast<f32>((i32(n) + 127) << 23u);
  return scale * (r * expm1Poly(r)) + scale;
}

/**
 * ln x for positive normal x as the AssemblyScript engine computes it (Cephes logf, assembly/core/lane-math.ts),
 * operation for operation, so both engines get the same f32 (an ulp in an input every step sees grows,
 * through Adam, into a 1e-3 difference of the weights after 200 iterations). SwiftShader's builtin log
 * is off by about 2e-4.
 */
fn logAs(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  var e = i32(bits >> 23u) - 127;
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (m > 1.41421356) {
    m = m * 0.5;
    e = e + 1;
  }
  let ef = f32(e);
  let f = m - 1.0;
  let z = f * f;
  var y = 7.0376836292e-2;
  y = y * f + -1.1514610310e-1;
  y = y * f + 1.1676998740e-1;
  y = y * f + -1.2420140846e-1;
  y = y * f + 1.4249322787e-1;
  y = y * f + -1.6668057665e-1;
  y = y * f + 2.0000714765e-1;
  y = y * f + -2.4999993993e-1;
  y = y * f + 3.3333331174e-1;
  y = (y * f) * z;
  y = ef * -2.12194440e-4 + y;
  y = -0.5 * z + y;
  return ef * 0.693359375 + (f + y);
}

fn sinKernel(x: f32) -> f32 {
  let z = x * x;
  return x + x * z * (-1.6666667163e-01 + z * (8.3333337680e-03 + z * (-1.9841270114e-04 + z * 2.7557314297e-06)));
}

fn cosKernel(x: f32) -> f32 {
  let z = x * x;
  return 1.0 - 0.5 * z + z * z * (4.1666667908e-02 + z * (-1.3888889225e-03 + z * (2.4801587642e-05 + z * -2.7557314297e-07)));
}

/** (sin t, cos t) for |t| <= pi: reduction by multiples of pi/2 (two-piece Cody-Waite), then the kernels. */
fn sinCos(t: f32) -> vec2<f32> {
  let n = floor(t * 0.636619772 + 0.5);
  let r = (t - n * 1.57079637) + n * 4.37113883e-8;
  let s = sinKernel(r);
  let c = cosKernel(r);
  let q = u32(i32(n) & 3);
  if (q == 0u) {
    return vec2<f32>(s, c);
  }
  if (q == 1u) {
    return vec2<f32>(c, -s);
  }
  if (q == 2u) {
    return vec2<f32>(-s, -c);
  }
  return vec2<f32>(-c, s);
}

/** tanh as the AssemblyScript engine computes it: expm1 by Cody-Waite reduction and a degree-7 polynomial. */
fn tanhAs(x: f32) -> f32 {
  let y = max(abs(x) * -2.0, -40.0);
  let n = floor(y * 1.44269504 + 0.5);
  let r = (y - n * LN2_HI) - n * LN2_LO;
  let p = r * expm1Poly(r);
  let twoN = bitcast<f32>((i32(n) + 127) << 23u);
  let em1 = twoN * p + (twoN - 1.0);
  let t = -em1 / (em1 + 2.0);
  return select(t, -t, x < 0.0);
}
