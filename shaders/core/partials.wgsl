// A training workgroup's gradient sums: each thread's private accumulator gacc[PX] summed over the WG
// threads, CH parameters at a time through workgroup memory, into partials[p * NWG + wg] for the reduce
// kernel (shaders/core/reduce.wgsl). The value network and the neural dual share it; call in uniform
// control flow.
var<workgroup> stage: array<f32, CH * WG>;

fn writePartials(wg: u32, lid: u32) {
  for (var base = 0u; base < PX; base += CH) {
    for (var c = 0u; c < CH; c++) {
      var v = 0.0;
      if (base + c < PX) {
        v = gacc[base + c];
      }
      stage[c * WG + lid] = v;
    }
    workgroupBarrier();
    if (lid < CH && base + lid < PX) {
      var s = 0.0;
      for (var q = 0u; q < WG; q++) {
        s = s + stage[lid * WG + q];
      }
      partials[(base + lid) * NWG + wg] = s;
    }
    workgroupBarrier();
  }
}
