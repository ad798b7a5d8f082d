/// <reference types="@webgpu/types" />
// The neural dual's WebGPU engine: its buffers, pipelines and command stream (the training kernel, then the
// reduction with AdamW) on the runtime's GPU training engine, which owns the weights, submissions,
// readbacks and snapshots. Evaluation is the host's, in f64, from the weights (../dual.ts).
import { sharedGpu, type GpuContext } from '../../../../runtime/webgpu/device.js';
import { GpuTrainingEngine } from '../../../../runtime/webgpu/gpu-training-engine.js';
import { compileProgram, FRAME_BYTES } from '../../../../runtime/webgpu/resources.js';
import { dualParameters, dualShape } from '../network.js';
import { penaltyAt, type NeuralDualConfig } from '../setup.js';
import { penalisedPrice, type NeuralWeights } from '../wasm-engine.js';
import { HISTORY } from '../../../../runtime/webgpu/wgsl.js';
import { dualProgramSource, makeDualPlan, type DualPlan, type DualPlanOptions } from './program.js';

export interface NeuralWebGpuOptions extends DualPlanOptions {
  /** Initial parameters instead of the seeded ones (parity tests). */
  params?: Float32Array;
  /** A device context; by default the thread's shared device. */
  gpu?: GpuContext;
}

export class NeuralWebGpuEngine extends GpuTrainingEngine<NeuralDualConfig, NeuralWeights> {
  protected readonly shape: string;
  private readonly framesBuf: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;

  private constructor(
    config: NeuralDualConfig, gpu: GpuContext, readonly plan: DualPlan,
    private readonly pipelines: Record<string, GPUComputePipeline>, bindGroupLayout: GPUBindGroupLayout, params: Float32Array,
  ) {
    const P = plan.layout.count;
    super(config, gpu, 'cher-bounds neural dual', params, {
      iterationsPerSubmit: plan.iterationsPerSubmit, stepsPerIteration: 1, historyCapacity: HISTORY,
      historyOffset: plan.offsets.hist, stateBytes: plan.bytes.state, miscBytes: plan.bytes.misc,
      stagingBytes: Math.max(8 * HISTORY, 4 * (3 * P + plan.px)),
    });
    this.shape = dualShape(config);
    ({ framesBuf: this.framesBuf, bindGroup: this.bindGroup } = this.bindFramesStatePartialsMisc(
      'cher-bounds neural dual', bindGroupLayout, plan.bytes.partials, plan.bytes.frames,
    ));
    const s = config.setup;
    const q = this.device.queue;
    q.writeBuffer(this.miscBuf, 4 * plan.offsets.consts, s.consts);
    q.writeBuffer(this.miscBuf, 4 * plan.offsets.dates, s.dateTable);
    q.writeBuffer(this.miscBuf, 4 * plan.offsets.atoms, s.atomTable);
    this.uploadState();
  }

  static async create(config: NeuralDualConfig, options: NeuralWebGpuOptions = {}): Promise<NeuralWebGpuEngine> {
    const gpu = options.gpu ?? (await sharedGpu());
    const plan = makeDualPlan(config, gpu.device.limits, options);
    const params = dualParameters(config, options.params).initial;
    const { pipelines, bindGroupLayout } = await compileProgram(
      gpu.device, 'cher-bounds neural dual', dualProgramSource(config, plan), 3, ['train', 'reduce'],
    );
    return new NeuralWebGpuEngine(config, gpu, plan, pipelines, bindGroupLayout, params);
  }

  get dispatchesPerIteration(): number {
    return 2;
  }

  protected encode(first: number, count: number, apply: boolean, step: number): GPUCommandBuffer {
    const { plan, config } = this;
    this.writeIterationFrames(this.framesBuf, plan.offsets.sched, config, first, count, apply, step);
    const penalty = new Float32Array(2 * count);
    for (let t = 0; t < count; t++) penalty.set(penaltyAt(config, first + t), 2 * t);
    this.device.queue.writeBuffer(this.miscBuf, 4 * plan.offsets.penalty, penalty);
    const encoder = this.device.createCommandEncoder({ label: 'cher-bounds neural dual iterations' });
    const pass = encoder.beginComputePass({ label: 'cher-bounds neural dual train' });
    for (let t = 0; t < count; t++) {
      pass.setBindGroup(0, this.bindGroup, [FRAME_BYTES * t]);
      pass.setPipeline(this.pipelines.train);
      pass.dispatchWorkgroups(plan.grid[0], plan.grid[1]);
      pass.setPipeline(this.pipelines.reduce);
      pass.dispatchWorkgroups(plan.reduceGrid[0], plan.reduceGrid[1]);
    }
    pass.end();
    return encoder.finish();
  }

  /** The kernel writes the loss beside itself; the price is the side's penalised value in currency. */
  protected override priceOf(loss: number): number {
    return penalisedPrice(this.config, loss);
  }

  /** The loss and gradient at the current weights on the paths of `iteration`, without a step (tests, parity). */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; grad: Float64Array }> {
    const P = this.plan.layout.count;
    const { loss, raw } = await this.rawGradient(iteration, this.plan.offsets.grad, P);
    return { loss, grad: Float64Array.from(raw) };
  }

  async evaluate(): Promise<NeuralWeights> {
    return { params: this.params.slice(), iteration: this.iterationCount };
  }

  protected release(): void {}
}
