// One sweep of the entropic MOT solver (assembly/bounds/index.ts, same order and same updates) in f32:
// a martingale kernel per level (one workgroup per history), a marginal kernel per date (one workgroup per
// atom), then `reduce`, which sums the violations of the sweep and raises the stage's done flag. Kernels
// after the flag return at once, so a submission of several sweeps stops where the f64 driver would.
// The prelude defines WG, MAX_ATOMS, NEWTON_STEPS, NEWTON_TOLERANCE and MAX_W_STEP.
// Potentials are stage increments in units of eps (psi_i += eps d): f32 keeps d exactly enough, the
// host adds eps times them to its f64 potentials at the stage's end.

struct Frame {
  m: u32,         // atoms of the date grouped (marginal: date i; martingale: date i+1)
  inner: u32,     // paths sharing a history that ends at that date
  outer: u32,     // marginal: cells / (m inner)
  groups: u32,    // workgroups with work: atoms (marginal) or histories (martingale)
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
@group(0) @binding(1) var<storage, read_write> w: array<f32>;      // log plan per path
@group(0) @binding(2) var<storage, read_write> pot: array<f32>;    // psi increments per atom, then h per history
@group(0) @binding(3) var<storage, read_write> err: array<f32>;    // violations, same layout as pot
@group(0) @binding(4) var<storage, read_write> consts: array<f32>; // log mu per atom, then the dx tables
@group(0) @binding(5) var<storage, read_write> stats: array<f32>;  // done flag, sweeps run, then 2 per slot

const NEG: f32 = -3.0e38;

var<workgroup> red: array<vec4<f32>, WG>;
var<workgroup> lm: array<f32, MAX_ATOMS>;
var<workgroup> flag: f32;

fn bound(i: u32) -> u32 { return frame.bounds[i / 4u][i % 4u]; }

/** Sum over the workgroup, the same (uniform) value in every thread. */
fn sumAll(lid: u32, v: vec4<f32>) -> vec4<f32> {
  red[lid] = v;
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid < s) { red[lid] += red[lid + s]; }
  }
  let r = workgroupUniformLoad(&red[0]);
  workgroupBarrier();
  return r;
}

fn maxAll(lid: u32, v: f32) -> f32 {
  red[lid].x = v;
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid < s) { red[lid].x = max(red[lid].x, red[lid + s].x); }
  }
  let r = workgroupUniformLoad(&red[0]);
  workgroupBarrier();
  return r.x;
}

/** The stage is done (a previous sweep of this submission met the tolerance). */
fn skip(lid: u32) -> bool {
  if (lid == 0u) { flag = stats[0]; }
  return workgroupUniformLoad(&flag) != 0.0;
}

fn cellOf(a: u32, r: u32) -> u32 {
  return ((r / frame.inner) * frame.m + a) * frame.inner + r % frame.inner;
}

/** Sinkhorn step for one atom a of the date: psi += eps (log pi(a) - log mu(a)), W -= that over its paths. */
@compute @workgroup_size(WG)
fn marginal(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  if (skip(lid)) { return; }
  let a = wid.x + wid.y * frame.gridX;
  if (a >= frame.groups) { return; }
  let members = frame.outer * frame.inner;
  var mx = NEG;
  for (var r = lid; r < members; r += WG) { mx = max(mx, w[cellOf(a, r)]); }
  mx = maxAll(lid, mx);
  var s = 0.0;
  for (var r = lid; r < members; r += WG) { s += exp(w[cellOf(a, r)] - mx); }
  let lse = mx + log(sumAll(lid, vec4<f32>(s, 0.0, 0.0, 0.0)).x);
  let k = frame.off + a;
  let logMu = consts[k];
  let d = lse - logMu;
  if (lid == 0u) {
    pot[k] += d;
    err[k] = abs(exp(lse) - exp(logMu));
  }
  for (var r = lid; r < members; r += WG) {
    let c = cellOf(a, r);
    w[c] -= d;
  }
}

/**
 * Martingale step for one history q (x_1..x_i) of level i: Newton on the multiplier d that makes
 * sum_j exp(m_j - d dx_j) dx_j = 0, m_j the log mass of the history followed by atom j of date i+1.
 */
@compute @workgroup_size(WG)
fn martingale(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  if (skip(lid)) { return; }
  let q = wid.x + wid.y * frame.gridX;
  if (q >= frame.groups) { return; }
  let m = frame.m;
  let inner = frame.inner;
  let base = q * m * inner;
  let row = frame.dxOff + (q % frame.prevM) * m;
  var dxMax = 0.0;
  var viol = 0.0;
  for (var j = lid; j < m; j += WG) {
    let p = base + j * inner;
    var v = w[p];
    if (inner > 1u) {
      var mx = NEG;
      for (var k = 0u; k < inner; k++) { mx = max(mx, w[p + k]); }
      var s = 0.0;
      for (var k = 0u; k < inner; k++) { s += exp(w[p + k] - mx); }
      v = mx + log(s);
    }
    lm[j] = v;
    let dx = consts[row + j];
    dxMax = max(dxMax, abs(dx));
    viol += exp(v) * dx;
  }
  dxMax = maxAll(lid, dxMax);
  viol = sumAll(lid, vec4<f32>(viol, 0.0, 0.0, 0.0)).x;
  if (lid == 0u) { err[frame.off + q] = abs(viol); }
  // No root when the history's mass sits on one side only: move at most MAX_W_STEP in W per sweep.
  let limit = MAX_W_STEP / max(dxMax, 1e-30);
  var d = 0.0;
  for (var it = 0u; it < NEWTON_STEPS; it++) {
    var top = NEG;
    for (var j = lid; j < m; j += WG) { top = max(top, lm[j] - d * consts[row + j]); }
    top = maxAll(lid, top);
    var acc = vec4<f32>(0.0);
    for (var j = lid; j < m; j += WG) {
      let dx = consts[row + j];
      let e = exp(lm[j] - d * dx - top);
      acc += vec4<f32>(e, e * dx, e * dx * dx, 0.0);
    }
    acc = sumAll(lid, acc);
    if (!(acc.z > 0.0)) { break; }
    d += clamp(acc.y / acc.z, -limit, limit);
    if (abs(acc.y) <= NEWTON_TOLERANCE * acc.x * dxMax) { break; }
  }
  if (d == 0.0) { return; }
  if (lid == 0u) { pot[frame.off + q] += d; }
  for (var c = lid; c < m * inner; c += WG) { w[base + c] -= d * consts[row + c / inner]; }
}

/** The sweep's violations: the largest over dates of sum_a |pi_i(a) - mu_i(a)|, and the martingale sum. */
@compute @workgroup_size(WG)
fn reduce(@builtin(local_invocation_index) lid: u32) {
  if (skip(lid)) { return; }
  var marginalError = 0.0;
  for (var i = 0u; i < frame.dates; i++) {
    var s = 0.0;
    for (var k = bound(i) + lid; k < bound(i + 1u); k += WG) { s += err[k]; }
    marginalError = max(marginalError, sumAll(lid, vec4<f32>(s, 0.0, 0.0, 0.0)).x);
  }
  var s = 0.0;
  for (var k = bound(frame.dates) + lid; k < bound(frame.dates + 1u); k += WG) { s += err[k]; }
  let martingaleError = sumAll(lid, vec4<f32>(s, 0.0, 0.0, 0.0)).x;
  if (lid == 0u) {
    stats[2u + 2u * frame.slot] = marginalError;
    stats[3u + 2u * frame.slot] = martingaleError;
    stats[1] += 1.0;
    if (max(marginalError, martingaleError * frame.invScale) < frame.threshold) { stats[0] = 1.0; }
  }
}
