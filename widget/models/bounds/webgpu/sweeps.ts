/// <reference types="@webgpu/types" />
// The entropic solver's sweeps on WebGPU: W and the stage's potential increments live on the GPU in f32;
// each stage starts from W computed in f64 by the WASM instance and ends by copying W and the increments
// back, so the rounding that makes the bound valid runs in f64 on the host. Several sweeps go in one
// submission; the kernels stop by themselves after the sweep that ends the stage.
import { DeviceLostError } from '../../../runtime/training/engine.js';
import { sharedGpu, type GpuContext } from '../../../runtime/webgpu/device.js';
import { compileProgram, FRAME_BYTES, GpuResources, USAGE } from '../../../runtime/webgpu/resources.js';
import type { Problem } from '../problem.js';
import type { InstanceArrays, StageTolerance, SweepEngine, Violations } from '../sweep-engine.js';
import { entropicPlan, entropicProgramSource, FRAME_SIZE, reduceFrame } from './program.js';

/** Sweeps per submission: fewer readbacks, and a turn of the page's worker still ends within a few sweeps. */
const SWEEPS_PER_SUBMIT = 8;
/** Floats ahead of the slots in `stats`: the done flag and the sweeps run. */
const STATS_HEAD = 2;
const KERNELS = ['martingale', 'marginal', 'reduce'] as const;

export async function createGpuSweeps(p: Problem, inst: InstanceArrays, gpu?: GpuContext): Promise<SweepEngine> {
  const ctx = gpu ?? (await sharedGpu());
  const plan = entropicPlan(p, ctx.device.limits);
  const { pipelines, bindGroupLayout } = await compileProgram(ctx.device, 'cher-bounds entropic', entropicProgramSource(), 6, KERNELS, FRAME_SIZE);
  const { device } = ctx;
  const potentials = plan.atoms + plan.histories;
  const statsFloats = STATS_HEAD + 2 * SWEEPS_PER_SUBMIT;
  const res = new GpuResources(ctx, 'cher-bounds', 4 * Math.max(p.cells + potentials, statsFloats));
  const { STORAGE, COPY_DST, COPY_SRC, UNIFORM } = USAGE;
  const w = res.buffer('w', 4 * p.cells, STORAGE | COPY_DST | COPY_SRC);
  const pot = res.buffer('potentials', 4 * potentials, STORAGE | COPY_DST | COPY_SRC);
  const err = res.buffer('violations', 4 * potentials, STORAGE);
  const consts = res.buffer('constants', plan.consts.byteLength, STORAGE | COPY_DST);
  const stats = res.buffer('stats', 4 * statsFloats, STORAGE | COPY_DST | COPY_SRC);
  const masses = res.buffer('masses', 4 * p.cells, STORAGE);
  const perSweep = plan.dispatches.length;
  const frames = res.buffer('frames', FRAME_BYTES * perSweep * SWEEPS_PER_SUBMIT, UNIFORM | COPY_DST);
  device.queue.writeBuffer(consts, 0, plan.consts);
  const bindGroup = device.createBindGroup({
    label: 'cher-bounds entropic',
    layout: bindGroupLayout,
    entries: [
      { binding: 0, resource: { buffer: frames, offset: 0, size: FRAME_SIZE } },
      ...[w, pot, err, consts, stats, masses].map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
    ],
  });
  let eps = 1;
  let ran = 0;
  const check = () => {
    if (ctx.lost) throw new DeviceLostError('the GPU device was lost');
  };

  return {
    backend: 'webgpu',
    detail: ctx.description,
    start(e: number, tol: StageTolerance) {
      check();
      eps = e;
      ran = 0;
      inst.setEpsilon(e);
      const q = device.queue;
      q.writeBuffer(w, 0, Float32Array.from(inst.w()));
      q.writeBuffer(pot, 0, new Float32Array(potentials));
      q.writeBuffer(stats, 0, new Float32Array(statsFloats));
      const all = new Uint8Array(FRAME_BYTES * perSweep * SWEEPS_PER_SUBMIT);
      for (let s = 0; s < SWEEPS_PER_SUBMIT; s++) {
        plan.dispatches.forEach((d, k) => {
          const frame = d.kernel === 'reduce' ? reduceFrame(d.frame, s, tol.threshold, 1 / tol.scale) : d.frame;
          all.set(new Uint8Array(frame), FRAME_BYTES * (s * perSweep + k));
        });
      }
      q.writeBuffer(frames, 0, all);
    },
    async run(limit: number) {
      check();
      const count = Math.min(limit, SWEEPS_PER_SUBMIT);
      const encoder = device.createCommandEncoder({ label: 'cher-bounds sweeps' });
      const pass = encoder.beginComputePass({ label: 'cher-bounds sweeps' });
      for (let s = 0; s < count; s++) {
        plan.dispatches.forEach((d, k) => {
          pass.setPipeline(pipelines[d.kernel]);
          pass.setBindGroup(0, bindGroup, [FRAME_BYTES * (s * perSweep + k)]);
          pass.dispatchWorkgroups(d.grid[0], d.grid[1]);
        });
      }
      pass.end();
      const staging = res.takeStaging();
      encoder.copyBufferToBuffer(stats, 0, staging, 0, 4 * statsFloats);
      device.queue.submit([encoder.finish()]);
      const out = await res.mapped(staging, 4 * statsFloats);
      const now = out[1] - ran;
      ran = out[1];
      const violations: Violations[] = [];
      for (let s = 0; s < now; s++) violations.push({ marginal: out[STATS_HEAD + 2 * s], martingale: out[STATS_HEAD + 2 * s + 1] });
      return { violations, done: out[0] !== 0 };
    },
    async finish() {
      check();
      const staging = res.takeStaging();
      const encoder = device.createCommandEncoder({ label: 'cher-bounds stage end' });
      encoder.copyBufferToBuffer(w, 0, staging, 0, 4 * p.cells);
      encoder.copyBufferToBuffer(pot, 0, staging, 4 * p.cells, 4 * potentials);
      device.queue.submit([encoder.finish()]);
      const out = await res.mapped(staging, 4 * (p.cells + potentials));
      inst.w().set(out.subarray(0, p.cells));
      const psi = inst.psi();
      const h = inst.h();
      for (let k = 0; k < plan.atoms; k++) psi[k] += eps * out[p.cells + k];
      for (let k = 0; k < plan.histories; k++) h[k] += eps * out[p.cells + plan.atoms + k];
    },
    dispose: () => res.destroy(),
  };
}
