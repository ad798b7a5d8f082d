// The explicit capability check of the WebGPU tests. They run on Dawn (the `webgpu` package) with
// SwiftShader in Node; vitest.config.ts points the Vulkan loader at Debian chromium's SwiftShader ICD.
// Where that driver is installed, or in CI, no adapter is a FAILURE naming what is missing, never a
// silent skip. Only on a machine with neither (a laptop without chromium) are the tests skipped, loudly.
import { existsSync } from 'node:fs';
import { afterAll } from 'vitest';
import { probeWebGpu, sharedGpu, type GpuContext } from '../../widget/runtime/webgpu/device.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface Gate {
  gpu: GpuContext | null;
  skipReason?: string;
}

export async function webgpuGate(): Promise<Gate> {
  const cap = await probeWebGpu();
  if (cap.available) return { gpu: await sharedGpu() };
  const icd = existsSync(SWIFTSHADER_ICD);
  const ci = !!process.env.CI;
  if (icd || ci) {
    throw new Error(
      `WebGPU tests: no adapter appeared although ${icd ? `the SwiftShader ICD ${SWIFTSHADER_ICD} is installed` : 'this is CI'}` +
        ` (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? '(unset)'}, LD_LIBRARY_PATH=${process.env.LD_LIBRARY_PATH ?? '(unset)'}): ${cap.reason}`,
    );
  }
  const reason = `no WebGPU adapter and no SwiftShader ICD (${SWIFTSHADER_ICD}; install Debian's chromium package): ${cap.reason}`;
  console.warn(`SKIPPING the WebGPU tests: ${reason}`);
  return { gpu: null, skipReason: reason };
}

/**
 * Engines a test file creates, disposed after its last test: returns `keep`, which registers an engine and
 * passes it through (`const e = keep(await createEngine(...))`).
 */
export function disposeAfterAll(): <T extends { dispose(): void }>(engine: T) => T {
  const open: { dispose(): void }[] = [];
  afterAll(() => open.forEach((e) => e.dispose()));
  return (engine) => {
    open.push(engine);
    return engine;
  };
}
