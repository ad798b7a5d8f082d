// The deep-hedging training iteration in WGSL (docs/numerics.md), one thread per path: this file's bindings,
// then path.wgsl, gradient-sums.wgsl, kernels.wgsl, reduce.wgsl and stats.wgsl.
//
// The program is completed by a prelude the host generates per configuration (see
// widget/models/hedging/webgpu/program.ts): the constants H, N, B, WG, SUB, ROW, P, PX, NSLOT, DEPTHS, PER_DEPTH,
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
// Nothing path-sized is uploaded: normals and spots come from Philox (shaders/core/philox.wgsl and
// shaders/core/math.wgsl are prepended) inside the kernels.

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
