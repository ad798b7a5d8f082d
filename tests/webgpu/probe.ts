/// <reference types="@webgpu/types" />
// Test probes of the WGSL random numbers: Philox4x32-10 words and Box-Muller normals of given counters,
// computed by shaders/philox.wgsl on the device.
import mathSource from '../../shaders/core/math.wgsl?raw';
import philoxSource from '../../shaders/core/philox.wgsl?raw';
import probeSource from './probe.wgsl?raw';
import type { GpuContext } from '../../widget/runtime/webgpu/device.js';

export interface PhiloxProbe {
  counter: [number, number, number, number];
  key: [number, number];
}

/** Runs `entry` ("probeWords" or "probeNormals") over the probes; four u32 words per probe. */
export async function runPhiloxProbe(gpu: GpuContext, entry: 'probeWords' | 'probeNormals', probes: PhiloxProbe[]): Promise<Uint32Array> {
  const { device } = gpu;
  const input = new Uint32Array(8 * probes.length);
  probes.forEach((p, i) => input.set([...p.counter, ...p.key, 0, 0], 8 * i));
  const module = device.createShaderModule({ label: 'cher-hedger probe', code: mathSource + '\n' + philoxSource + '\n' + probeSource });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: entry } });
  const inBuf = device.createBuffer({ size: input.byteLength, usage: 0x80 | 0x08 });
  const outBuf = device.createBuffer({ size: 16 * probes.length, usage: 0x80 | 0x04 });
  const read = device.createBuffer({ size: 16 * probes.length, usage: 0x01 | 0x08 });
  try {
    device.queue.writeBuffer(inBuf, 0, input);
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: inBuf } }, { binding: 1, resource: { buffer: outBuf } }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(probes.length / 64));
    pass.end();
    encoder.copyBufferToBuffer(outBuf, 0, read, 0, 16 * probes.length);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(0x0001);
    return new Uint32Array(read.getMappedRange().slice(0));
  } finally {
    inBuf.destroy();
    outBuf.destroy();
    read.destroy();
  }
}
