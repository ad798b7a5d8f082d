// Cox-Ross-Rubinstein lattice (docs/numerics.md) in f64: one array of n+1 node values, backward induction in
// place, exercise at every step (American) or at the steps nearest the dates t_m = m T / M (Bermudan).
// The host drives it in chunks of levels (latticeLevels), so V8 can move the loop to its optimising tier
// after the first chunks (a WASM call never changes tier while it runs) and progress can be shown.
import { ensureMemory, reserve } from "../core/memory";
import { heapStart, resultsPtr } from "./layout";

// Result slots (f64) at resultsPtr.
const R_PRICE = 0;
const R_DELTA = 1;
const R_GAMMA = 2;

let n: i32 = 0;
let s0: f64 = 0;
let h: f64 = 0;           // sigma sqrt(dt): node (i, j) has spot s0 e^{(2j - i) h}
let pu: f64 = 0;          // e^{-r dt} p
let pd: f64 = 0;          // e^{-r dt} (1 - p)
let put: bool = true;
let v20: f64 = 0, v21: f64 = 0, v22: f64 = 0, v10: f64 = 0, v11: f64 = 0;

let valuesPtr: usize = 0;   // n+1 f64: node values of the current level
let payoffPtr: usize = 0;   // 2n+1 f64: payoff at spot s0 e^{k h}, k = -n .. n, at index k + n
let exercisePtr: usize = 0; // n+1 u8: 1 where step i is an exercise step
let boundaryPtr: usize = 0; // n+1 f64: exercise boundary S*(t_i) at step i, NaN where nothing is exercised

export function latticeBoundaryPointer(): usize { return boundaryPtr; }

/** The lattice step of exercise date m of M on n steps: the nearest step, round(m n / M). */
@inline function dateStep(m: i32, M: i32, steps: i32): i32 {
  return <i32>Math.floor(<f64>m * <f64>steps / <f64>M + 0.5);
}

/**
 * Lays out a lattice of `steps` steps and its terminal level; `dates` = 0 for American, else the number M of
 * Bermudan dates; `european` never exercises early. Returns 0, or -1 if memory could not grow.
 */
export function latticeInit(
  steps: i32, spot: f64, strike: f64, rate: f64, dividend: f64, sigma: f64, maturity: f64, isPut: bool, dates: i32, european: bool,
): i32 {
  n = steps; s0 = spot; put = isPut;
  let at = heapStart();
  valuesPtr = at; at = reserve(at, <usize>(n + 1) << 3);
  payoffPtr = at; at = reserve(at, <usize>(2 * n + 1) << 3);
  boundaryPtr = at; at = reserve(at, <usize>(n + 1) << 3);
  exercisePtr = at; at = reserve(at, <usize>(n + 1));
  if (!ensureMemory(at)) return -1;

  const dt = maturity / <f64>n;
  h = sigma * Math.sqrt(dt);
  const u = Math.exp(h);
  const d = 1 / u;
  const p = (Math.exp((rate - dividend) * dt) - d) / (u - d);
  const disc = Math.exp(-rate * dt);
  pu = disc * p;
  pd = disc * (1 - p);
  const sign: f64 = put ? -1 : 1;
  for (let k = -n; k <= n; k++) {
    store<f64>(payoffPtr + (<usize>(k + n) << 3), max(sign * (spot * Math.exp(<f64>k * h) - strike), 0));
  }
  for (let j = 0; j <= n; j++) store<f64>(valuesPtr + (<usize>j << 3), load<f64>(payoffPtr + (<usize>(2 * j) << 3)));
  memory.fill(exercisePtr, european ? 0 : dates == 0 ? 1 : 0, <usize>(n + 1));
  if (!european && dates > 0) {
    for (let m = 1; m < dates; m++) store<u8>(exercisePtr + <usize>dateStep(m, dates, n), 1);
  }
  store<u8>(exercisePtr + <usize>n, 0); // maturity: the terminal payoff already
  store<f64>(boundaryPtr + (<usize>n << 3), NaN);
  return 0;
}

/**
 * Backward induction over levels from, from-1, ..., from-count+1 (clamped at 0). After level 0, writes
 * price, delta and gamma (from the first two levels) to the results and returns the price.
 */
export function latticeLevels(from: i32, count: i32): f64 {
  const V = valuesPtr;
  const last = max(from - count + 1, 0);
  for (let i = from; i >= last; i--) {
    let edge: f64 = NaN;
    if (load<u8>(exercisePtr + <usize>i)) {
      // Payoff of node (i, j) at index 2j - i + n: no spot arithmetic in the loop.
      const g = payoffPtr + (<usize>(n - i) << 3);
      let found = -1;
      for (let j = 0; j <= i; j++) {
        const at = V + (<usize>j << 3);
        const c = pu * load<f64>(at, 8) + pd * load<f64>(at);
        const e = load<f64>(g + (<usize>j << 4));
        store<f64>(at, select<f64>(e, c, e > c));
        // Put: the highest exercised node; call: the lowest. A gain within rounding of the payoff is no
        // exercise (far out, a call's e and c agree to the last bits and would flip either way).
        found = select<i32>(j, found, e - c > 1e-10 * e && (put || found < 0));
      }
      if (found >= 0) edge = s0 * Math.exp(<f64>(2 * found - i) * h);
    } else {
      for (let j = 0; j <= i; j++) {
        const at = V + (<usize>j << 3);
        store<f64>(at, pu * load<f64>(at, 8) + pd * load<f64>(at));
      }
    }
    store<f64>(boundaryPtr + (<usize>i << 3), edge);
    if (i == 2) { v20 = load<f64>(V); v21 = load<f64>(V, 8); v22 = load<f64>(V, 16); }
    if (i == 1) { v10 = load<f64>(V); v11 = load<f64>(V, 8); }
  }
  const price = load<f64>(V);
  if (last == 0) {
    const sU = s0 * Math.exp(h), sD = s0 * Math.exp(-h), sUU = s0 * Math.exp(2 * h), sDD = s0 * Math.exp(-2 * h);
    store<f64>(resultsPtr() + (R_PRICE << 3), price);
    store<f64>(resultsPtr() + (R_DELTA << 3), (v11 - v10) / (sU - sD));
    store<f64>(resultsPtr() + (R_GAMMA << 3), ((v22 - v21) / (sUU - s0) - (v21 - v20) / (s0 - sDD)) / (0.5 * (sUU - sDD)));
  }
  return price;
}
