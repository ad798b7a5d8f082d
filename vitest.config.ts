import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// WebGPU tests run on Dawn (the `webgpu` package) with the SwiftShader Vulkan driver from Debian's
// chromium package. The Vulkan loader reads these when Dawn starts, in the test workers this process
// forks, so they are set here, before any worker exists. Chromium also ships the loader itself
// (libvulkan.so.1), used when the system has none (libvulkan1 not installed).
const chromium = '/usr/lib/chromium';
const icd = `${chromium}/vk_swiftshader_icd.json`;
if (existsSync(icd)) {
  process.env.VK_ICD_FILENAMES ??= icd;
  const systemLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'].some(existsSync);
  if (!systemLoader && existsSync(`${chromium}/libvulkan.so.1`)) {
    const current = process.env.LD_LIBRARY_PATH;
    if (!current?.split(':').includes(chromium)) process.env.LD_LIBRARY_PATH = current ? `${chromium}:${current}` : chromium;
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
