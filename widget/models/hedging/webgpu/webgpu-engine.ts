/// <reference types="@webgpu/types" />
// The hedging model's WebGPU engine: its buffers, pipelines and command stream (2 dispatches an iteration
// for mse, 4 otherwise) on the runtime's GPU training engine, which owns the weights, the submissions, the
// readbacks and snapshots. Evaluation runs on the model's WASM evaluator, so its report does not depend on
// the engine that trained.
import { adamWSchedule } from '../../../runtime/training/adamw.js';
import { sharedGpu, type GpuContext } from '../../../runtime/webgpu/device.js';
import { GpuTrainingEngine } from '../../../runtime/webgpu/gpu-training-engine.js';
import { compileProgram, FRAME_BYTES, MAP_MODE_READ, USAGE } from '../../../runtime/webgpu/resources.js';
import type { HedgerConfig } from '../config.js';
import type { EvaluationReport } from '../evaluation.js';
import { Evaluator } from '../evaluator.js';
import { hedgingParameters, networkShape, type ParamLayout } from '../network.js';
import { unitConfig } from '../units.js';
import { HISTORY } from '../../../runtime/webgpu/wgsl.js';
import { makePlan, programSource, tauTable, type Plan, type PlanOptions } from './program.js';

export interface WebGpuEngineOptions extends PlanOptions {
  /** Initial parameters instead of the seeded ones (parity tests, imports). */
  params?: Float32Array;
  /** A device context; by default the thread's shared device. */
  gpu?: GpuContext;
}

export class WebGpuEngine extends GpuTrainingEngine<HedgerConfig, EvaluationReport> {
  protected readonly shape: string;
  private readonly layout: ParamLayout;
  private readonly yBuf: GPUBuffer;
  private readonly framesBuf: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;

  private constructor(
    config: HedgerConfig, gpu: GpuContext, readonly plan: Plan, private readonly evaluator: Evaluator,
    private readonly pipelines: Record<string, GPUComputePipeline>, bindGroupLayout: GPUBindGroupLayout, params: Float32Array,
  ) {
    const P = plan.layout.count;
    super(config, gpu, 'cher-hedger', params, {
      iterationsPerSubmit: plan.iterationsPerSubmit, stepsPerIteration: plan.depths, historyCapacity: HISTORY,
      historyOffset: plan.offsets.hist, stateBytes: plan.bytes.state, miscBytes: plan.bytes.misc,
      stagingBytes: Math.max(8 * HISTORY, 4 * 3 * P, 8 + 4 * plan.depths * plan.px),
    });
    this.shape = networkShape(config);
    this.layout = plan.layout;
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = USAGE;
    const r = this.resources;
    const partials = r.buffer('partials', plan.bytes.partials, STORAGE);
    this.yBuf = r.buffer('y', Math.max(plan.bytes.y, 4 * config.batch), STORAGE | COPY_SRC);
    this.framesBuf = r.buffer('frames', plan.bytes.frames, UNIFORM | COPY_DST);
    const tape = r.buffer('tape', plan.bytes.tape, STORAGE);
    this.bindGroup = this.device.createBindGroup({
      label: 'cher-hedger',
      layout: bindGroupLayout,
      entries: [
        { binding: 0, resource: { buffer: this.framesBuf, offset: 0, size: 16 } },
        { binding: 1, resource: { buffer: this.stateBuf } },
        { binding: 2, resource: { buffer: partials } },
        { binding: 3, resource: { buffer: this.yBuf } },
        { binding: 4, resource: { buffer: this.miscBuf } },
        { binding: 5, resource: { buffer: tape } },
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

  /** Dispatches per iteration (2 for mse, 4 for the measures that need batch statistics). */
  get dispatchesPerIteration(): number {
    return this.config.risk === 'mse' ? 2 : 4;
  }

  protected encode(first: number, count: number, apply: boolean, step: number): GPUCommandBuffer {
    const { plan, config } = this;
    const frames = new Uint32Array((FRAME_BYTES / 4) * count);
    const sched = new Float32Array(4 * count * plan.depths);
    for (let t = 0; t < count; t++) {
      const it = first + t;
      frames.set([it >>> 0, t * plan.depths, apply ? 1 : 0, it % HISTORY], (FRAME_BYTES / 4) * t);
      for (let j = 0; j < plan.depths; j++) {
        const s = step + t * plan.depths + j;
        sched.set(adamWSchedule(config, s), 4 * (t * plan.depths + j));
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
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser step:
   * one Float64Array block of parameter gradients per depth. For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; price: number; grad: Float64Array }> {
    const { plan } = this;
    const P = this.layout.count;
    const { loss, price, raw } = await this.rawGradient(iteration, plan.offsets.grad, plan.depths * plan.px);
    const grad = new Float64Array(plan.depths * P);
    for (let d = 0; d < plan.depths; d++) for (let p = 0; p < P; p++) grad[d * P + p] = raw[d * plan.px + p];
    return { loss, price, grad };
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

  evaluate(): Promise<EvaluationReport> {
    return this.evaluator.evaluate(this.params, this.iterationCount);
  }

  protected release(): void {
    this.evaluator.dispose();
  }
}
