/// <reference types="@webgpu/types" />
// The American value network's WebGPU engine: weights, AdamW state and the TD target's copy live on the
// GPU; each queue submission carries several iterations (a target copy where a targetRefresh block starts,
// the training kernel and the reduction with AdamW), and the losses come back through mapped copies.
// Evaluation (the network's price and its stopping rule on independent paths) runs on the WASM engine's
// passes, so the report does not depend on the engine that trained.
import { biasCorrections, learningRate } from '../../../../runtime/training/adamw.js';
import {
  checkSnapshot, DeviceLostError, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from '../../../../runtime/training/engine.js';
import { sharedGpu, type GpuContext } from '../../../../runtime/webgpu/device.js';
import { compileProgram, FRAME_BYTES, GpuResources, USAGE } from '../../../../runtime/webgpu/resources.js';
import type { AmericanConfig } from '../../config.js';
import { payoff } from '../../price.js';
import { networkBoundary, targetBlock, valueParameters } from '../network.js';
import type { NetworkReport } from '../report.js';
import { AmericanWasmEngine } from '../wasm-engine.js';
import { HISTORY, makeValuePlan, valueProgramSource, valueTauTable, type ValuePlan, type ValuePlanOptions } from './program.js';

export interface AmericanWebGpuOptions extends ValuePlanOptions {
  /** Initial parameters instead of the seeded ones (parity tests, imports). */
  params?: Float32Array;
  /** A device context; by default the thread's shared device. */
  gpu?: GpuContext;
}

export class AmericanWebGpuEngine implements TrainingEngine<AmericanConfig, NetworkReport> {
  readonly backend = 'webgpu' as const;
  readonly workers = 1;
  readonly detail: string;
  /** Dispatches and queue submissions issued by train(). */
  readonly counters = { iterations: 0, dispatches: 0, submissions: 0 };
  private readonly gpu: GpuContext;
  private readonly device: GPUDevice;
  private readonly resources: GpuResources;
  private readonly stateBuf: GPUBuffer;
  private readonly miscBuf: GPUBuffer;
  private readonly framesBuf: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private params: Float32Array;
  private m: Float32Array;
  private v: Float32Array;
  private optimizerStep = 0;
  private iterationCount = 0;
  /** The targetRefresh block whose copy the GPU holds (-1: none; the next iteration takes one). */
  private block = -1;
  private disposed = false;
  private busy = false;

  private constructor(
    readonly config: AmericanConfig, gpu: GpuContext, readonly plan: ValuePlan, private readonly evaluator: AmericanWasmEngine,
    private readonly pipelines: Record<string, GPUComputePipeline>, bindGroupLayout: GPUBindGroupLayout, params: Float32Array,
  ) {
    this.gpu = gpu;
    this.device = gpu.device;
    this.detail = gpu.description + (gpu.fallback ? ', software adapter' : '');
    const P = plan.layout.count;
    this.params = params;
    this.m = new Float32Array(P);
    this.v = new Float32Array(P);
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = USAGE;
    const r = (this.resources = new GpuResources(gpu, 'cher-american', Math.max(8 * HISTORY, 4 * 4 * P + 4 * plan.px)));
    this.stateBuf = r.buffer('state', plan.bytes.state, STORAGE | COPY_SRC | COPY_DST);
    const partials = r.buffer('partials', plan.bytes.partials, STORAGE);
    this.miscBuf = r.buffer('misc', plan.bytes.misc, STORAGE | COPY_SRC | COPY_DST);
    this.framesBuf = r.buffer('frames', plan.bytes.frames, UNIFORM | COPY_DST);
    this.bindGroup = this.device.createBindGroup({
      label: 'cher-american',
      layout: bindGroupLayout,
      entries: [
        { binding: 0, resource: { buffer: this.framesBuf, offset: 0, size: 16 } },
        { binding: 1, resource: { buffer: this.stateBuf } },
        { binding: 2, resource: { buffer: partials } },
        { binding: 3, resource: { buffer: this.miscBuf } },
      ],
    });
    this.device.queue.writeBuffer(this.miscBuf, 4 * plan.offsets.tau, valueTauTable(plan.dates));
    this.uploadState();
  }

  static async create(config: AmericanConfig, options: AmericanWebGpuOptions = {}): Promise<AmericanWebGpuEngine> {
    const gpu = options.gpu ?? (await sharedGpu());
    const plan = makeValuePlan(config, gpu.device.limits, options);
    const params = valueParameters(config, options.params).initial;
    const { pipelines, bindGroupLayout } = await compileProgram(
      gpu.device, 'cher-american value network', valueProgramSource(config, plan), 3, ['copyTarget', 'train', 'reduce'],
    );
    const evaluator = await AmericanWasmEngine.create(config, { params });
    return new AmericanWebGpuEngine(config, gpu, plan, evaluator, pipelines, bindGroupLayout, params);
  }

  get iteration(): number {
    return this.iterationCount;
  }

  /** GPU buffers this engine holds (all destroyed by dispose). */
  get bufferCount(): number {
    return this.resources.count;
  }

  private uploadState(): void {
    const P = this.plan.layout.count;
    const s = new Float32Array(3 * P);
    s.set(this.params, 0);
    s.set(this.m, P);
    s.set(this.v, 2 * P);
    this.device.queue.writeBuffer(this.stateBuf, 0, s);
  }

  private checkUsable(): void {
    if (this.disposed) throw new Error('this WebGPU engine has been disposed');
    if (this.gpu.lost) throw new DeviceLostError('lost before this call');
    if (this.busy) throw new Error('the WebGPU engine is already running train() or gradient(); await it first');
  }

  /** Encodes iterations first .. first + count - 1 (optimiser steps from `step`) into one command buffer. */
  private encode(first: number, count: number, apply: boolean, step: number): GPUCommandBuffer {
    const { plan, config } = this;
    const frames = new Uint32Array((FRAME_BYTES / 4) * count);
    const sched = new Float32Array(4 * count);
    for (let t = 0; t < count; t++) {
      const it = first + t;
      frames.set([it >>> 0, t, apply ? 1 : 0, it % HISTORY], (FRAME_BYTES / 4) * t);
      const lr = learningRate(config, step + t);
      sched.set([lr, ...biasCorrections(step + t + 1), 1 - lr * config.weightDecay], 4 * t);
    }
    const q = this.device.queue;
    q.writeBuffer(this.framesBuf, 0, frames);
    q.writeBuffer(this.miscBuf, 4 * plan.offsets.sched, sched);
    const encoder = this.device.createCommandEncoder({ label: 'cher-american iterations' });
    const pass = encoder.beginComputePass({ label: 'cher-american train' });
    const p = this.pipelines;
    for (let t = 0; t < count; t++) {
      pass.setBindGroup(0, this.bindGroup, [FRAME_BYTES * t]);
      const b = targetBlock(first + t, config.targetRefresh);
      if (b !== this.block) {
        pass.setPipeline(p.copyTarget);
        pass.dispatchWorkgroups(Math.ceil(plan.layout.count / 64));
        this.block = b;
        this.counters.dispatches++;
      }
      pass.setPipeline(p.train);
      pass.dispatchWorkgroups(plan.grid[0], plan.grid[1]);
      pass.setPipeline(p.reduce);
      pass.dispatchWorkgroups(plan.reduceGrid[0], plan.reduceGrid[1]);
    }
    pass.end();
    return encoder.finish();
  }

  private copyHistory(encoder: GPUCommandEncoder, dst: GPUBuffer, first: number, count: number): void {
    const histOff = 4 * this.plan.offsets.hist;
    let slot = first % HISTORY;
    let at = 0;
    let left = count;
    while (left > 0) {
      const n = Math.min(left, HISTORY - slot);
      encoder.copyBufferToBuffer(this.miscBuf, histOff + 8 * slot, dst, at, 8 * n);
      at += 8 * n;
      left -= n;
      slot = 0;
    }
  }

  /** The price the WASM engine reports per iteration: C(0, S0), or the payoff where an American option is better exercised. */
  private priceOf(hold: number): number {
    return this.config.exercise === 'american' ? Math.max(payoff(this.config, this.config.spot), hold) : hold;
  }

  async train(iterations: number): Promise<TrainResult> {
    this.checkUsable();
    if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`train(iterations): a positive integer, got ${iterations}`);
    this.busy = true;
    try {
      const P = this.plan.layout.count;
      const reads: { count: number; values: Promise<Float32Array> }[] = [];
      let it = this.iterationCount;
      let step = this.optimizerStep;
      let done = 0;
      let stateRead: Promise<Float32Array> | null = null;
      while (done < iterations) {
        const count = Math.min(this.plan.iterationsPerSubmit, iterations - done);
        const work = this.encode(it, count, true, step);
        const staging = this.resources.takeStaging();
        const encoder = this.device.createCommandEncoder({ label: 'cher-american readback' });
        this.copyHistory(encoder, staging, it, count);
        const last = done + count >= iterations;
        let stateStaging: GPUBuffer | null = null;
        if (last) {
          stateStaging = this.resources.takeStaging();
          encoder.copyBufferToBuffer(this.stateBuf, 0, stateStaging, 0, 4 * 3 * P);
        }
        this.device.queue.submit([work, encoder.finish()]);
        this.counters.submissions++;
        this.counters.dispatches += 2 * count;
        this.counters.iterations += count;
        const values = this.resources.mapped(staging, 8 * count);
        values.catch(() => {});
        reads.push({ count, values });
        if (stateStaging) {
          stateRead = this.resources.mapped(stateStaging, 4 * 3 * P);
          stateRead.catch(() => {});
        }
        it += count;
        step += count;
        done += count;
      }
      const history: IterationResult[] = [];
      for (const r of reads) {
        const v = await r.values;
        for (let t = 0; t < r.count; t++) history.push({ loss: v[2 * t], price: this.priceOf(v[2 * t + 1]) });
      }
      const s = await stateRead!;
      this.params = s.slice(0, P);
      this.m = s.slice(P, 2 * P);
      this.v = s.slice(2 * P, 3 * P);
      this.iterationCount = it;
      this.optimizerStep = step;
      const lastResult = history[history.length - 1];
      return { loss: lastResult.loss, price: lastResult.price, history };
    } catch (e) {
      if (this.gpu.lost && !(e instanceof DeviceLostError)) throw new DeviceLostError((e as Error).message);
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /**
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser step
   * (the target copy follows the same rule as in training). For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; price: number; grad: Float64Array }> {
    this.checkUsable();
    this.busy = true;
    try {
      const { plan } = this;
      const P = plan.layout.count;
      const work = this.encode(iteration, 1, false, this.optimizerStep);
      const staging = this.resources.takeStaging();
      const encoder = this.device.createCommandEncoder({ label: 'cher-american gradient readback' });
      this.copyHistory(encoder, staging, iteration, 1);
      encoder.copyBufferToBuffer(this.stateBuf, 4 * plan.offsets.grad, staging, 8, 4 * P);
      this.device.queue.submit([work, encoder.finish()]);
      const r = await this.resources.mapped(staging, 8 + 4 * P);
      return { loss: r[0], price: this.priceOf(r[1]), grad: Float64Array.from(r.subarray(2, 2 + P)) };
    } finally {
      this.busy = false;
    }
  }

  /** Sets the TD target's weights as the copy of `iteration`'s block (tests: the same target as another engine). */
  setTargetWeights(weights: Float32Array, iteration = this.iterationCount): void {
    this.checkUsable();
    const P = this.plan.layout.count;
    if (weights.length !== P) throw new Error(`target weights have ${weights.length} values; hidden = ${this.config.hidden} needs ${P}`);
    this.device.queue.writeBuffer(this.stateBuf, 4 * this.plan.offsets.target, Float32Array.from(weights));
    this.block = targetBlock(iteration, this.config.targetRefresh);
  }

  /** The current parameters (a copy, as of the last completed call). */
  parameters(): Float32Array {
    return this.params.slice();
  }

  evaluate(): Promise<NetworkReport> {
    this.evaluator.restore(this.snapshot());
    return this.evaluator.evaluate();
  }

  /** The stopping rule's exercise boundary at the current weights. */
  boundary() {
    return networkBoundary(this.config, this.params);
  }

  snapshot(): TrainerSnapshot {
    return {
      params: this.params.slice(),
      m: this.m.slice(),
      v: this.v.slice(),
      optimizerStep: this.optimizerStep,
      iteration: this.iterationCount,
    };
  }

  /** Snapshots hold no target copy: the next iteration takes its target from the restored weights. */
  restore(s: TrainerSnapshot): void {
    checkSnapshot(s, this.plan.layout.count, `hidden = ${this.config.hidden}`);
    this.params = Float32Array.from(s.params);
    this.m = Float32Array.from(s.m);
    this.v = Float32Array.from(s.v);
    this.optimizerStep = s.optimizerStep;
    this.iterationCount = s.iteration;
    this.block = -1;
    if (!this.gpu.lost && !this.disposed) this.uploadState();
  }

  /** Destroys the device (tests of the device-loss fallback). */
  loseDevice(): void {
    this.device.destroy();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.resources.destroy();
    this.evaluator.dispose();
  }
}
