// Entropic multi-period martingale optimal transport (docs/numerics.md), f64, for one side: maximise
// E_pi[F] - eps KL(pi | mu_1 x ... x mu_n) over couplings with the marginals mu_i and the martingale
// property, by exact block-coordinate ascent on the dual in the log domain. The state is the log plan
//   W(x) = (F(x) - sum_i psi_i(x_i) - sum_i h_i(x_1..x_i) (x_{i+1} - x_i)) / eps,
// psi_i the static positions (the reference's log mu_i absorbed), h_i the holdings. Each update is a few
// passes over the paths (group max, group sum of exp, subtract), the same kernels a WGSL version runs.
// Paths are row-major (x_1 slowest): the paths sharing a history (x_1..x_i) are one contiguous block.

let n: i32 = 0;
let cells: i32 = 0;
let sizesPtr: usize = 0;   // i32[n] atoms per date
let belowPtr: usize = 0;   // i32[n] paths sharing a history ending at date i
let atomOffPtr: usize = 0; // i32[n] offset of date i in the per-atom arrays
let hOffPtr: usize = 0;    // i32[n] offset of level i in h (histories x_1..x_{i+1})
let atomsPtr: usize = 0;   // f64 per atom
let logMuPtr: usize = 0;   // f64 per atom
let psiPtr: usize = 0;     // f64 per atom
let roundedPtr: usize = 0; // f64 per atom: psi after the c-transform rounding
let hPtr: usize = 0;       // f64 per history
let fPtr: usize = 0;       // f64 per path
let wPtr: usize = 0;       // f64 per path
let rPtr: usize = 0;       // f64 per path (rounding residual)
let aPtr: usize = 0;       // f64 scratch per atom of the largest date (x3)
let eps: f64 = 1;
let top: usize = 0;

// Statistics of the last sweep, read by the host.
export let marginalError: f64 = 0;   // max over dates of sum_a |pi_i(a) - mu_i(a)|
export let martingaleError: f64 = 0; // sum over histories of |E_pi[(X_{i+1} - X_i) 1_history]|

/** Bump allocation of the working set, 16-byte aligned; called before setup. */
export function reserve(bytes: i32): usize {
  if (top == 0) top = (__heap_base + 15) & ~15;
  const at = top;
  top = (top + <usize>bytes + 15) & ~15;
  const pages = <i32>((top + 0xffff) >> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) return 0;
  return at;
}

@inline function size(i: i32): i32 { return load<i32>(sizesPtr + (<usize>i << 2)); }
@inline function below(i: i32): i32 { return load<i32>(belowPtr + (<usize>i << 2)); }
@inline function atomOff(i: i32): i32 { return load<i32>(atomOffPtr + (<usize>i << 2)); }
@inline function hOff(i: i32): i32 { return load<i32>(hOffPtr + (<usize>i << 2)); }
@inline function f64At(base: usize, k: i32): f64 { return load<f64>(base + (<usize>k << 3)); }
@inline function setF64(base: usize, k: i32, v: f64): void { store<f64>(base + (<usize>k << 3), v); }
@inline function atom(i: i32, k: i32): f64 { return f64At(atomsPtr, atomOff(i) + k); }

export function setup(
  n_: i32, cells_: i32, sizes: usize, belowP: usize, atomOff_: usize, hOff_: usize,
  atoms: usize, logMu: usize, psi: usize, rounded: usize, h: usize, f: usize, w: usize, r: usize, a: usize,
): void {
  n = n_; cells = cells_; sizesPtr = sizes; belowPtr = belowP; atomOffPtr = atomOff_; hOffPtr = hOff_;
  atomsPtr = atoms; logMuPtr = logMu; psiPtr = psi; roundedPtr = rounded; hPtr = h; fPtr = f; wPtr = w;
  rPtr = r; aPtr = a;
}

/** Per atom a of date i: out[a] = max of base over paths with x_i = a (or, with `sumExp`, log sum exp). */
function groupByAtom(i: i32, base: usize, out: usize, sumExp: bool): void {
  const m = size(i);
  const inner = below(i);
  const outer = cells / (m * inner);
  for (let a = 0; a < m; a++) setF64(out, a, -Infinity);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < m; a++) {
      let p = base + (<usize>((o * m + a) * inner) << 3);
      let mx = f64At(out, a);
      for (let k = 0; k < inner; k++, p += 8) mx = max(mx, load<f64>(p));
      setF64(out, a, mx);
    }
  }
  if (!sumExp) return;
  const sums = aPtr + (<usize>m << 3);
  for (let a = 0; a < m; a++) setF64(sums, a, 0);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < m; a++) {
      let p = base + (<usize>((o * m + a) * inner) << 3);
      const mx = f64At(out, a);
      let s: f64 = 0;
      for (let k = 0; k < inner; k++, p += 8) s += Math.exp(load<f64>(p) - mx);
      setF64(sums, a, f64At(sums, a) + s);
    }
  }
  for (let a = 0; a < m; a++) setF64(out, a, f64At(out, a) + Math.log(f64At(sums, a)));
}

/** base[x] -= d[x_i] over every path. */
function subtractByAtom(i: i32, base: usize, d: usize): void {
  const m = size(i);
  const inner = below(i);
  const outer = cells / (m * inner);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < m; a++) {
      let p = base + (<usize>((o * m + a) * inner) << 3);
      const v = f64At(d, a);
      for (let k = 0; k < inner; k++, p += 8) store<f64>(p, load<f64>(p) - v);
    }
  }
}

/** Sinkhorn step for date i: psi_i += eps (log pi_i - log mu_i), which makes pi's i-th marginal mu_i. */
function marginalStep(i: i32): f64 {
  const m = size(i);
  groupByAtom(i, wPtr, aPtr, true);
  const off = atomOff(i);
  let err: f64 = 0;
  for (let a = 0; a < m; a++) {
    const logMu = f64At(logMuPtr, off + a);
    const d = f64At(aPtr, a) - logMu;
    err += Math.abs(Math.exp(f64At(aPtr, a)) - Math.exp(logMu));
    setF64(aPtr, a, d);
    setF64(psiPtr, off + a, f64At(psiPtr, off + a) + eps * d);
  }
  subtractByAtom(i, wPtr, aPtr);
  return err;
}

/** Newton iterations on one history's martingale multiplier (in units of 1/eps); the largest step in W. */
const NEWTON_STEPS: i32 = 8;
const MAX_W_STEP: f64 = 30;

/**
 * Martingale step for level i (between dates i and i+1): for every history (x_1..x_i), the multiplier d
 * that makes sum_j exp(m_j - d dx_j) dx_j = 0, m_j the log mass of the history followed by atom j.
 */
function martingaleStep(i: i32): f64 {
  const m = size(i + 1);
  const inner = below(i + 1);
  const histories = cells / below(i);
  const mPtr = aPtr;
  const dxPtr = aPtr + (<usize>m << 3);
  const ePtr = aPtr + (<usize>(2 * m) << 3);
  let err: f64 = 0;
  for (let q = 0; q < histories; q++) {
    const x = atom(i, q % size(i));
    const blockBase = wPtr + (<usize>(q * m * inner) << 3);
    let dxMax: f64 = 0;
    for (let j = 0; j < m; j++) {
      let p = blockBase + (<usize>(j * inner) << 3);
      if (inner == 1) setF64(mPtr, j, load<f64>(p));
      else {
        let mx: f64 = -Infinity;
        for (let k = 0; k < inner; k++) mx = max(mx, load<f64>(p + (<usize>k << 3)));
        let s: f64 = 0;
        for (let k = 0; k < inner; k++, p += 8) s += Math.exp(load<f64>(p) - mx);
        setF64(mPtr, j, mx + Math.log(s));
      }
      const dx = atom(i + 1, j) - x;
      setF64(dxPtr, j, dx);
      dxMax = max(dxMax, Math.abs(dx));
    }
    let viol: f64 = 0;
    for (let j = 0; j < m; j++) viol += Math.exp(f64At(mPtr, j)) * f64At(dxPtr, j);
    err += Math.abs(viol);
    let d: f64 = 0;
    for (let it = 0; it < NEWTON_STEPS; it++) {
      let top_: f64 = -Infinity;
      for (let j = 0; j < m; j++) {
        const e = f64At(mPtr, j) - d * f64At(dxPtr, j);
        setF64(ePtr, j, e);
        top_ = max(top_, e);
      }
      let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0;
      for (let j = 0; j < m; j++) {
        const e = Math.exp(f64At(ePtr, j) - top_);
        const dx = f64At(dxPtr, j);
        s0 += e; s1 += e * dx; s2 += e * dx * dx;
      }
      if (!(s2 > 0)) break;
      let step = s1 / s2;
      // No root when the history's mass sits on one side only: move at most MAX_W_STEP in W per sweep.
      const limit = MAX_W_STEP / dxMax;
      if (step > limit) step = limit; else if (step < -limit) step = -limit;
      d += step;
      if (Math.abs(s1) <= 1e-9 * s0 * dxMax) break;
    }
    if (d == 0) continue;
    const hk = hOff(i) + q;
    setF64(hPtr, hk, f64At(hPtr, hk) + eps * d);
    for (let j = 0; j < m; j++) {
      let p = blockBase + (<usize>(j * inner) << 3);
      const v = d * f64At(dxPtr, j);
      for (let k = 0; k < inner; k++, p += 8) store<f64>(p, load<f64>(p) - v);
    }
  }
  return err;
}

/** One sweep: martingale steps (each level), then Sinkhorn steps (each date, the last last). */
export function sweep(): void {
  let merr: f64 = 0;
  for (let i = 0; i < n - 1; i++) merr += martingaleStep(i);
  let err: f64 = 0;
  for (let i = 0; i < n; i++) err = max(err, marginalStep(i));
  martingaleError = merr;
  marginalError = err;
}

/** residual[x] = F - sum psi - sum h dx, recomputed from the potentials (no drift across stages). */
function residual(out: usize, psi: usize): void {
  memory.copy(out, fPtr, <usize>cells << 3);
  for (let i = 0; i < n; i++) {
    const m = size(i);
    const off = atomOff(i);
    for (let a = 0; a < m; a++) setF64(aPtr, a, f64At(psi, off + a));
    subtractByAtom(i, out, aPtr);
  }
  for (let i = 0; i < n - 1; i++) {
    const m = size(i + 1);
    const inner = below(i + 1);
    const histories = cells / below(i);
    for (let q = 0; q < histories; q++) {
      const x = atom(i, q % size(i));
      const hv = f64At(hPtr, hOff(i) + q);
      if (hv == 0) continue;
      for (let j = 0; j < m; j++) {
        let p = out + (<usize>((q * m + j) * inner) << 3);
        const v = hv * (atom(i + 1, j) - x);
        for (let k = 0; k < inner; k++, p += 8) store<f64>(p, load<f64>(p) - v);
      }
    }
  }
}

/** Sets epsilon and rebuilds W = residual / eps. */
export function setEpsilon(e: f64): void {
  eps = e;
  residual(wPtr, psiPtr);
  const inv = 1 / e;
  for (let c = 0; c < cells; c++) setF64(wPtr, c, f64At(wPtr, c) * inv);
}

/** E_pi[F] and the plan's total mass, written to aPtr[0..1]. */
export function primal(): void {
  let v: f64 = 0, mass: f64 = 0;
  for (let c = 0; c < cells; c++) {
    const p = Math.exp(f64At(wPtr, c));
    v += p * f64At(fPtr, c);
    mass += p;
  }
  setF64(aPtr, 0, v);
  setF64(aPtr, 1, mass);
}

/**
 * A feasible dual from the current one: c-transforms date by date (psi_i(a) += max over x_i = a of the
 * residual), after which F <= sum psi + sum h dx on every path; returns sum_i E_mu_i[psi_i], a valid bound.
 */
export function roundDual(): f64 {
  const atomsTotal = atomOff(n - 1) + size(n - 1);
  memory.copy(roundedPtr, psiPtr, <usize>atomsTotal << 3);
  residual(rPtr, roundedPtr);
  for (let i = 0; i < n; i++) {
    const m = size(i);
    const off = atomOff(i);
    groupByAtom(i, rPtr, aPtr, false);
    for (let a = 0; a < m; a++) setF64(roundedPtr, off + a, f64At(roundedPtr, off + a) + f64At(aPtr, a));
    subtractByAtom(i, rPtr, aPtr);
  }
  let cost: f64 = 0;
  for (let k = 0; k < atomsTotal; k++) {
    const lm = f64At(logMuPtr, k);
    if (lm > -Infinity) cost += Math.exp(lm) * f64At(roundedPtr, k);
  }
  return cost;
}
