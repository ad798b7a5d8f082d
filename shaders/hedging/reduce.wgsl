// Part of the hedging program (widget/models/hedging/webgpu/program.ts).
// ---------------------------------------------------------------------------------------------------
// Reduction of the partials (shaders/core/reduce.wgsl) and AdamW (shaders/core/adamw.wgsl), one workgroup
// of REDUCE_THREADS threads per parameter (and the two loss sums).

@compute @workgroup_size(REDUCE_THREADS)
fn reduce(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = wid.x + wid.y * REDUCE_GRID_X;
  if (p >= PX) {
    return;
  }
  for (var j = 0u; j < DEPTHS; j++) {
    let sum = workgroupSum((j * PX + p) * NWG, lid);
    if (lid == 0u) {
      var g = sum;
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
