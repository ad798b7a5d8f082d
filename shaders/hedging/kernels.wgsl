// Part of the hedging program (widget/models/hedging/webgpu/program.ts): the risk measures' upstream and
// the forward and backward entry points.
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
