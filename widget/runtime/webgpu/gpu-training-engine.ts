/// <reference types="@webgpu/types" />
// The WebGPU side of the training runtime: weights and AdamW state on the GPU (the `state` buffer starts
// with params | m | v), several iterations per queue submission, each iteration's loss and price written by
// the model's kernels into a history ring in `misc` and read back without stalling the queue, the weights
// and optimiser state read back once per call for snapshots. A model supplies its buffers, bind group and
// `encode()`; this class owns the rest, so every model's GPU engine trains, snapshots and fails alike.
import {
  checkSnapshot, DeviceLostError, type IterationResult, type TrainerSnapshot, type TrainingEngine, type TrainResult,
} from '../training/engine.js';
import { adamWSchedule, type AdamWSettings } from '../training/adamw.js';
import type { GpuContext } from './device.js';
import { FRAME_BYTES, GpuResources, USAGE } from './resources.js';

export interface GpuEngineLayout {
  /** Iterations one queue submission carries. */
  iterationsPerSubmit: number;
  /** Optimiser steps one iteration takes (one per depth with per-depth BPTT). */
  stepsPerIteration: number;
  /** Slots of the loss history ring. */
  historyCapacity: number;
  /** Float offset of the history ring (pairs of loss, price) in `misc`. */
  historyOffset: number;
  /** Bytes of the `state` and `misc` buffers, and of the largest readback. */
  stateBytes: number;
  miscBytes: number;
  stagingBytes: number;
}

export abstract class GpuTrainingEngine<Config, Report> implements TrainingEngine<Config, Report> {
  readonly backend = 'webgpu' as const;
  readonly workers = 1;
  readonly detail: string;
  /** Dispatches and queue submissions issued by train(), for the benchmark. */
  readonly counters = { iterations: 0, dispatches: 0, submissions: 0 };
  protected readonly device: GPUDevice;
  protected readonly resources: GpuResources;
  /** params | m | v | whatever the model keeps after them. */
  protected readonly stateBuf: GPUBuffer;
  protected readonly miscBuf: GPUBuffer;
  protected params: Float32Array;
  protected m: Float32Array;
  protected v: Float32Array;
  protected optimizerStep = 0;
  protected iterationCount = 0;
  protected disposed = false;
  private busy = false;

  /** Dispatches one iteration issues (for the counters). */
  abstract get dispatchesPerIteration(): number;

  /** Encodes iterations first .. first + count - 1, optimiser steps from `step`, into one command buffer. */
  protected abstract encode(first: number, count: number, apply: boolean, step: number): GPUCommandBuffer;

  /** The network's shape in words, for snapshot errors. */
  protected abstract readonly shape: string;

  protected constructor(
    readonly config: Config, protected readonly gpu: GpuContext, label: string, params: Float32Array,
    private readonly sizes: GpuEngineLayout,
  ) {
    this.device = gpu.device;
    this.detail = gpu.description + (gpu.fallback ? ', software adapter' : '');
    this.params = params;
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
    this.resources = new GpuResources(gpu, label, sizes.stagingBytes);
    const { STORAGE, COPY_SRC, COPY_DST } = USAGE;
    this.stateBuf = this.resources.buffer('state', sizes.stateBytes, STORAGE | COPY_SRC | COPY_DST);
    this.miscBuf = this.resources.buffer('misc', sizes.miscBytes, STORAGE | COPY_SRC | COPY_DST);
  }

  /**
   * The frames buffer and the bind group of a program bound as frames (uniform, one frame per iteration),
   * state, partials, misc: the layout of the value network and the neural dual.
   */
  protected bindFramesStatePartialsMisc(
    label: string, layout: GPUBindGroupLayout, partialsBytes: number, framesBytes: number,
  ): { framesBuf: GPUBuffer; bindGroup: GPUBindGroup } {
    const { STORAGE, COPY_DST, UNIFORM } = USAGE;
    const partials = this.resources.buffer('partials', partialsBytes, STORAGE);
    const framesBuf = this.resources.buffer('frames', framesBytes, UNIFORM | COPY_DST);
    const bindGroup = this.device.createBindGroup({
      label, layout,
      entries: [
        { binding: 0, resource: { buffer: framesBuf, offset: 0, size: FRAME_BYTES } },
        { binding: 1, resource: { buffer: this.stateBuf } },
        { binding: 2, resource: { buffer: partials } },
        { binding: 3, resource: { buffer: this.miscBuf } },
      ],
    });
    return { framesBuf, bindGroup };
  }

  /**
   * Writes the frames (iteration, slot in the submission, apply, history slot) and the AdamW schedule (one
   * optimiser step each, at float `schedOffset` of misc) of iterations first .. first + count - 1.
   */
  protected writeIterationFrames(
    framesBuf: GPUBuffer, schedOffset: number, settings: AdamWSettings & { weightDecay: number },
    first: number, count: number, apply: boolean, step: number,
  ): void {
    const frames = new Uint32Array((FRAME_BYTES / 4) * count);
    const sched = new Float32Array(4 * count);
    for (let t = 0; t < count; t++) {
      const it = first + t;
      frames.set([it >>> 0, t, apply ? 1 : 0, it % this.sizes.historyCapacity], (FRAME_BYTES / 4) * t);
      sched.set(adamWSchedule(settings, step + t), 4 * t);
    }
    this.device.queue.writeBuffer(framesBuf, 0, frames);
    this.device.queue.writeBuffer(this.miscBuf, 4 * schedOffset, sched);
  }

  get iteration(): number {
    return this.iterationCount;
  }

  /** GPU buffers this engine holds (all destroyed by dispose). */
  get bufferCount(): number {
    return this.resources.count;
  }

  /** The model's price from the raw value its kernel writes beside the loss (identity unless overridden). */
  protected priceOf(raw: number): number {
    return raw;
  }

  protected uploadState(): void {
    const P = this.params.length;
    const s = new Float32Array(3 * P);
    s.set(this.params, 0);
    s.set(this.m, P);
    s.set(this.v, 2 * P);
    this.device.queue.writeBuffer(this.stateBuf, 0, s);
  }

  protected checkUsable(): void {
    if (this.disposed) throw new Error('this WebGPU engine has been disposed');
    if (this.gpu.lost) throw new DeviceLostError('lost before this call');
    if (this.busy) throw new Error('the WebGPU engine is already running train() or gradient(); await it first');
  }

  /** Runs `run` with the engine marked busy; a failure while the device is lost becomes a DeviceLostError. */
  protected async exclusive<T>(run: () => Promise<T>): Promise<T> {
    this.checkUsable();
    this.busy = true;
    try {
      return await run();
    } catch (e) {
      if (this.gpu.lost && !(e instanceof DeviceLostError)) throw new DeviceLostError((e as Error).message);
      throw e;
    } finally {
      this.busy = false;
    }
  }

  /** Copies the history ring's entries of iterations first .. first + count - 1 to the start of `dst`. */
  protected copyHistory(encoder: GPUCommandEncoder, dst: GPUBuffer, first: number, count: number): void {
    const { historyCapacity, historyOffset } = this.sizes;
    let slot = first % historyCapacity;
    let at = 0;
    let left = count;
    while (left > 0) {
      const n = Math.min(left, historyCapacity - slot);
      encoder.copyBufferToBuffer(this.miscBuf, 4 * historyOffset + 8 * slot, dst, at, 8 * n);
      at += 8 * n;
      left -= n;
      slot = 0;
    }
  }

  /**
   * Runs `iterations` iterations: submissions of up to iterationsPerSubmit iterations each, a loss readback
   * queued after each (not awaited until the end), and the weights and optimiser state read back once at the
   * end for snapshot() and evaluate().
   */
  train(iterations: number): Promise<TrainResult> {
    if (!Number.isInteger(iterations) || iterations < 1) {
      return Promise.reject(new RangeError(`train(iterations): a positive integer, got ${iterations}`));
    }
    return this.exclusive(async () => {
      const P = this.params.length;
      const reads: { count: number; values: Promise<Float32Array> }[] = [];
      let it = this.iterationCount;
      let step = this.optimizerStep;
      let done = 0;
      let stateRead: Promise<Float32Array> | null = null;
      while (done < iterations) {
        const count = Math.min(this.sizes.iterationsPerSubmit, iterations - done);
        const work = this.encode(it, count, true, step);
        const staging = this.resources.takeStaging();
        const encoder = this.device.createCommandEncoder({ label: 'readback' });
        this.copyHistory(encoder, staging, it, count);
        let stateStaging: GPUBuffer | null = null;
        if (done + count >= iterations) {
          stateStaging = this.resources.takeStaging();
          encoder.copyBufferToBuffer(this.stateBuf, 0, stateStaging, 0, 4 * 3 * P);
        }
        this.device.queue.submit([work, encoder.finish()]);
        this.counters.submissions++;
        this.counters.dispatches += count * this.dispatchesPerIteration;
        this.counters.iterations += count;
        const values = this.resources.mapped(staging, 8 * count);
        values.catch(() => {}); // awaited below; a loss rejects every pending read at once
        reads.push({ count, values });
        if (stateStaging) {
          stateRead = this.resources.mapped(stateStaging, 4 * 3 * P);
          stateRead.catch(() => {});
        }
        it += count;
        step += count * this.sizes.stepsPerIteration;
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
      const last = history[history.length - 1];
      return { loss: last.loss, price: last.price, history };
    });
  }

  /**
   * One iteration's loss, price and raw reduced gradient (`gradFloats` floats at float offset `gradOffset` of
   * `state`) at the current weights, without an optimiser step. For tests and engine parity.
   */
  protected rawGradient(iteration: number, gradOffset: number, gradFloats: number): Promise<{ loss: number; price: number; raw: Float32Array }> {
    return this.exclusive(async () => {
      const work = this.encode(iteration, 1, false, this.optimizerStep);
      const staging = this.resources.takeStaging();
      const encoder = this.device.createCommandEncoder({ label: 'gradient readback' });
      this.copyHistory(encoder, staging, iteration, 1);
      encoder.copyBufferToBuffer(this.stateBuf, 4 * gradOffset, staging, 8, 4 * gradFloats);
      this.device.queue.submit([work, encoder.finish()]);
      const r = await this.resources.mapped(staging, 8 + 4 * gradFloats);
      return { loss: r[0], price: this.priceOf(r[1]), raw: r.subarray(2, 2 + gradFloats) };
    });
  }

  /** The current parameters (a copy, as of the last completed call). */
  parameters(): Float32Array {
    return this.params.slice();
  }

  abstract evaluate(): Promise<Report>;

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
    checkSnapshot(s, this.params.length, this.shape);
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

  /** Releases the model's own resources (its evaluator); the GPU buffers are the runtime's. */
  protected abstract release(): void;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.resources.destroy();
    this.release();
  }
}
