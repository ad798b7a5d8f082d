// The neural dual's training iteration in WGSL (docs/numerics.md, "Neural dual"), one thread per sampled
// path or per atom of the exact term: the same arithmetic, operation for operation, as
// assembly/bounds-neural/index.ts (ndTrain). Completed by a prelude the host generates
// (widget/models/bounds/neural/webgpu/program.ts): sizes, offsets, the Philox key and the payoff's code;
// shaders/core/math.wgsl, shaders/core/philox.wgsl and shaders/core/adamw.wgsl come before it.
//
// Entry points, in the order one iteration dispatches them:
//   train   each thread its path's penalty (v = (s F - sum U_i - sum H_i dZ_i)+, beta/B v^2 and its
//           gradient) or its atom's exact term (mu U and its gradient); summed over the workgroup into one
//           partial per workgroup.
//   reduce  one workgroup per parameter (and the loss): the partials summed, then AdamW in place.

struct Frame {
  iteration: u32,
  // This iteration's optimiser step in the schedule (misc[SCHED_OFF + 4 * sched ..]).
  sched: u32,
  // 1: take the optimiser step; 0: only write the reduced gradient (tests).
  apply: u32,
  // Slot of the history ring (misc[HIST_OFF + 2 * slot ..]): the loss, twice (the price is the host's scaling).
  slot: u32,
}

@group(0) @binding(0) var<uniform> frame: Frame;
// params [P] | AdamW m [P] | AdamW v [P] | reduced gradient [PX] (P: the loss)
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
// [PX][NWG]: each workgroup's sums
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
// constants [8] | dates [N][8] | atoms [A][4] | history ring [HCAP][2] | optimiser schedule [SCAP][4] |
// penalty schedule [SCAP][2] (beta / B and -2 beta / B of each iteration: beta ramps up, setup.ts betaAt)
@group(0) @binding(3) var<storage, read_write> misc: array<f32>;

// Fields of the tables (setup.ts).
const C_SIDE = 0u;
const C_FSCALE = 3u;
const C_PA = 4u;
const C_PB = 5u;
const C_INV_G = 6u;
const D_TAU = 0u;
const D_INC = 1u;
const D_SIZE = 2u;
const D_OFF = 3u;
const D_INV_COUNT = 4u;
const A_Y = 0u;
const A_Z = 1u;
const A_CDF = 2u;
const A_MU = 3u;
const IN_U = 2u;
const IN_H = 5u;

var<private> h1: array<f32, H>;
var<private> h2: array<f32, H>;
var<private> dz2: array<f32, H>;
// Inputs of H per date (U reads the first two), the path's atoms and normalised increments.
var<private> inp: array<f32, N * IN_H>;
var<private> idx: array<u32, N>;
var<private> dzs: array<f32, N>;
// The thread's gradient sums (P) and its part of the loss (index P).
var<private> gacc: array<f32, PX>;

fn cst(k: u32) -> f32 {
  return misc[CONST_OFF + k];
}

/** This iteration's beta / B (k = 0) and -2 beta / B (k = 1). */
fn penalty(k: u32) -> f32 {
  return misc[PEN_OFF + 2u * frame.sched + k];
}

fn dateF(i: u32, k: u32) -> f32 {
  return misc[DATE_OFF + i * DATE_FIELDS + k];
}

fn atomF(a: u32, k: u32) -> f32 {
  return misc[ATOM_OFF + a * ATOM_FIELDS + k];
}

/** The MLP at parameter offset `base` with `k` inputs at inp[at ..]; leaves h1 and h2. */
fn forward(base: u32, k: u32, at: u32) -> f32 {
  let b1 = base + k * H;
  let w2 = b1 + H;
  let b2 = w2 + H * H;
  let w3 = b2 + H;
  let b3 = w3 + H;
  for (var j = 0u; j < H; j++) {
    var z = state[b1 + j];
    for (var q = 0u; q < k; q++) {
      z = state[base + j * k + q] * inp[at + q] + z;
    }
    h1[j] = max(z, 0.0);
  }
  for (var j = 0u; j < H; j++) {
    var a = state[b2 + j];
    let row = w2 + j * H;
    for (var i = 0u; i < H; i++) {
      a = state[row + i] * h1[i] + a;
    }
    h2[j] = max(a, 0.0);
  }
  var o = state[b3];
  for (var j = 0u; j < H; j++) {
    o = state[w3 + j] * h2[j] + o;
  }
  return o;
}

/** Adds the gradient of d * net (activations of the last forward) to gacc. */
fn backward(base: u32, k: u32, at: u32, d: f32) {
  let b1 = base + k * H;
  let w2 = b1 + H;
  let b2 = w2 + H * H;
  let w3 = b2 + H;
  let b3 = w3 + H;
  gacc[b3] = gacc[b3] + d;
  for (var j = 0u; j < H; j++) {
    let hj = h2[j];
    gacc[w3 + j] = gacc[w3 + j] + d * hj;
    let e = select(0.0, d * state[w3 + j], hj > 0.0);
    dz2[j] = e;
    gacc[b2 + j] = gacc[b2 + j] + e;
  }
  for (var i = 0u; i < H; i++) {
    let hi = h1[i];
    var s = 0.0;
    for (var j = 0u; j < H; j++) {
      let e = dz2[j];
      s = e * state[w2 + j * H + i] + s;
      let g = w2 + j * H + i;
      gacc[g] = gacc[g] + e * hi;
    }
    let e1 = select(0.0, s, hi > 0.0);
    for (var q = 0u; q < k; q++) {
      let g = base + i * k + q;
      gacc[g] = gacc[g] + e1 * inp[at + q];
    }
    gacc[b1 + i] = gacc[b1 + i] + e1;
  }
}

/** The first atom of date i whose cumulative mass exceeds u (inverse CDF, binary search). */
fn atomOf(i: u32, u: f32) -> u32 {
  let off = u32(dateF(i, D_OFF));
  var lo = 0u;
  var hi = u32(dateF(i, D_SIZE)) - 1u;
  while (lo < hi) {
    let mid = (lo + hi) >> 1u;
    if (u < atomF(off + mid, A_CDF)) {
      hi = mid;
    } else {
      lo = mid + 1u;
    }
  }
  return off + lo;
}

/** Draws path `path` of `iteration` (counter (path, iteration, date >> 2, 0)); fills inp and dzs; returns F. */
fn drawPath(path: u32, iteration: u32) -> f32 {
  var words = vec4<u32>(0u);
  for (var i = 0u; i < N; i++) {
    if ((i & 3u) == 0u) {
      words = philox(vec4<u32>(path, iteration, i >> 2u, 0u), vec2<u32>(KEY0, KEY1));
    }
    idx[i] = atomOf(i, uniform01(words[i & 3u]));
  }
  let invG = cst(C_INV_G);
  var sum = 0.0;
  var top = 0.0;
  var prev = 1.0;
  for (var i = 0u; i < N; i++) {
    let y = atomF(idx[i], A_Y);
    sum = sum + y;
    top = select(max(top, y), y, i == 0u);
    let at = i * IN_H;
    inp[at] = dateF(i, D_TAU);
    inp[at + 1u] = atomF(idx[i], A_Z);
    inp[at + 2u] = (prev - 1.0) * invG;
    inp[at + 3u] = (sum * dateF(i, D_INV_COUNT) - 1.0) * invG;
    inp[at + 4u] = (top - 1.0) * invG;
    if (i > 0u) {
      dzs[i - 1u] = (y - prev) * dateF(i - 1u, D_INC);
    }
    prev = y;
  }
  let last = atomF(idx[N - 1u], A_Y);
  let before = atomF(idx[N - 2u], A_Y);
  var fy = 0.0;
  if (PAYOFF_KIND == 0u) {
    fy = max(last - cst(C_PA) * before, 0.0);
  } else if (PAYOFF_KIND == 1u) {
    fy = abs(last - before);
  } else if (PAYOFF_KIND == 2u) {
    fy = max(sum * dateF(N - 1u, D_INV_COUNT) - cst(C_PA), 0.0);
  } else if (PAYOFF_KIND == 3u) {
    fy = top - last;
  } else if (PAYOFF_KIND == 4u) {
    fy = min(max(last / before - 1.0, cst(C_PA)), cst(C_PB));
  } else {
    fy = (last - before) * (last - before);
  }
  return fy * cst(C_FSCALE);
}

/** The penalty of one sampled path and its gradient, into gacc. */
fn trainPath(path: u32, iteration: u32) {
  let F = drawPath(path, iteration);
  var r = cst(C_SIDE) * F;
  for (var i = 0u; i < N; i++) {
    let at = i * IN_H;
    r = r - forward(0u, IN_U, at);
    if (i < N - 1u) {
      r = r - forward(PU, IN_H, at) * dzs[i];
    }
  }
  let v = max(r, 0.0);
  gacc[P] = gacc[P] + penalty(0u) * v * v;
  if (v > 0.0) {
    let d = penalty(1u) * v;
    for (var i = 0u; i < N; i++) {
      let at = i * IN_H;
      forward(0u, IN_U, at);
      backward(0u, IN_U, at, d);
      if (i < N - 1u) {
        forward(PU, IN_H, at);
        backward(PU, IN_H, at, d * dzs[i]);
      }
    }
  }
}

/** The exact term of atom a: mu U(tau_i, z_a) and its gradient. */
fn trainAtom(a: u32) {
  var i = 0u;
  while (i < N - 1u && f32(a) >= dateF(i + 1u, D_OFF)) {
    i++;
  }
  inp[0] = dateF(i, D_TAU);
  inp[1] = atomF(a, A_Z);
  let mu = atomF(a, A_MU);
  gacc[P] = gacc[P] + mu * forward(0u, IN_U, 0u);
  backward(0u, IN_U, 0u, mu);
}

fn workgroupIndex(wid: vec3<u32>) -> u32 {
  return wid.x + wid.y * GRID_X;
}

@compute @workgroup_size(WG)
fn train(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let wg = workgroupIndex(wid);
  if (wg >= NWG) {
    return;
  }
  for (var p = 0u; p < PX; p++) {
    gacc[p] = 0.0;
  }
  let item = wg * WG + lid;
  if (item < B) {
    trainPath(item, frame.iteration);
  } else if (item < B + A) {
    trainAtom(item - B);
  }
  writePartials(wg, lid);
}

@compute @workgroup_size(REDUCE_THREADS)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = wid.x + wid.y * REDUCE_GRID_X;
  if (p >= PX) {
    return;
  }
  let g = workgroupSum(p * NWG, lid);
  if (lid == 0u) {
    state[OFF_GRAD + p] = g;
    if (p == P) {
      misc[HIST_OFF + 2u * frame.slot] = g;
      misc[HIST_OFF + 2u * frame.slot + 1u] = g;
    } else if (frame.apply != 0u) {
      let sc = SCHED_OFF + 4u * frame.sched;
      adamwStep(p, g, misc[sc], misc[sc + 1u], misc[sc + 2u], misc[sc + 3u]);
    }
  }
}
