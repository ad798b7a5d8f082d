// The network's step and its backward step, in the AssemblyScript engine's order of operations. Part of
// the hedge program: spot, hedge, h1, h2, dz1, dz2, dz3, tauAt, prevHedge and prm come from
// shaders/hedge.wgsl and the prelude. (Unrolling these loops completely by code generation was tried:
// on SwiftShader's JIT it compiles slowly and runs 20% slower. Only the H-term dot products of the
// hidden layer's matrix are unrolled, w2RowDot and w2ColDot in the prelude: there a private array's
// index becomes a constant, and SwiftShader loads at constant offsets instead of gathering; that made
// the whole iteration about 1.4x faster.)

/** The first hidden layer at one step: fills h1. */
fn netLayer1(tau: f32, x: f32, prev: f32) {
  for (var j = 0u; j < H; j++) {
    var z = prm(3u * j) * tau + prm(OFF_B1 + j);
    z = prm(3u * j + 1u) * x + z;
    z = prm(3u * j + 2u) * prev + z;
    h1[j] = max(z, 0.0);
  }
}

/** The hidden layers at one step: fills h1 and h2. */
fn netHidden(tau: f32, x: f32, prev: f32) {
  netLayer1(tau, x, prev);
  for (var j = 0u; j < H; j++) {
    h2[j] = max(w2RowDot(OFF_W2 + j * H, prm(OFF_B2 + j)), 0.0);
  }
}

/** The network at step k: fills h1 and h2 and returns the hedge. */
fn netStep(tau: f32, x: f32, prev: f32) -> f32 {
  netHidden(tau, x, prev);
  var z3 = prm(OFF_B3);
  for (var j = 0u; j < H; j++) {
    z3 = prm(OFF_W3 + j) * h2[j] + z3;
  }
  return tanhAs(z3);
}

/**
 * Backward through step k for upstream dLoss/d(hedge[k]) = `up`: recomputes the step's hidden activations,
 * fills dz1, dz2, dz3 and returns dLoss/d(previous hedge input).
 */
fn backwardStep(k: u32, up: f32) -> f32 {
  // The hidden layers again, or the first one and the second from the tape; the output is hedge[k].
  if (TAPE) {
    netLayer1(tauAt(k), xin[k], prevHedge(k));
    if (tapePath < B) {
      for (var j = 0u; j < H; j++) {
        h2[j] = tape[(k * H + j) * B + tapePath];
      }
    } else {
      for (var j = 0u; j < H; j++) {
        h2[j] = 0.0;
      }
    }
  } else {
    netHidden(tauAt(k), xin[k], prevHedge(k));
  }
  let d = hedge[k];
  dz3 = up * (1.0 - d * d);
  for (var j = 0u; j < H; j++) {
    dz2[j] = select(0.0, dz3 * prm(OFF_W3 + j), h2[j] > 0.0);
  }
  var r = 0.0;
  for (var i = 0u; i < H; i++) {
    let e = select(0.0, w2ColDot(i), h1[i] > 0.0);
    dz1[i] = e;
    r = e * prm(3u * i + 2u) + r;
  }
  return r;
}
