// Picks a model's training engine (or the bounds solver's sweeps) for a configuration's `backend` key;
// the one place that tells the backends apart.
import { probeWebGpu } from '../webgpu/device.js';

export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

export interface EngineFactories<E> {
  wasm(): Promise<E>;
  /** The model's WebGPU engine, where it has one. */
  webgpu?(): Promise<E>;
}

/**
 * "wasm": the model's WASM engine. "webgpu": its WGSL engine on any adapter, software ones included, or a
 * clear error where there is none. "auto": WebGPU when an adapter and a device exist and the adapter is
 * not a software fallback (and the configuration fits its limits), else WASM.
 */
export async function selectEngine<E>(backend: BackendChoice, make: EngineFactories<E>): Promise<E> {
  if (backend === 'wasm' || !make.webgpu) {
    if (backend === 'webgpu') throw new Error('backend = "webgpu": this model has no WebGPU engine yet. Use backend = "auto" or "wasm".');
    return make.wasm();
  }
  const gpu = await probeWebGpu();
  if (backend === 'webgpu') {
    if (!gpu.available) {
      throw new Error(`backend = "webgpu" cannot run here: ${gpu.reason}. Use backend = "auto" or "wasm".`);
    }
    return make.webgpu();
  }
  if (gpu.available && !gpu.fallback) {
    try {
      return await make.webgpu();
    } catch {
      // Beyond the device's limits or a failing driver: the WASM engine trains the same numbers.
    }
  }
  return make.wasm();
}
