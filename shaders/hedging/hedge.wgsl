// The deep-hedging training iteration in WGSL (docs/numerics.md), one thread per path.
//
// This file is completed by a prelude the host generates per configuration (see
// widget/engine/webgpu/program.ts): the constants H, N, B, WG, SUB, ROW, P, PX, NSLOT, DEPTHS, PER_DEPTH,
// RISK, NWG, GRID_X, the market and risk constants, the offsets into `state` and `misc`, and `prm(i)` /
// `loadParams(lid)` (parameters from workgroup memory when they fit, else from the state buffer).
//
// Entry points, in the order one iteration dispatches them:
//   forward  (risk != mse)  simulate + forward, y = PnL - Z per path into `ybuf`
//   stats    (risk != mse)  one workgroup: the batch statistics of y the risk measure needs (max and
//                           sum of exponentials, mean and sd, the VaR order statistic by radix select),
//                           the loss and price into the history ring
//   backward                simulate + forward again (tape: spot and hedge per step in private memory, the
//                           second hidden layer in the tape buffer when it fits),
//                           dLoss/dy from the statistics (mse: local), backward through time; the
//                           workgroup's parameter gradient (per depth with PER_DEPTH) summed in workgroup
//                           memory and written as one partial per workgroup
//   reduce                  one workgroup per parameter: tree reduction of the partials, then AdamW in
//                           place (one step per depth, in order); for mse also the loss and price
// Nothing path-sized is uploaded: normals and spots come from Philox (shaders/philox.wgsl and shaders/math.wgsl
// are prepended)
// inside the kernels.

struct Frame {
  iteration: u32,
  // Index of this iteration's first optimiser step in the schedule (misc[SCHED_OFF + 4 * i ..]).
  sched: u32,
  // 1: take the optimiser step(s); 0: only write the reduced gradient (tests).
  apply: u32,
  // Slot of the history ring (misc[HIST_OFF + 2 * slot ..]) that receives loss and price.
  slot: u32,
}

@group(0) @binding(0) var<uniform> frame: Frame;
// params [P] | AdamW m [P] | AdamW v [P] | reduced gradient [DEPTHS][PX]
@group(0) @binding(1) var<storage, read_write> state: array<f32>;
// [DEPTHS][PX][NWG]: each workgroup's gradient sums
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
// [B]: PnL - Z per path (risk != mse)
@group(0) @binding(3) var<storage, read_write> ybuf: array<f32>;
// statistics [16] | history ring [HCAP][2] | tau [N] | optimiser schedule [SCAP][4]
@group(0) @binding(4) var<storage, read_write> misc: array<f32>;
// [N][H][B] (TAPE): the second hidden layer's activations, written by the backward kernel's forward pass
// and read by its backward steps; without TAPE (too large for the device) they are recomputed.
@group(0) @binding(5) var<storage, read_write> tape: array<f32>;

// ---------------------------------------------------------------------------------------------------
// One path: its spots, spot inputs and hedges (the tape), the network step, and the backward step.

var<private> spot: array<f32, N + 1u>;
// The network's spot input at each step (computed once per path: the backward steps reuse it).
var<private> xin: array<f32, N>;
var<private> hedge: array<f32, N>;
var<private> h1: array<f32, H>;
var<private> h2: array<f32, H>;
var<private> dz1: array<f32, H>;
var<private> dz2: array<f32, H>;
var<private> dz3: f32;
// Per-depth upstreams: two halves of N (current depth, next depth).
var<private> carry: array<f32, 2u * N>;
// The path whose activations go to and come from the tape (B: none).
var<private> tapePath: u32 = B;

/**
 * The spot input for spot s (docs/numerics.md, Features). Not the builtin log: SwiftShader's errs by about
 * 2e-4. logAs (shaders/core/math.wgsl) is the WASM engine's own log, so both engines feed the same input.
 */
fn spotInput(s: f32) -> f32 {
  if (LOG_MONEYNESS) {
    return (logAs(s) - LOG_STRIKE) * FEATURE_SCALE;
  }
  return s;
}

fn tauAt(k: u32) -> f32 {
  return misc[TAU_OFF + k];
}

/** Simulates the path (stream `stream`) and runs the network over it; returns PnL - Z. */
fn forwardPath(path: u32, iteration: u32) -> f32 {
  var s = 1.0;
  spot[0] = s;
  for (var k = 0u; k < N; k += 4u) {
    let z = normalsOf(philox(vec4<u32>(path, iteration, k >> 2u, STREAM), vec2<u32>(KEY0, KEY1)));
    for (var q = 0u; q < 4u; q++) {
      if (k + q < N) {
        s = s * expAcc(DRIFT_DT + VOL_SQRT_DT * z[q]);
        spot[k + q + 1u] = s;
      }
    }
  }
  var prev = 0.0;
  var pnl = 0.0;
  var cost = 0.0;
  for (var k = 0u; k < N; k++) {
    let sk = spot[k];
    let x = spotInput(sk);
    xin[k] = x;
    let d = netStep(tauAt(k), x, prev);
    hedge[k] = d;
    if (TAPE && tapePath < B) {
      for (var j = 0u; j < H; j++) {
        tape[(k * H + j) * B + tapePath] = h2[j];
      }
    }
    pnl = d * (spot[k + 1u] - sk) + pnl;
    cost = (KAPPA * abs(d - prev)) * sk + cost;
    prev = d;
  }
  let sN = spot[N];
  cost = (KAPPA * abs(prev)) * sN + cost;
  var payoff: f32;
  if (IS_PUT) {
    payoff = max(STRIKE - sN, 0.0);
  } else {
    payoff = max(sN - STRIKE, 0.0);
  }
  return (pnl - cost) - payoff;
}

fn signOf(x: f32) -> f32 {
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}

/** dPnL/d(hedge[k]): the step's gain and the two trades hedge[k] takes part in. */
fn pnlSensitivity(k: u32) -> f32 {
  let s = spot[k];
  let sNext = spot[k + 1u];
  let d = hedge[k];
  var prev = 0.0;
  if (k > 0u) {
    prev = hedge[k - 1u];
  }
  var next = 0.0;
  if (k + 1u < N) {
    next = hedge[k + 1u];
  }
  var out = sNext - s;
  out = out - (KAPPA * signOf(d - prev)) * s;
  out = out + (KAPPA * signOf(next - d)) * sNext;
  return out;
}

fn prevHedge(k: u32) -> f32 {
  if (k == 0u) {
    return 0.0;
  }
  return hedge[k - 1u];
}

// netStep(tau, s, prev) and backwardStep(k, up) come from shaders/network.wgsl (appended).

// ---------------------------------------------------------------------------------------------------
// Workgroup gradient sums. Every backward step the threads stage their rows (activations and their
// gradients) SUB at a time in workgroup memory. Each parameter's gradient is the sum over paths and
// steps of the product of two row columns, and the products form 4 x 4 tiles: a tile is 4 consecutive
// columns at `a` times 4 consecutive columns at `b` (column groups below). Thread lid owns the tiles
// lid, lid + WG, ...: per staged path it loads 8 values for 16 products, and keeps its sums in
// registers over the sub-batch.
//
// Tiles (T = H / 4): W2 (T * T: dz2 block x h1 block), W1 and b1 (T: dz1 block x [tau spot prev 1]),
// b2 (T: dz2 block x [1 ..]), W3 (T: h2 block x [1 dz3 ..]), and one for b3, p0 and the two loss
// sums ([dz3 up loss y] x [1 ..]).

// Row columns.
const C_H1 = 0u;
const C_H2 = H;
const C_DZ1 = 2u * H;
const C_DZ2 = 3u * H;
const C_TAU = 4u * H;
const C_SPOT = 4u * H + 1u;
const C_PREV = 4u * H + 2u;
const C_ONE = 4u * H + 3u;
const C_DZ3 = 4u * H + 4u;
const C_UP = 4u * H + 5u;
const C_LOSS = 4u * H + 6u;
const C_Y = 4u * H + 7u;

const T4 = H / 4u;
const NTILE = T4 * T4 + 3u * T4 + 1u;

var<workgroup> stage: array<f32, SUB * ROW>;
// Tile sums: [NSLOT][4 rows] of 4 columns.
var<private> tacc: array<vec4<f32>, 4u * NSLOT>;

/** The two column groups (a, b) of tile t. */
fn tileColumns(t: u32) -> vec2<u32> {
  if (t < T4 * T4) {
    return vec2<u32>(C_DZ2 + 4u * (t / T4), C_H1 + 4u * (t % T4));
  }
  let u = t - T4 * T4;
  if (u < T4) {
    return vec2<u32>(C_DZ1 + 4u * u, C_TAU);
  }
  if (u < 2u * T4) {
    return vec2<u32>(C_DZ2 + 4u * (u - T4), C_ONE);
  }
  if (u < 3u * T4) {
    return vec2<u32>(C_H2 + 4u * (u - 2u * T4), C_ONE);
  }
  return vec2<u32>(C_DZ3, C_ONE);
}

/** The parameter (or loss sum) whose gradient is product (r, c) of tile t, or PX if none. */
fn tileParam(t: u32, r: u32, c: u32) -> u32 {
  if (t < T4 * T4) {
    return OFF_W2 + (4u * (t / T4) + r) * H + 4u * (t % T4) + c;
  }
  let u = t - T4 * T4;
  if (u < T4) {
    let j = 4u * u + r;
    return select(OFF_B1 + j, 3u * j + c, c < 3u);
  }
  if (u < 2u * T4) {
    return select(PX, OFF_B2 + 4u * (u - T4) + r, c == 0u);
  }
  if (u < 3u * T4) {
    return select(PX, OFF_W3 + 4u * (u - 2u * T4) + r, c == 1u);
  }
  if (c != 0u) {
    return PX;
  }
  // [dz3 up loss y] x 1: b3, p0, the loss sum, the y sum.
  return select(select(OFF_B3, OFF_P0, r == 1u), select(P, P + 1u, r == 3u), r >= 2u);
}

fn initOwners(lid: u32) {
  for (var i = 0u; i < 4u * NSLOT; i++) {
    tacc[i] = vec4<f32>(0.0);
  }
}

/** Adds this backward step's contribution of the whole workgroup into the owners' tile sums. */
fn accumulate(lid: u32, k: u32, extraUp: f32, extraLoss: f32, extraY: f32) {
  for (var sb = 0u; sb < WG / SUB; sb++) {
    if (lid / SUB == sb) {
      let at = (lid % SUB) * ROW;
      for (var j = 0u; j < H; j++) {
        stage[at + C_H1 + j] = h1[j];
        stage[at + C_H2 + j] = h2[j];
        stage[at + C_DZ1 + j] = dz1[j];
        stage[at + C_DZ2 + j] = dz2[j];
      }
      stage[at + C_TAU] = tauAt(k);
      stage[at + C_SPOT] = xin[k];
      stage[at + C_PREV] = prevHedge(k);
      stage[at + C_DZ3] = dz3;
      stage[at + C_ONE] = 1.0;
      stage[at + C_UP] = extraUp;
      stage[at + C_LOSS] = extraLoss;
      stage[at + C_Y] = extraY;
    }
    workgroupBarrier();
    for (var t = lid; t < NTILE; t += WG) {
      let cols = tileColumns(t);
      var s0 = vec4<f32>(0.0);
      var s1 = vec4<f32>(0.0);
      var s2 = vec4<f32>(0.0);
      var s3 = vec4<f32>(0.0);
      for (var q = 0u; q < SUB; q++) {
        let a = q * ROW + cols.x;
        let b = q * ROW + cols.y;
        let bv = vec4<f32>(stage[b], stage[b + 1u], stage[b + 2u], stage[b + 3u]);
        s0 = stage[a] * bv + s0;
        s1 = stage[a + 1u] * bv + s1;
        s2 = stage[a + 2u] * bv + s2;
        s3 = stage[a + 3u] * bv + s3;
      }
      let slot = 4u * (t / WG);
      tacc[slot] = tacc[slot] + s0;
      tacc[slot + 1u] = tacc[slot + 1u] + s1;
      tacc[slot + 2u] = tacc[slot + 2u] + s2;
      tacc[slot + 3u] = tacc[slot + 3u] + s3;
    }
    workgroupBarrier();
  }
}

/** Writes the owners' sums as this workgroup's partials of depth `depth`, and clears them. */
fn flushPartials(lid: u32, wg: u32, depth: u32) {
  for (var t = lid; t < NTILE; t += WG) {
    let slot = 4u * (t / WG);
    for (var r = 0u; r < 4u; r++) {
      let v = tacc[slot + r];
      for (var c = 0u; c < 4u; c++) {
        let p = tileParam(t, r, c);
        if (p < PX) {
          partials[(depth * PX + p) * NWG + wg] = v[c];
        }
      }
      tacc[slot + r] = vec4<f32>(0.0);
    }
  }
}

fn workgroupIndex(wid: vec3<u32>) -> u32 {
  return wid.x + wid.y * GRID_X;
}

// ---------------------------------------------------------------------------------------------------
// Risk measures: statistics layout in misc[STATS_OFF ..]:
//   entropic: [0] max of -a*y, [1] sum of exp(-a*y - max)
//   cvar:     [0] VaR w (the k-th smallest loss -y), [1] weight of each path whose loss equals w
//   mean-sd:  [0] mean, [1] standard deviation

fn upstreamOf(y: f32, p0: f32) -> f32 {
  if (RISK == 0u) {
    return MSE_SCALE * (p0 + y);
  }
  let s0 = misc[STATS_OFF];
  let s1 = misc[STATS_OFF + 1u];
  if (RISK == 1u) {
    return -expAcc(-RISK_A * y - s0) / s1;
  }
  if (RISK == 2u) {
    let loss = -y;
    if (loss > s0) {
      return -TAIL_W;
    }
    if (loss == s0) {
      return s1;
    }
    return 0.0;
  }
  var g = -INV_B;
  if (s1 > 0.0) {
    g = g + (SD_C * (y - s0)) / (FB * s1);
  }
  return g;
}

@compute @workgroup_size(WG)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let wg = workgroupIndex(wid);
  if (wg >= NWG) {
    return;
  }
  loadParams(lid);
  workgroupBarrier();
  let path = wg * WG + lid;
  if (path < B) {
    ybuf[path] = forwardPath(path, frame.iteration);
  }
}

@compute @workgroup_size(WG)
fn backward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let wg = workgroupIndex(wid);
  if (wg >= NWG) {
    return;
  }
  loadParams(lid);
  workgroupBarrier();
  initOwners(lid);
  let path = wg * WG + lid;
  let real = path < B;
  if (real) {
    tapePath = path;
  }
  var y = forwardPath(path, frame.iteration);
  if (RISK != 0u && real) {
    y = ybuf[path];
  }
  var p0 = 0.0;
  if (LEARNS_PREMIUM) {
    p0 = state[OFF_P0];
  }
  let up = select(0.0, upstreamOf(y, p0), real);
  let lossTerm = select(0.0, (p0 + y) * (p0 + y), real);
  let yTerm = select(0.0, y, real);
  if (!PER_DEPTH) {
    var r = 0.0;
    for (var kk = 0u; kk < N; kk++) {
      let k = N - 1u - kk;
      r = backwardStep(k, pnlSensitivity(k) * up + r);
      if (kk == 0u) {
        accumulate(lid, k, up, lossTerm, yTerm);
      } else {
        accumulate(lid, k, 0.0, 0.0, 0.0);
      }
    }
    flushPartials(lid, wg, 0u);
  } else {
    // Depth j: the loss terms of step k + j carried back to step k through j recurrent links.
    // carry[cur + k] holds the upstream of step k for the current depth.
    for (var k = 0u; k < N; k++) {
      carry[k] = pnlSensitivity(k) * up;
    }
    for (var j = 0u; j < N; j++) {
      let cur = (j & 1u) * N;
      let nxt = N - cur;
      let last = N - 1u - j;
      for (var kk = 0u; kk <= last; kk++) {
        let k = last - kk;
        let r = backwardStep(k, carry[cur + k]);
        if (k > 0u) {
          carry[nxt + k - 1u] = r;
        }
        if (j == 0u && kk == 0u) {
          accumulate(lid, k, up, lossTerm, yTerm);
        } else {
          accumulate(lid, k, 0.0, 0.0, 0.0);
        }
      }
      flushPartials(lid, wg, j);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Reduction of the partials and AdamW (shaders/core/adamw.wgsl), one workgroup of REDUCE_THREADS threads
// per parameter (and the two loss sums).

var<workgroup> red: array<f32, REDUCE_THREADS>;

@compute @workgroup_size(REDUCE_THREADS)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = wid.x + wid.y * REDUCE_GRID_X;
  if (p >= PX) {
    return;
  }
  for (var j = 0u; j < DEPTHS; j++) {
    var s = 0.0;
    let base = (j * PX + p) * NWG;
    for (var w = lid; w < NWG; w += REDUCE_THREADS) {
      s = s + partials[base + w];
    }
    red[lid] = s;
    workgroupBarrier();
    for (var half = REDUCE_THREADS / 2u; half > 0u; half >>= 1u) {
      if (lid < half) {
        red[lid] = red[lid] + red[lid + half];
      }
      workgroupBarrier();
    }
    if (lid == 0u) {
      var g = red[0];
      if (p == OFF_P0 && (!LEARNS_PREMIUM || j > 0u)) {
        g = 0.0;
      }
      state[OFF_GRAD + j * PX + p] = g;
      if (frame.apply != 0u && p < P) {
        let sc = SCHED_OFF + 4u * (frame.sched + j);
        let lr = misc[sc];
        let c1 = misc[sc + 1u];
        let c2 = misc[sc + 2u];
        var keep = misc[sc + 3u];
        if (p == OFF_P0) {
          keep = 1.0;
        }
        adamwStep(p, g, lr, c1, c2, keep);
      }
      if (RISK == 0u && j == 0u) {
        if (p == P) {
          misc[HIST_OFF + 2u * frame.slot] = g * INV_B;
        }
        if (p == P + 1u) {
          misc[HIST_OFF + 2u * frame.slot + 1u] = -g * INV_B;
        }
      }
    }
    workgroupBarrier();
  }
}

// ---------------------------------------------------------------------------------------------------
// Batch statistics for entropic, cvar and mean-sd: one workgroup of STATS_THREADS threads.

var<workgroup> sred: array<f32, STATS_THREADS>;
var<workgroup> ured: array<u32, STATS_THREADS>;
// One bucket per value of a radix digit (8 bits) in the VaR select.
var<workgroup> hist: array<atomic<u32>, 256>;
var<workgroup> selPrefix: u32;
var<workgroup> selRank: u32;

fn sumAll(lid: u32, x: f32) -> f32 {
  sred[lid] = x;
  workgroupBarrier();
  for (var half = STATS_THREADS / 2u; half > 0u; half >>= 1u) {
    if (lid < half) {
      sred[lid] = sred[lid] + sred[lid + half];
    }
    workgroupBarrier();
  }
  let r = sred[0];
  workgroupBarrier();
  return r;
}

fn maxAll(lid: u32, x: f32) -> f32 {
  sred[lid] = x;
  workgroupBarrier();
  for (var half = STATS_THREADS / 2u; half > 0u; half >>= 1u) {
    if (lid < half) {
      sred[lid] = max(sred[lid], sred[lid + half]);
    }
    workgroupBarrier();
  }
  let r = sred[0];
  workgroupBarrier();
  return r;
}

fn countAll(lid: u32, x: u32) -> u32 {
  ured[lid] = x;
  workgroupBarrier();
  for (var half = STATS_THREADS / 2u; half > 0u; half >>= 1u) {
    if (lid < half) {
      ured[lid] = ured[lid] + ured[lid + half];
    }
    workgroupBarrier();
  }
  let r = ured[0];
  workgroupBarrier();
  return r;
}

/** Order-preserving map of an f32 to a u32 key. */
fn keyOf(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}

fn floatOfKey(k: u32) -> f32 {
  return bitcast<f32>(select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u));
}

@compute @workgroup_size(STATS_THREADS)
fn stats(@builtin(local_invocation_index) lid: u32) {
  var loss = 0.0;
  if (RISK == 1u) {
    var m = bitcast<f32>(0xff7fffffu);
    for (var i = lid; i < B; i += STATS_THREADS) {
      m = max(m, -RISK_A * ybuf[i]);
    }
    m = maxAll(lid, m);
    var s = 0.0;
    for (var i = lid; i < B; i += STATS_THREADS) {
      s = s + expAcc(-RISK_A * ybuf[i] - m);
    }
    s = sumAll(lid, s);
    loss = (m + logAs(s * INV_B)) / RISK_A;
    if (lid == 0u) {
      misc[STATS_OFF] = m;
      misc[STATS_OFF + 1u] = s;
    }
  } else if (RISK == 2u) {
    // Radix select of the k-th smallest loss -y, 8 bits a pass from the top.
    if (lid == 0u) {
      selPrefix = 0u;
      selRank = CVAR_K;
    }
    for (var round = 0u; round < 4u; round++) {
      let shift = 24u - 8u * round;
      atomicStore(&hist[lid], 0u);
      workgroupBarrier();
      let prefix = selPrefix;
      let highMask = select(0xffffffffu << (shift + 8u), 0u, round == 0u);
      for (var i = lid; i < B; i += STATS_THREADS) {
        let key = keyOf(-ybuf[i]);
        if ((key & highMask) == prefix) {
          atomicAdd(&hist[(key >> shift) & 0xffu], 1u);
        }
      }
      workgroupBarrier();
      if (lid == 0u) {
        var rank = selRank;
        var digit = 255u;
        for (var d = 0u; d < 256u; d++) {
          let c = atomicLoad(&hist[d]);
          if (rank <= c) {
            digit = d;
            break;
          }
          rank = rank - c;
        }
        selRank = rank;
        selPrefix = prefix | (digit << shift);
      }
      workgroupBarrier();
    }
    let w = floatOfKey(selPrefix);
    var above = 0u;
    var equal = 0u;
    var tail = 0.0;
    for (var i = lid; i < B; i += STATS_THREADS) {
      let l = -ybuf[i];
      if (l > w) {
        above = above + 1u;
        tail = tail + (l - w);
      } else if (l == w) {
        equal = equal + 1u;
      }
    }
    above = countAll(lid, above);
    equal = countAll(lid, equal);
    tail = sumAll(lid, tail);
    loss = w + tail * TAIL_W;
    if (lid == 0u) {
      // Paths tied with the VaR share the weight of the ranks they occupy: the VaR rank's
      // -(1 - (B - k) * tailWeight) and -tailWeight for each tied rank above it.
      let tiedAbove = f32(B - CVAR_K - above);
      misc[STATS_OFF] = w;
      misc[STATS_OFF + 1u] = (-(1.0 - f32(B - CVAR_K) * TAIL_W) - tiedAbove * TAIL_W) / f32(max(equal, 1u));
    }
  } else if (RISK == 3u) {
    var s = 0.0;
    for (var i = lid; i < B; i += STATS_THREADS) {
      s = s + ybuf[i];
    }
    let mean = sumAll(lid, s) * INV_B;
    var q = 0.0;
    for (var i = lid; i < B; i += STATS_THREADS) {
      let e = ybuf[i] - mean;
      q = q + e * e;
    }
    let sd = sqrt(sumAll(lid, q) * INV_B);
    loss = -mean + SD_C * sd;
    if (lid == 0u) {
      misc[STATS_OFF] = mean;
      misc[STATS_OFF + 1u] = sd;
    }
  }
  if (lid == 0u) {
    misc[HIST_OFF + 2u * frame.slot] = loss;
    misc[HIST_OFF + 2u * frame.slot + 1u] = loss;
  }
}
