// Picks the training engine for a configuration's `backend` key.
import type { HedgerConfig } from './config.js';
import type { TrainingEngine } from '../../runtime/training/engine.js';
import { WasmEngine } from './wasm/wasm-engine.js';
import { probeWebGpu } from '../../runtime/webgpu/device.js';
import { WebGpuEngine } from './webgpu/webgpu-engine.js';

/**
 * "wasm": the AssemblyScript engine. "webgpu": the WGSL engine on any adapter, software ones included,
 * or a clear error where there is none. "auto": WebGPU when an adapter and a device exist and the adapter
 * is not a software fallback (and the configuration fits its limits), else WASM.
 */
export async function createEngine(config: HedgerConfig): Promise<TrainingEngine> {
  if (config.backend === 'wasm') return WasmEngine.create(config);
  const gpu = await probeWebGpu();
  if (config.backend === 'webgpu') {
    if (!gpu.available) {
      throw new Error(`backend = "webgpu" cannot run here: ${gpu.reason}. Use backend = "auto" or "wasm".`);
    }
    return WebGpuEngine.create(config);
  }
  if (gpu.available && !gpu.fallback) {
    try {
      return await WebGpuEngine.create(config);
    } catch {
      // Beyond the device's limits or a failing driver: the CPU engine trains the same numbers.
    }
  }
  return WasmEngine.create(config);
}
