/// <reference types="@webgpu/types" />
// What every model's WebGPU engine does the same way: buffers it owns and destroys, staging buffers for
// readback reused across calls, mapped reads that fail with DeviceLostError when the device goes, and
// programs compiled once per device and source.
import { DeviceLostError } from '../training/engine.js';
import type { GpuContext } from './device.js';

/** GPUBufferUsage and GPUMapMode values (numeric, so no global is needed in Node). */
export const USAGE = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 } as const;
export const MAP_MODE_READ = 0x0001;

/** Bytes between two iterations' uniform frames (the dynamic-offset alignment every device accepts). */
export const FRAME_BYTES = 256;

/** An engine's buffers on one device. */
export class GpuResources {
  private readonly buffers: GPUBuffer[] = [];
  private readonly stagingFree: GPUBuffer[] = [];

  constructor(
    private readonly gpu: GpuContext,
    private readonly label: string,
    /** Size of each staging buffer: the largest readback the engine makes. */
    private readonly stagingBytes: number,
  ) {}

  /** GPU buffers held (all destroyed by destroy()). */
  get count(): number {
    return this.buffers.length;
  }

  buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.gpu.device.createBuffer({ label: `${this.label} ${label}`, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.buffers.push(b);
    return b;
  }

  /** A staging buffer to copy results into (a free one, or a new one). */
  takeStaging(): GPUBuffer {
    return this.stagingFree.pop() ?? this.buffer('readback', this.stagingBytes, USAGE.MAP_READ | USAGE.COPY_DST);
  }

  /** The first `bytes` of a staging buffer once the GPU has written them; the buffer goes back to the free list. */
  async mapped(staging: GPUBuffer, bytes: number): Promise<Float32Array> {
    const lost = this.gpu.lostPromise.then((why) => ({ lost: why }));
    const mapping = staging.mapAsync(MAP_MODE_READ, 0, bytes).then(() => null);
    const outcome = await Promise.race([mapping, lost]);
    if (outcome) {
      mapping.catch(() => {});
      throw new DeviceLostError(outcome.lost);
    }
    const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.stagingFree.push(staging);
    return out;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
    this.stagingFree.length = 0;
  }
}

export interface CompiledProgram {
  pipelines: Record<string, GPUComputePipeline>;
  bindGroupLayout: GPUBindGroupLayout;
}

/** Programs by device and source: engines of the same configuration share one compilation. */
const programCache = new WeakMap<GPUDevice, Map<string, Promise<CompiledProgram>>>();

/**
 * The compute pipelines of `entryPoints` in one WGSL program whose bindings are a uniform frame (binding 0,
 * dynamic offset, `frameBytes` long) and `storageBindings` storage buffers (bindings 1..). Compilation
 * errors name their lines.
 */
export function compileProgram(
  device: GPUDevice, label: string, code: string, storageBindings: number, entryPoints: readonly string[], frameBytes = 16,
): Promise<CompiledProgram> {
  let perDevice = programCache.get(device);
  if (!perDevice) programCache.set(device, (perDevice = new Map()));
  const key = `${storageBindings}:${frameBytes}:${entryPoints.join(',')}:${code}`;
  let c = perDevice.get(key);
  if (!c) {
    c = compile(device, label, code, storageBindings, entryPoints, frameBytes);
    perDevice.set(key, c);
    c.catch(() => perDevice!.delete(key));
  }
  return c;
}

async function compile(
  device: GPUDevice, label: string, code: string, storageBindings: number, entryPoints: readonly string[], frameBytes: number,
): Promise<CompiledProgram> {
  const bindGroupLayout = device.createBindGroupLayout({
    label,
    entries: [
      { binding: 0, visibility: 4, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: frameBytes } },
      ...Array.from({ length: storageBindings }, (_, i) => ({ binding: i + 1, visibility: 4, buffer: { type: 'storage' as const } })),
    ],
  });
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] });
  let made: GPUComputePipeline[];
  try {
    made = await Promise.all(
      entryPoints.map((entryPoint) => device.createComputePipelineAsync({ label: entryPoint, layout, compute: { module, entryPoint } })),
    );
  } catch (e) {
    const info = await module.getCompilationInfo();
    const msgs = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
    await device.popErrorScope();
    throw new Error(`the ${label} shader did not compile: ${(e as Error).message}${msgs.length ? '\n' + msgs.join('\n') : ''}`);
  }
  const error = await device.popErrorScope();
  if (error) throw new Error(`the ${label} pipelines are invalid: ${error.message}`);
  return { pipelines: Object.fromEntries(entryPoints.map((e, i) => [e, made[i]])), bindGroupLayout };
}

/** A 2-D dispatch of `count` workgroups, at most `perDim` along x (the device's per-dimension limit). */
export function dispatchGrid(count: number, perDim: number): [number, number] {
  if (count <= perDim) return [Math.max(1, count), 1];
  const y = Math.ceil(count / perDim);
  return [Math.ceil(count / y), y];
}

/** A configuration this device's limits cannot run (workgroups, buffer sizes, workgroup memory). */
export class DeviceLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceLimitError';
  }
}
