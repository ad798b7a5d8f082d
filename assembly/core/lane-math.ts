// log, sin/cos and exp on Lanes for path generation: Cephes-style polynomials after exact range
// reduction, about 1e-7 relative. Both builds run this same code, so their paths agree bit for bit.
import { splat, add, sub, mul, madd } from "./lane";

// --- bit-level helpers (lane-wise reinterpretation between f32 and i32) ---

/** Integer views keep the same bits in the same Lane type, so the view itself is free. */
@inline function asInt(x: Lane): Lane {
  return x;
}
@inline function ints(v: i32): Lane {
  if (isVector<Lane>()) return i32x4.splat(v); else return reinterpret<f32>(v);
}
@inline function iand(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return v128.and(a, b); else return reinterpret<f32>(reinterpret<i32>(<f32>a) & reinterpret<i32>(<f32>b));
}
@inline function ior(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return v128.or(a, b); else return reinterpret<f32>(reinterpret<i32>(<f32>a) | reinterpret<i32>(<f32>b));
}
@inline function ixor(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return v128.xor(a, b); else return reinterpret<f32>(reinterpret<i32>(<f32>a) ^ reinterpret<i32>(<f32>b));
}
@inline function iadd(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return i32x4.add(a, b); else return reinterpret<f32>(reinterpret<i32>(<f32>a) + reinterpret<i32>(<f32>b));
}
@inline function isub(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return i32x4.sub(a, b); else return reinterpret<f32>(reinterpret<i32>(<f32>a) - reinterpret<i32>(<f32>b));
}
@inline function ishr(a: Lane, n: i32): Lane {
  if (isVector<Lane>()) return i32x4.shr_s(a, n); else return reinterpret<f32>(reinterpret<i32>(<f32>a) >> n);
}
@inline function ishl(a: Lane, n: i32): Lane {
  if (isVector<Lane>()) return i32x4.shl(a, n); else return reinterpret<f32>(reinterpret<i32>(<f32>a) << n);
}
/** Integer lanes to float. */
@inline function toFloat(a: Lane): Lane {
  if (isVector<Lane>()) return f32x4.convert_i32x4_s(a); else return <f32>reinterpret<i32>(<f32>a);
}
/** Float lanes (already integral) to integer lanes. */
@inline function toInt(a: Lane): Lane {
  if (isVector<Lane>()) return i32x4.trunc_sat_f32x4_s(a); else return reinterpret<f32>(<i32>(<f32>a));
}
/** All-ones where a > b, else zero. */
@inline function greater(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.gt(a, b); else return reinterpret<f32>(<f32>a > <f32>b ? -1 : 0);
}
@inline function select(whenSet: Lane, otherwise: Lane, mask: Lane): Lane {
  if (isVector<Lane>()) return v128.bitselect(whenSet, otherwise, mask);
  else return reinterpret<i32>(<f32>mask) != 0 ? whenSet : otherwise;
}
@inline function floorLane(a: Lane): Lane {
  if (isVector<Lane>()) return f32x4.floor(a); else return Mathf.floor(a);
}
@inline function minLane(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.min(a, b); else return min<f32>(a, b);
}
@inline function maxLane(a: Lane, b: Lane): Lane {
  if (isVector<Lane>()) return f32x4.max(a, b); else return max<f32>(a, b);
}
@inline export function sqrtLane(a: Lane): Lane {
  if (isVector<Lane>()) return f32x4.sqrt(a); else return Mathf.sqrt(a);
}

/** Natural log of x in (0, 1] (Cephes logf). */
@inline export function logLane(x: Lane): Lane {
  const bits = asInt(x);
  let e = isub(ishr(bits, 23), ints(127));
  let m = ior(iand(bits, ints(0x007fffff)), ints(0x3f800000)); // mantissa in [1, 2)
  const big = greater(m, splat(1.41421356));
  m = select(mul(m, splat(0.5)), m, big);
  e = isub(e, big); // big is -1 where set: e + 1
  const ef = toFloat(e);
  const f = sub(m, splat(1));
  const z = mul(f, f);
  let y = splat(7.0376836292e-2);
  y = madd(y, f, splat(-1.1514610310e-1));
  y = madd(y, f, splat(1.1676998740e-1));
  y = madd(y, f, splat(-1.2420140846e-1));
  y = madd(y, f, splat(1.4249322787e-1));
  y = madd(y, f, splat(-1.6668057665e-1));
  y = madd(y, f, splat(2.0000714765e-1));
  y = madd(y, f, splat(-2.4999993993e-1));
  y = madd(y, f, splat(3.3333331174e-1));
  y = mul(mul(y, f), z);
  y = madd(ef, splat(-2.12194440e-4), y);
  y = madd(splat(-0.5), z, y);
  return madd(ef, splat(0.693359375), add(f, y));
}

export let sinOut: Lane = splat(0);
export let cosOut: Lane = splat(0);

/** sin and cos of x in [-pi, pi] (Cephes sinf/cosf kernels after a three-part pi/2 reduction). */
@inline export function sinCosLane(x: Lane): void {
  const n = floorLane(madd(x, splat(0.636619772), splat(0.5)));
  let r = sub(x, mul(n, splat(1.5703125)));
  r = sub(r, mul(n, splat(4.837512969970703125e-4)));
  r = sub(r, mul(n, splat(7.54978995489188216e-8)));
  const z = mul(r, r);
  let sp = madd(splat(-1.9515295891e-4), z, splat(8.3321608736e-3));
  sp = madd(sp, z, splat(-1.6666654611e-1));
  const s = madd(mul(sp, z), r, r);
  let cp = madd(splat(2.443315711809948e-5), z, splat(-1.388731625493765e-3));
  cp = madd(cp, z, splat(4.166664568298827e-2));
  const c = add(sub(splat(1), mul(splat(0.5), z)), mul(mul(cp, z), z));
  const q = toInt(n);
  const swap = isub(ints(0), iand(q, ints(1))); // all ones for odd quadrants
  const sinSign = ishl(iand(q, ints(2)), 30);
  const cosSign = ishl(iand(iadd(q, ints(1)), ints(2)), 30);
  sinOut = ixor(select(c, s, swap), sinSign);
  cosOut = ixor(select(s, c, swap), cosSign);
}

const LOG2E: f32 = 1.44269504;
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.42860677e-6;

/** e^x for x in [-87, 88] (clamped there), about 1 ulp. */
@inline export function expLane(x: Lane): Lane {
  const xc = minLane(maxLane(x, splat(-87)), splat(88));
  const n = floorLane(madd(xc, splat(LOG2E), splat(0.5)));
  const r = sub(sub(xc, mul(n, splat(LN2_HI))), mul(n, splat(LN2_LO)));
  let q = madd(splat(1.0 / 5040.0), r, splat(1.0 / 720.0));
  q = madd(q, r, splat(1.0 / 120.0));
  q = madd(q, r, splat(1.0 / 24.0));
  q = madd(q, r, splat(1.0 / 6.0));
  q = madd(q, r, splat(0.5));
  q = madd(q, r, splat(1));
  const p = madd(q, r, splat(1));
  return mul(p, ishl(iadd(toInt(n), ints(127)), 23));
}
