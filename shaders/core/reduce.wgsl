// The sum over the NWG training workgroups' partials of one quantity, by the REDUCE_THREADS threads of a
// reduce workgroup: every model's reduce kernel, before its AdamW step. Call in uniform control flow; the
// sum is valid in thread 0 (the first barrier lets a loop call it again safely).
var<workgroup> red: array<f32, REDUCE_THREADS>;

fn workgroupSum(base: u32, lid: u32) -> f32 {
  var s = 0.0;
  for (var w = lid; w < NWG; w += REDUCE_THREADS) {
    s = s + partials[base + w];
  }
  workgroupBarrier();
  red[lid] = s;
  workgroupBarrier();
  for (var half = REDUCE_THREADS / 2u; half > 0u; half >>= 1u) {
    if (lid < half) {
      red[lid] = red[lid] + red[lid + half];
    }
    workgroupBarrier();
  }
  return red[0];
}
