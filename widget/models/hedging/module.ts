// The hedging model's compiled WASM module (assembly/hedging), shared by its engines, evaluator and
// environment: the SIMD build, and the scalar build where ./scalar.ts registered it (the headless API).
import { ModuleBuilds, type WasmBuild } from '../../runtime/wasm/module.js';
import { SIMD_ENGINE_BASE64 } from './generated/engine-binaries.js';

export type { WasmBuild };

export const hedgingBuilds = new ModuleBuilds('hedging', SIMD_ENGINE_BASE64);

export function preferredBuild(): WasmBuild {
  return hedgingBuilds.preferred();
}

export function engineModule(build: WasmBuild): Promise<WebAssembly.Module> {
  return hedgingBuilds.module(build);
}
