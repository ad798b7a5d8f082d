/// <reference types="@webgpu/types" />
// The American value network's WebGPU engine: its buffers, pipelines and command stream (a target copy
// where a targetRefresh block starts, the training kernel and the reduction with AdamW) on the runtime's
// GPU training engine, which owns the weights, the submissions, the readbacks and snapshots. Evaluation
// (the network's price and its stopping rule on independent paths) runs on the WASM engine's passes, so
// the report does not depend on the engine that trained.
import type { TrainerSnapshot } from '../../../../runtime/training/engine.js';
import { sharedGpu, type GpuContext } from '../../../../runtime/webgpu/device.js';
import { GpuTrainingEngine } from '../../../../runtime/webgpu/gpu-training-engine.js';
import { compileProgram, FRAME_BYTES } from '../../../../runtime/webgpu/resources.js';
import type { AmericanConfig } from '../../config.js';
import { payoff } from '../../price.js';
import { networkBoundary, targetBlock, valueParameters } from '../network.js';
import type { NetworkReport } from '../report.js';
import { AmericanWasmEngine } from '../wasm-engine.js';
import { HISTORY } from '../../../../runtime/webgpu/wgsl.js';
import { makeValuePlan, valueProgramSource, valueTauTable, type ValuePlan, type ValuePlanOptions } from './program.js';

export interface AmericanWebGpuOptions extends ValuePlanOptions {
  /** Initial parameters instead of the seeded ones (parity tests, imports). */
  params?: Float32Array;
  /** A device context; by default the thread's shared device. */
  gpu?: GpuContext;
}

export class AmericanWebGpuEngine extends GpuTrainingEngine<AmericanConfig, NetworkReport> {
  protected readonly shape: string;
  private readonly framesBuf: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  /** The targetRefresh block whose copy the GPU holds (-1: none; the next iteration takes one). */
  private block = -1;

  private constructor(
    config: AmericanConfig, gpu: GpuContext, readonly plan: ValuePlan, private readonly evaluator: AmericanWasmEngine,
    private readonly pipelines: Record<string, GPUComputePipeline>, bindGroupLayout: GPUBindGroupLayout, params: Float32Array,
  ) {
    const P = plan.layout.count;
    super(config, gpu, 'cher-american', params, {
      iterationsPerSubmit: plan.iterationsPerSubmit, stepsPerIteration: 1, historyCapacity: HISTORY,
      historyOffset: plan.offsets.hist, stateBytes: plan.bytes.state, miscBytes: plan.bytes.misc,
      stagingBytes: Math.max(8 * HISTORY, 4 * 4 * P + 4 * plan.px),
    });
    this.shape = `hidden = ${config.hidden}`;
    ({ framesBuf: this.framesBuf, bindGroup: this.bindGroup } = this.bindFramesStatePartialsMisc(
      'cher-american', bindGroupLayout, plan.bytes.partials, plan.bytes.frames,
    ));
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

  /** The training kernel and the reduction (the target copies are counted as they are encoded). */
  get dispatchesPerIteration(): number {
    return 2;
  }

  protected encode(first: number, count: number, apply: boolean, step: number): GPUCommandBuffer {
    const { plan, config } = this;
    this.writeIterationFrames(this.framesBuf, plan.offsets.sched, config, first, count, apply, step);
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

  /** The price the WASM engine reports per iteration: C(0, S0), or the payoff where an American option is better exercised. */
  protected override priceOf(hold: number): number {
    return this.config.exercise === 'american' ? Math.max(payoff(this.config, this.config.spot), hold) : hold;
  }

  /**
   * The loss and gradient at the current weights on the paths of `iteration`, without an optimiser step
   * (the target copy follows the same rule as in training). For tests and engine parity.
   */
  async gradient(iteration = this.iterationCount): Promise<{ loss: number; price: number; grad: Float64Array }> {
    const P = this.plan.layout.count;
    const { loss, price, raw } = await this.rawGradient(iteration, this.plan.offsets.grad, P);
    return { loss, price, grad: Float64Array.from(raw) };
  }

  /** Sets the TD target's weights as the copy of `iteration`'s block (tests: the same target as another engine). */
  setTargetWeights(weights: Float32Array, iteration = this.iterationCount): void {
    this.checkUsable();
    const P = this.plan.layout.count;
    if (weights.length !== P) throw new Error(`target weights have ${weights.length} values; hidden = ${this.config.hidden} needs ${P}`);
    this.device.queue.writeBuffer(this.stateBuf, 4 * this.plan.offsets.target, Float32Array.from(weights));
    this.block = targetBlock(iteration, this.config.targetRefresh);
  }

  evaluate(): Promise<NetworkReport> {
    this.evaluator.restore(this.snapshot());
    return this.evaluator.evaluate();
  }

  /** The stopping rule's exercise boundary at the current weights. */
  boundary() {
    return networkBoundary(this.config, this.params);
  }

  /** Snapshots hold no target copy: the next iteration takes its target from the restored weights. */
  override restore(s: TrainerSnapshot): void {
    super.restore(s);
    this.block = -1;
  }

  protected release(): void {
    this.evaluator.dispose();
  }
}
