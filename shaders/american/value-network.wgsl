// The American value network's training iteration in WGSL (docs/numerics.md, neural approximate dynamic
// programming), one thread per training path: the same arithmetic, operation for operation, as
// assembly/american/value-network.ts (vnTrain) and its paths (assembly/american/paths.ts).
//
// Completed by a prelude the host generates (widget/models/american/network/webgpu/program.ts): the
// constants H, M, B, P, PX, WG, NWG, GRID_X, REDUCE_GRID_X, the market constants, the parameter and state
// offsets. shaders/core/philox.wgsl, shaders/core/math.wgsl and shaders/core/adamw.wgsl come before it.
//
// Entry points, in the order one iteration dispatches them:
//   copyTarget  (first iteration of a targetRefresh block)  the TD target's weights := the weights
//   train       simulate each path (Philox, stream 0, drift r - q), then over its M transitions the TD
//               target (three target forwards, the control variate), the online forward and backward; the
//               thread's gradient of scale * sum e^2 and its sum e^2 summed over the workgroup into one
//               partial per workgroup. Workgroup 0 also writes the price C(0, S0) of the weights.
//   reduce      one workgroup per parameter (and the loss): the partials summed, then AdamW in place.

struct Frame {
  iteration: u32,
  // This iteration's optimiser step in the schedule (misc[SCHED_OFF + 4 * sched ..]).
  sched: u32,
  // 1: take the optimiser step; 0: only write the reduced gradient (tests).
  apply: u32,
  // Slot of the history ring (misc[HIST_OFF + 2 * slot ..]): loss and price.
  slot: u32,
}

@group(0) @binding(0) var<uniform> frame: Frame;
// params [P] | AdamW m [P] | AdamW v [P] | target weights [P] | reduced gradient [PX] (P: the loss sum)
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
// [PX][NWG]: each workgroup's sums
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
// tau [M + 1] | history ring [HCAP][2] | optimiser schedule [SCAP][4]
@group(0) @binding(3) var<storage, read_write> misc: array<f32>;

/** e^x as the AssemblyScript engine computes it (expLane, assembly/core/lane-math.ts), operation for operation. */
fn expAs(x0: f32) -> f32 {
  let x = min(max(x0, -87.0), 88.0);
  let n = floor(x * LOG2E_AS + 0.5);
  let r = (x - n * LN2_HI) - n * LN2_LO;
  var q = (1.0 / 5040.0) * r + (1.0 / 720.0);
  q = q * r + (1.0 / 120.0);
  q = q * r + (1.0 / 24.0);
  q = q * r + (1.0 / 6.0);
  q = q * r + 0.5;
  q = q * r + 1.0;
  let p = q * r + 1.0;
  return p * bitcast<f32>((i32(n) + 127) << 23u);
}

/** (sin t, cos t) as sinCosLane computes them (Cephes kernels after a three-part pi/2 reduction). */
fn sinCosAs(x: f32) -> vec2<f32> {
  let n = floor(x * 0.636619772 + 0.5);
  var r = x - n * 1.5703125;
  r = r - n * 4.837512969970703125e-4;
  r = r - n * 7.54978995489188216e-8;
  let z = r * r;
  var sp = -1.9515295891e-4 * z + 8.3321608736e-3;
  sp = sp * z + -1.6666654611e-1;
  let s = (sp * z) * r + r;
  var cp = 2.443315711809948e-5 * z + -1.388731625493765e-3;
  cp = cp * z + 4.166664568298827e-2;
  let c = (1.0 - 0.5 * z) + (cp * z) * z;
  let q = i32(n);
  let odd = (q & 1) != 0;
  let sinSign = u32(q & 2) << 30u;
  let cosSign = u32((q + 1) & 2) << 30u;
  let so = bitcast<f32>(bitcast<u32>(select(s, c, odd)) ^ sinSign);
  let co = bitcast<f32>(bitcast<u32>(select(c, s, odd)) ^ cosSign);
  return vec2<f32>(so, co);
}

/** Box-Muller of one Philox block as assembly/core/normals.ts: (r1 cos, r1 sin, r2 cos, r2 sin). */
fn normalsAs(words: vec4<u32>) -> vec4<f32> {
  let r1 = sqrt(-2.0 * logAs(uniform01(words.x)));
  let a = sinCosAs(6.2831855 * uniform01(words.y) + -3.1415927);
  let r2 = sqrt(-2.0 * logAs(uniform01(words.z)));
  let b = sinCosAs(6.2831855 * uniform01(words.w) + -3.1415927);
  return vec4<f32>(r1 * a.y, r1 * a.x, r2 * b.y, r2 * b.x);
}

var<private> spots: array<f32, M>;
var<private> h1: array<f32, H>;
var<private> h2: array<f32, H>;
var<private> dz2: array<f32, H>;
// The thread's gradient sums (P) and its sum of squared TD errors (index P).
var<private> gacc: array<f32, PX>;

fn tauAt(m: u32) -> f32 {
  return misc[TAU_OFF + m];
}

/** Spots at dates 1..M of training path `path` (counter (path, iteration, k >> 2, 0)), as groupPath. */
fn simulate(path: u32, iteration: u32) {
  var s = SPOT0;
  for (var k = 0u; k < M; k += 4u) {
    let z = normalsAs(philox(vec4<u32>(path, iteration, k >> 2u, 0u), vec2<u32>(KEY0, KEY1)));
    for (var q = 0u; q < 4u; q++) {
      if (k + q < M) {
        s = s * expAs(VOL_SQRT_DT * z[q] + DRIFT_DT);
        spots[k + q] = s;
      }
    }
  }
}

fn payoffOf(s: f32) -> f32 {
  if (IS_PUT) {
    return max(STRIKE - s, 0.0);
  }
  return max(s - STRIKE, 0.0);
}

/** x = log(S / K) / (sigma sqrt(T)). */
fn moneyness(s: f32) -> f32 {
  return logAs(s * INV_STRIKE) * INV_SCALE;
}

/** net(tau, x) with the weights at state[base ..]; leaves the activations in h1 and h2. */
fn forward(base: u32, tau: f32, x: f32) -> f32 {
  for (var j = 0u; j < H; j++) {
    var z = state[base + 2u * j] * tau + state[base + OFF_B1 + j];
    z = state[base + 2u * j + 1u] * x + z;
    h1[j] = max(z, 0.0);
  }
  for (var j = 0u; j < H; j++) {
    var a = state[base + OFF_B2 + j];
    let row = base + OFF_W2 + j * H;
    for (var i = 0u; i < H; i++) {
      a = state[row + i] * h1[i] + a;
    }
    h2[j] = max(a, 0.0);
  }
  var z3 = state[base + OFF_B3];
  for (var j = 0u; j < H; j++) {
    z3 = state[base + OFF_W3 + j] * h2[j] + z3;
  }
  return z3;
}

/** Adds the gradient of d * net(tau, x) at the online weights (activations of the last forward) to gacc. */
fn backward(d: f32, tau: f32, x: f32) {
  gacc[OFF_B3] = gacc[OFF_B3] + d;
  for (var j = 0u; j < H; j++) {
    let hj = h2[j];
    gacc[OFF_W3 + j] = d * hj + gacc[OFF_W3 + j];
    let e = select(0.0, d * state[OFF_W3 + j], hj > 0.0);
    dz2[j] = e;
    gacc[OFF_B2 + j] = gacc[OFF_B2 + j] + e;
  }
  for (var i = 0u; i < H; i++) {
    let hi = h1[i];
    var s = 0.0;
    for (var j = 0u; j < H; j++) {
      let e = dz2[j];
      s = e * state[OFF_W2 + j * H + i] + s;
      let g = OFF_W2 + j * H + i;
      gacc[g] = e * hi + gacc[g];
    }
    let e1 = select(0.0, s, hi > 0.0);
    gacc[2u * i] = e1 * tau + gacc[2u * i];
    gacc[2u * i + 1u] = e1 * x + gacc[2u * i + 1u];
    gacc[OFF_B1 + i] = gacc[OFF_B1 + i] + e1;
  }
}

/** V_target(t_{m+1}, s): max(g, C_target) before maturity, g at it. */
fn targetValue(m: u32, s: f32, x: f32) -> f32 {
  let g = payoffOf(s);
  if (m + 1u >= M) {
    return g;
  }
  return max(g, STRIKE * forward(OFF_T, tauAt(m + 1u), x));
}

/** The TD errors of one path, every transition, into gacc (gradient) and gacc[P] (sum of squares). */
fn trainPath(path: u32, iteration: u32) {
  simulate(path, iteration);
  var x = moneyness(SPOT0);
  var s = SPOT0;
  var sum = 0.0;
  for (var m = 0u; m < M; m++) {
    let sNext = spots[m];
    let xNext = moneyness(sNext);
    let vNext = targetValue(m, sNext, xNext);
    let sUp = s * STEP_UP;
    let sDown = s * STEP_DOWN;
    let beta = (targetValue(m, sUp, x + STEP_X) - targetValue(m, sDown, x - STEP_X)) / (sUp - sDown);
    let y = DISC * vNext - beta * (DISC * sNext - CARRY * s);
    let tau = tauAt(m);
    let c = STRIKE * forward(0u, tau, x);
    let e = c - y;
    sum = e * e + sum;
    backward(UP * e, tau, x);
    x = xNext;
    s = sNext;
  }
  gacc[P] = gacc[P] + sum;
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
  let path = wg * WG + lid;
  if (path < B) {
    trainPath(path, frame.iteration);
  }
  if (wg == 0u && lid == 0u) {
    misc[HIST_OFF + 2u * frame.slot + 1u] = STRIKE * forward(0u, tauAt(0u), moneyness(SPOT0));
  }
  writePartials(wg, lid);
}

@compute @workgroup_size(WG)
fn copyTarget(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x < P) {
    state[OFF_T + gid.x] = state[gid.x];
  }
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
      misc[HIST_OFF + 2u * frame.slot] = g * INV_T;
    } else if (frame.apply != 0u) {
      let sc = SCHED_OFF + 4u * frame.sched;
      adamwStep(p, g, misc[sc], misc[sc + 1u], misc[sc + 2u], misc[sc + 3u]);
    }
  }
}
