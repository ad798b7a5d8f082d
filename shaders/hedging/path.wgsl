// One path of the deep-hedging iteration (docs/numerics.md): its spots, spot inputs and hedges (the tape),
// the network step, and the backward step. Part of the program widget/models/hedging/webgpu/program.ts assembles.

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
