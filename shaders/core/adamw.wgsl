// One AdamW step on one parameter of `state`, whose first and second moments sit at OFF_M + p and
// OFF_V + p (the model's prelude declares `state`, OFF_M and OFF_V). `lr`, the bias corrections c1, c2
// and `keep` (1 - lr * weight decay, or 1 for a parameter without decay) come from the host's schedule;
// the ADAM_* constants are written by widget/runtime/webgpu/wgsl.ts from the TypeScript optimiser.
fn adamwStep(p: u32, g: f32, lr: f32, c1: f32, c2: f32, keep: f32) {
  let m = ADAM_BETA1 * state[OFF_M + p] + ADAM_ONE_MINUS_BETA1 * g;
  let v = ADAM_BETA2 * state[OFF_V + p] + ADAM_ONE_MINUS_BETA2 * (g * g);
  state[OFF_M + p] = m;
  state[OFF_V + p] = v;
  state[p] = state[p] * keep - (lr * (m / c1)) / (sqrt(v / c2) + ADAM_EPS);
}
