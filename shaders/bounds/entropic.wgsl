// One sweep of the entropic MOT solver (assembly/bounds/index.ts, same order and same updates) in f32:
// `martingale` per level (a thread per history), `marginal` per date (a thread per atom), then `reduce`,
// which sums the sweep's violations and raises the stage's done flag; kernels after the flag return at
// once, so a submission of several sweeps stops where the f64 driver would. No kernel has a barrier:
// software adapters (SwiftShader) pay for each one per workgroup, and a thread's groups are disjoint.
// Potentials are stage increments in units of eps (psi_i += eps d): f32 keeps each d exactly enough, and
// the host adds eps times them to its f64 potentials at the stage's end.
// The prelude defines WG, NEWTON_STEPS, NEWTON_TOLERANCE and MAX_W_STEP.

struct Frame {
  m: u32,         // atoms of the date grouped (marginal: date i; martingale: date i+1)
  inner: u32,     // paths sharing a history that ends at that date
  outer: u32,     // marginal: cells / (m inner)
  groups: u32,    // threads with work: atoms (marginal) or histories (martingale)
  off: u32,       // offset of the group's potential and violation in pot and err
  prevM: u32,     // martingale: atoms of date i (a history's last atom is q % prevM)
  dxOff: u32,     // martingale: level i's table of x_{i+1} - x_i in consts
  gridX: u32,     // workgroups along x (2D grids past 65535)
  slot: u32,      // reduce: this sweep's slot in stats
  dates: u32,     // reduce: n
  threshold: f32, // reduce: done when max(marginal, martingale invScale) < threshold
  invScale: f32,
  bounds: array<vec4<u32>, 4>, // reduce: err offsets of the dates' atoms (n + 1), then the histories' end
}

@group(0) @binding(0) var<uniform> frame: Frame;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;       // log plan per path
@group(0) @binding(2) var<storage, read_write> pot: array<f32>;     // psi increments per atom, then h per history
@group(0) @binding(3) var<storage, read_write> err: array<f32>;     // violations, same layout as pot
@group(0) @binding(4) var<storage, read_write> consts: array<f32>;  // log mu per atom, then the dx tables
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;   // done flag, sweeps run, then 2 per slot
@group(0) @binding(6) var<storage, read_write> masses: array<f32>;  // martingale: log mass per (history, next atom)

const NEG: f32 = -3.0e38;

fn bound(i: u32) -> u32 { return frame.bounds[i / 4u][i % 4u]; }

/** This thread's group, or frame.groups when it has none or the stage is done. */
fn group(wid: vec3<u32>, lid: u32) -> u32 {
  let g = (wid.x + wid.y * frame.gridX) * WG + lid;
  return select(g, frame.groups, stats[0] != 0.0 || g >= frame.groups);
}

/** Path r (of outer inner) through atom a of the date. */
fn cellOf(a: u32, r: u32) -> u32 {
  return ((r / frame.inner) * frame.m + a) * frame.inner + r % frame.inner;
}

/** Sinkhorn step for atom a of the date: psi += eps (log pi(a) - log mu(a)), W -= that over its paths. */
@compute @workgroup_size(WG)
fn marginal(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let a = group(wid, lid);
  if (a == frame.groups) { return; }
  let members = frame.outer * frame.inner;
  var mx = NEG;
  for (var r = 0u; r < members; r++) { mx = max(mx, w[cellOf(a, r)]); }
  var s = 0.0;
  for (var r = 0u; r < members; r++) { s += exp(w[cellOf(a, r)] - mx); }
  let lse = mx + log(s);
  let k = frame.off + a;
  let logMu = consts[k];
  let d = lse - logMu;
  pot[k] += d;
  err[k] = abs(exp(lse) - exp(logMu));
  for (var r = 0u; r < members; r++) {
    let c = cellOf(a, r);
    w[c] -= d;
  }
}

/**
 * Martingale step for history q (x_1..x_i) of level i: Newton on the multiplier d that makes
 * sum_j exp(m_j - d dx_j) dx_j = 0, m_j the log mass of the history followed by atom j of date i+1.
 */
@compute @workgroup_size(WG)
fn martingale(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = group(wid, lid);
  if (q == frame.groups) { return; }
  let m = frame.m;
  let inner = frame.inner;
  let base = q * m * inner;
  let row = frame.dxOff + (q % frame.prevM) * m;
  var dxMax = 0.0;
  var viol = 0.0;
  for (var j = 0u; j < m; j++) {
    let p = base + j * inner;
    var mx = NEG;
    for (var k = 0u; k < inner; k++) { mx = max(mx, w[p + k]); }
    var s = 0.0;
    for (var k = 0u; k < inner; k++) { s += exp(w[p + k] - mx); }
    let v = mx + log(s);
    masses[q * m + j] = v;
    let dx = consts[row + j];
    dxMax = max(dxMax, abs(dx));
    viol += exp(v) * dx;
  }
  err[frame.off + q] = abs(viol);
  // No root when the history's mass sits on one side only: move at most MAX_W_STEP in W per sweep.
  let limit = MAX_W_STEP / max(dxMax, 1e-30);
  var d = 0.0;
  for (var it = 0u; it < NEWTON_STEPS; it++) {
    var top = NEG;
    for (var j = 0u; j < m; j++) { top = max(top, masses[q * m + j] - d * consts[row + j]); }
    var acc = vec3<f32>(0.0);
    for (var j = 0u; j < m; j++) {
      let dx = consts[row + j];
      let e = exp(masses[q * m + j] - d * dx - top);
      acc += vec3<f32>(e, e * dx, e * dx * dx);
    }
    if (!(acc.z > 0.0)) { break; }
    d += clamp(acc.y / acc.z, -limit, limit);
    if (abs(acc.y) <= NEWTON_TOLERANCE * acc.x * dxMax) { break; }
  }
  if (d == 0.0) { return; }
  pot[frame.off + q] += d;
  for (var c = 0u; c < m * inner; c++) { w[base + c] -= d * consts[row + c / inner]; }
}

/** The sweep's violations: the largest over dates of sum_a |pi_i(a) - mu_i(a)|, and the martingale sum. */
@compute @workgroup_size(1)
fn reduce() {
  if (stats[0] != 0.0) { return; }
  var marginalError = 0.0;
  for (var i = 0u; i < frame.dates; i++) {
    var s = 0.0;
    for (var k = bound(i); k < bound(i + 1u); k++) { s += err[k]; }
    marginalError = max(marginalError, s);
  }
  var martingaleError = 0.0;
  for (var k = bound(frame.dates); k < bound(frame.dates + 1u); k++) { martingaleError += err[k]; }
  stats[2u + 2u * frame.slot] = marginalError;
  stats[3u + 2u * frame.slot] = martingaleError;
  stats[1] += 1.0;
  if (max(marginalError, martingaleError * frame.invScale) < frame.threshold) { stats[0] = 1.0; }
}
