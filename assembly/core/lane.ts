// One `Lane` holds four paths (f32x4) in the SIMD build and one path (f32) in the scalar build.
// The alias comes from asconfig.json (`--use Lane=v128` or `--use Lane=f32`); each branch below is
// resolved at compile time, so the scalar build never touches a SIMD instruction.

export const LANES: i32 = i32(sizeof<Lane>()) >> 2;
export const LANE_BYTES: usize = sizeof<Lane>();

@inline export function splat(x: f32): Lane {
  if (isVector<Lane>()) return f32x4.splat(x); else return x;
}
@inline export function add(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.add(a, b); else return a + b;
}
@inline export function sub(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.sub(a, b); else return a - b;
}
@inline export function mul(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.mul(a, b); else return a * b;
}
/** a * b + c, written out so that both builds round the same way (no fused multiply-add in WASM). */
@inline export function madd(a: Lane, b: Lane, c: Lane): Lane {
  if (isVector<Lane>()) return f32x4.add(f32x4.mul(a, b), c); else return a * b + c;
}
@inline export function div(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.div(a, b); else return a / b;
}
// pmax (b < a ? a : b) is one instruction on x86, where IEEE max needs several; inputs here are never NaN.
@inline export function relu(a: Lane): Lane {
  if (isVector<Lane>()) return f32x4.pmax(f32x4.splat(0), a); else return a > 0 ? a : 0;
}
@inline export function abs(a: Lane): Lane {
  if (isVector<Lane>()) return f32x4.abs(a); else return Mathf.abs(a);
}
@inline export function maxLane(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.pmax(a, b); else return a < b ? b : a;
}
/** `a` where `gate > 0`, else 0: the ReLU derivative applied to an upstream gradient. */
@inline export function passWherePositive(a: Lane, gate: Lane): Lane {
  if (isVector<Lane>()) return v128.and(a, f32x4.gt(gate, f32x4.splat(0)));
  else return gate > 0 ? a : 0;
}
/** sign(x) in {-1, 0, 1}: the subgradient of |x| used for transaction costs. */
@inline export function sign(x: Lane): Lane {
  if (isVector<Lane>()) {
    const z = f32x4.splat(0);
    return f32x4.sub(
      v128.and(f32x4.splat(1), f32x4.gt(x, z)),
      v128.and(f32x4.splat(1), f32x4.lt(x, z)),
    );
  } else return x > 0 ? 1 : x < 0 ? <f32>-1 : 0;
}
/** Zero every lane whose path index (first lane = `firstPath`) is at or past `count`. */
@inline export function maskPaths(a: Lane, firstPath: i32, count: i32): Lane {
  if (isVector<Lane>()) {
    const idx = i32x4.add(i32x4.splat(firstPath), i32x4(0, 1, 2, 3));
    return v128.and(a, i32x4.lt_s(idx, i32x4.splat(count)));
  } else return firstPath < count ? a : 0;
}
@inline export function laneSum(a: Lane): f32 {
  if (isVector<Lane>()) {
    return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) +
      (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
  } else return a;
}

// tanh from expm1 on [-40, 0] with a degree-7 polynomial after Cody-Waite reduction: about 1 ulp,
// and accurate for tiny arguments, where 1 - exp(-2|x|) would cancel.
const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.42860677e-6;

@inline export function tanh(x: Lane): Lane {
  if (isVector<Lane>()) {
    const y = f32x4.pmax(f32x4.splat(-40), f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
    const n = f32x4.floor(f32x4.add(f32x4.mul(y, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
    const r = f32x4.sub(f32x4.sub(y, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
    const p = f32x4.mul(r, expm1Poly(r));
    const twoN = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
    const em1 = f32x4.add(f32x4.mul(twoN, p), f32x4.sub(twoN, f32x4.splat(1)));
    const t = f32x4.div(f32x4.neg(em1), f32x4.add(em1, f32x4.splat(2)));
    const signBit = i32x4.splat(0x80000000);
    return v128.or(t, v128.and(x, signBit));
  } else {
    const y = max<f32>(Mathf.abs(x) * -2, -40);
    const n = Mathf.floor(y * LOG2E + 0.5);
    const r = (y - n * LN2_HI) - n * LN2_LO;
    const p = r * expm1PolyScalar(r);
    const twoN = reinterpret<f32>((i32(n) + 127) << 23);
    const em1 = twoN * p + (twoN - 1);
    const t = -em1 / (em1 + 2);
    return copysign<f32>(t, x);
  }
}

// (e^r - 1) / r on |r| <= ln2/2, Horner form of the Taylor series to r^6.
@inline function expm1Poly(r: v128): v128 {
  let q = f32x4.splat(1.0 / 5040.0);
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.0 / 720.0));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.0 / 120.0));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.0 / 24.0));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(1.0 / 6.0));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(0.5));
  return f32x4.add(f32x4.mul(q, r), f32x4.splat(1));
}
@inline function expm1PolyScalar(r: f32): f32 {
  let q: f32 = 1.0 / 5040.0;
  q = q * r + <f32>(1.0 / 720.0);
  q = q * r + <f32>(1.0 / 120.0);
  q = q * r + <f32>(1.0 / 24.0);
  q = q * r + <f32>(1.0 / 6.0);
  q = q * r + 0.5;
  return q * r + 1;
}
