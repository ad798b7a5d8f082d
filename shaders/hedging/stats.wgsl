// Part of the hedging program (widget/models/hedging/webgpu/program.ts).
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
