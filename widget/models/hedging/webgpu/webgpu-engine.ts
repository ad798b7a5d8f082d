/// <reference types="@webgpu/types" />
// The WebGPU engine's host: buffers, pipelines and the command stream. Weights and AdamW state live on
// the GPU; each queue submission carries several iterations (2 dispatches each for mse, 4 otherwise),
// and the losses come back through mapped copies, read without stalling the queue. Evaluation runs on
// the shared WASM evaluator, so its report does not depend on the engine that trained.
import type { HedgerConfig } from '../config.js';
import { biasCorrections, learningRate } from '../../../runtime/training/adamw.js';
import type { EvaluationReport } from '../evaluation.js';
import { hedgingParameters, type ParamLayout } from '../network.js';
import { learnsPremium } from '../risk.js';
import {
  checkSnapshot, DeviceLostError, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from '../../../runtime/training/engine.js';
import { Evaluator } from '../evaluator.js';
import { sharedGpu, type GpuContext } from '../../../runtime/webgpu/device.js';
import { compileProgram, FRAME_BYTES, GpuResources, MAP_MODE_READ, USAGE } from '../../../runtime/webgpu/resources.js';
import { unitConfig } from '../units.js';
import {
  HISTORY, makePlan, programSource, tauTable, type Plan, type PlanOptions,
} from './program.js';

export interface WebGpuEngineOptions extends PlanOptions {
  /** Initial parameters instead of the seeded ones (parity tests, imports). */
  params?: Float32Array;
  /** A device context; by default the thread's shared device. */
  gpu?: GpuContext;
}

export class WebGpuEngine implements TrainingEngine {
  readonly backend = 'webgpu' as const;
  readonly workers = 1;
  readonly detail: string;
  readonly config: HedgerConfig;
  readonly plan: Plan;
  /** Dispatches and queue submissions issued by train(), for the benchmark. */
  readonly counters = { iterations: 0, dispatches: 0, submissions: 0 };
  private readonly layout: ParamLayout;
  private readonly gpu: GpuContext;
  private readonly device: GPUDevice;
  private readonly resources: GpuResources;
  private readonly stateBuf: GPUBuffer;
  private readonly partialsBuf: GPUBuffer;
  private readonly yBuf: GPUBuffer;
  private readonly miscBuf: GPUBuffer;
  private readonly framesBuf: GPUBuffer;
  private readonly tapeBuf: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly pipelines: Record<string, GPUComputePipeline>;
  private readonly evaluator: Evaluator;
  private params: Float32Array;
  private m: Float32Array;
  private v: Float32Array;
  private optimizerStep = 0;
  private iterationCount = 0;
  private disposed = false;
  private busy = false;

  private constructor(
    config: HedgerConfig, gpu: GpuContext, plan: Plan, evaluator: Evaluator,
    pipelines: Record<string, GPUComputePipeline>, bindGroupLayout: GPUBindGroupLayout, params: Float32Array,
  ) {
    this.config = config;
    this.gpu = gpu;
    this.device = gpu.device;
    this.plan = plan;
    this.layout = plan.layout;
    this.evaluator = evaluator;
    this.pipelines = pipelines;
    this.detail = gpu.description + (gpu.fallback ? ', software adapter' : '');
    const P = this.layout.count;
    this.params = params;
    this.m = new Float32Array(P);
    this.v = new Float32Array(P);
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = USAGE;
    const r = (this.resources = new GpuResources(gpu, 'cher-hedger', Math.max(8 * HISTORY, 4 * 3 * P, 8 + 4 * plan.depths * plan.px)));
    this.stateBuf = r.buffer('state', plan.bytes.state, STORAGE | COPY_SRC | COPY_DST);
    this.partialsBuf = r.buffer('partials', plan.bytes.partials, STORAGE);
    this.yBuf = r.buffer('y', Math.max(plan.bytes.y, 4 * config.batch), STORAGE | COPY_SRC);
    this.miscBuf = r.buffer('misc', plan.bytes.misc, STORAGE | COPY_SRC | COPY_DST);
    this.framesBuf = r.buffer('frames', plan.bytes.frames, UNIFORM | COPY_DST);
    this.tapeBuf = r.buffer('tape', plan.bytes.tape, STORAGE);
    this.bindGroup = this.device.createBindGroup({
      label: 'cher-hedger',
      layout: bindGroupLayout,
      entries: [
        { binding: 0, resource: { buffer: this.framesBuf, offset: 0, size: 16 } },
        { binding: 1, resource: { buffer: this.stateBuf } },
        { binding: 2, resource: { buffer: this.partialsBuf } },
        { binding: 3, resource: { buffer: this.yBuf } },
        { binding: 4, resource: { buffer: this.miscBuf } },
        { binding: 5, resource: { buffer: this.tapeBuf } },
      ],
    });
    this.device.queue.writeBuffer(this.miscBuf, 4 * plan.offsets.tau, tauTable(config.steps));
    this.uploadState();
  }

  /** The engine works on the unit scale (its `config` is unitConfig(config)); the Trainer reports in currency. */
  static async create(input: HedgerConfig, options: WebGpuEngineOptions = {}): Promise<WebGpuEngine> {
    const config = unitConfig(input);
    const gpu = options.gpu ?? (await sharedGpu());
    const device = gpu.device;
    const plan = makePlan(config, device.limits, options);
    const params = hedgingParameters(config, options.params).initial;
    const { pipelines, bindGroupLayout } = await compileProgram(
      device, 'cher-hedger hedging program', programSource(config, plan), 5, ['forward', 'stats', 'backward', 'reduce'],
    );
    const evaluator = await Evaluator.open(config);
    return new WebGpuEngine(config, gpu, plan, evaluator, pipelines, bindGroupLayout, params);
  }

  get iteration(): number {
    return this.iterationCount;
  }

  private get learnsPremium(): boolean {
    return learnsPremium(this.config);
  }

  /** Dispatches per iteration (2 for mse, 4 for the measures that need batch statistics). */
  get dispatchesPerIteration(): number {
    return this.config.risk === 'mse' ? 2 : 4;
  }

  /** GPU buffers this engine holds (all destroyed by dispose). */
  get bufferCount(): number {
    return this.resources.count;
  }

  private uploadState(): void {
    const P = this.layout.count;
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

  /** Encodes iterations first .. first + count - 1 into one command buffer. */
  private encode(first: number, count: number, apply: boolean): GPUCommandBuffer {
    const { plan, config } = this;
    const frames = new Uint32Array((FRAME_BYTES / 4) * count);
    const sched = new Float32Array(4 * count * plan.depths);
    for (let t = 0; t < count; t++) {
      const it = first + t;
      frames.set([it >>> 0, t * plan.depths, apply ? 1 : 0, it % HISTORY], (FRAME_BYTES / 4) * t);
      for (let j = 0; j < plan.depths; j++) {
        const step = this.optimizerStep + t * plan.depths + j;
        const lr = learningRate(config, step);
        sched.set([lr, ...biasCorrections(step + 1), 1 - lr * config.weightDecay], 4 * (t * plan.depths + j));
      }
    }
    const q = this.device.queue;
    q.writeBuffer(this.framesBuf, 0, frames);
    q.writeBuffer(this.miscBuf, 4 * plan.offsets.sched, sched);
    const encoder = this.device.createCommandEncoder({ label: 'cher-hedger iterations' });
    const pass = encoder.beginComputePass({ label: 'cher-hedger train' });
    const p = this.pipelines;
    for (let t = 0; t < count; t++) {
      pass.setBindGroup(0, this.bindGroup, [FRAME_BYTES * t]);
      if (config.risk !== 'mse') {
        pass.setPipeline(p.forward);
        pass.dispatchWorkgroups(plan.grid[0], plan.grid[1]);
        pass.setPipeline(p.stats);
        pass.dispatchWorkgroups(1);
      }
      pass.setPipeline(p.backward);
      pass.dispatchWorkgroups(plan.grid[0], plan.grid[1]);
      pass.setPipeline(p.reduce);
      pass.dispatchWorkgroups(plan.reduceGrid[0], plan.reduceGrid[1]);
    }
    pass.end();
    return encoder.finish();
  }

  /**
   * Runs `iterations` iterations: submissions of up to plan.iterationsPerSubmit iterations each, a loss
   * readback queued after each (not awaited until the end), and the weights and optimiser state read back
   * once at the end for snapshot() and evaluate().
   */
  async train(iterations: number): Promise<TrainResult> {
    this.checkUsable();
    if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`train(iterations): a positive integer, got ${iterations}`);
    this.busy = true;
    try {
      const P = this.layout.count;
      const reads: { first: number; count: number; values: Promise<Float32Array> }[] = [];
      let it = this.iterationCount;
      let step = this.optimizerStep;
      let done = 0;
      let stateRead: Promise<Float32Array> | null = null;
      while (done < iterations) {
        const count = Math.min(this.plan.iterationsPerSubmit, iterations - done);
        const saveStep = this.optimizerStep;
        this.optimizerStep = step;
        const work = this.encode(it, count, true);
        this.optimizerStep = saveStep;
        const staging = this.resources.takeStaging();
        const encoder = this.device.createCommandEncoder({ label: 'cher-hedger readback' });
        this.copyHistory(encoder, staging, it, count);
        const last = done + count >= iterations;
        let stateStaging: GPUBuffer | null = null;
        if (last) {
          stateStaging = this.resources.takeStaging();
          encoder.copyBufferToBuffer(this.stateBuf, 0, stateStaging, 0, 4 * 3 * P);
        }
        this.device.queue.submit([work, encoder.finish()]);
        this.counters.submissions++;
        this.counters.dispatches += count * this.dispatchesPerIteration;
        this.counters.iterations += count;
        const values = this.resources.mapped(staging, 8 * count);
        values.catch(() => {}); // awaited below; a loss rejects every pending read at once
        reads.push({ first: it, count, values });
        if (stateStaging) {
          stateRead = this.resources.mapped(stateStaging, 4 * 3 * P);
          stateRead.catch(() => {});
        }
        it += count;
        step += count * this.plan.depths;
        done += count;
      }
      const history: IterationResult[] = [];
      for (const r of reads) {
        const v = await r.values;
        for (let t = 0; t < r.count; t++) history.push({ loss: v[2 * t], price: v[2 * t + 1] });
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

  /**
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser step:
   * one Float64Array block of parameter gradients per depth. For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; price: number; grad: Float64Array }> {
    this.checkUsable();
    this.busy = true;
    try {
      const { plan } = this;
      const P = this.layout.count;
      const work = this.encode(iteration, 1, false);
      const staging = this.resources.takeStaging();
      const gradBytes = 4 * plan.depths * plan.px;
      const encoder = this.device.createCommandEncoder({ label: 'cher-hedger gradient readback' });
      this.copyHistory(encoder, staging, iteration, 1);
      encoder.copyBufferToBuffer(this.stateBuf, 4 * plan.offsets.grad, staging, 8, gradBytes);
      this.device.queue.submit([work, encoder.finish()]);
      const r = await this.resources.mapped(staging, 8 + gradBytes);
      const h = r.subarray(0, 2);
      const g = r.subarray(2);
      const grad = new Float64Array(plan.depths * P);
      for (let d = 0; d < plan.depths; d++) for (let p = 0; p < P; p++) grad[d * P + p] = g[d * plan.px + p];
      return { loss: h[0], price: h[1], grad };
    } finally {
      this.busy = false;
    }
  }

  /** PnL - Z of every training path of `iteration` at the current weights (tests). */
  async pnl(iteration = this.iterationCount): Promise<Float32Array> {
    this.checkUsable();
    const encoder = this.device.createCommandEncoder();
    const frames = new Uint32Array(FRAME_BYTES / 4);
    frames.set([iteration >>> 0, 0, 0, iteration % HISTORY]);
    this.device.queue.writeBuffer(this.framesBuf, 0, frames);
    const pass = encoder.beginComputePass();
    pass.setBindGroup(0, this.bindGroup, [0]);
    pass.setPipeline(this.pipelines.forward);
    pass.dispatchWorkgroups(this.plan.grid[0], this.plan.grid[1]);
    pass.end();
    const bytes = 4 * this.config.batch;
    const read = this.device.createBuffer({ label: 'cher-hedger pnl readback', size: bytes, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    encoder.copyBufferToBuffer(this.yBuf, 0, read, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    try {
      await read.mapAsync(MAP_MODE_READ);
      return new Float32Array(read.getMappedRange().slice(0));
    } finally {
      read.destroy();
    }
  }

  /** The current parameters (a copy, as of the last completed call). */
  parameters(): Float32Array {
    return this.params.slice();
  }

  evaluate(): Promise<EvaluationReport> {
    return this.evaluator.evaluate(this.params, this.iterationCount);
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

  restore(s: TrainerSnapshot): void {
    checkSnapshot(s, this.layout.count, `hidden = ${this.config.hidden}`);
    this.params = Float32Array.from(s.params);
    this.m = Float32Array.from(s.m);
    this.v = Float32Array.from(s.v);
    this.optimizerStep = s.optimizerStep;
    this.iterationCount = s.iteration;
    if (!this.gpu.lost && !this.disposed) this.uploadState();
  }

  /** Destroys the device (tests of the device-loss fallback; other engines on a shared device lose it too). */
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
