// The hedging model's compiled WASM module (assembly/hedging): the SIMD build where the runtime validates
// it, else the scalar build; compiled once per thread and shared by its engines, evaluator and environment.
import { compiledModule, simdSupported } from '../../runtime/wasm/module.js';
import { SCALAR_ENGINE_BASE64, SIMD_ENGINE_BASE64 } from './generated/engine-binaries.js';

export type WasmBuild = 'simd' | 'scalar';

export function preferredBuild(): WasmBuild {
  return simdSupported(SIMD_ENGINE_BASE64) ? 'simd' : 'scalar';
}

export function engineModule(build: WasmBuild): Promise<WebAssembly.Module> {
  return compiledModule(`hedging-${build}`, build === 'simd' ? SIMD_ENGINE_BASE64 : SCALAR_ENGINE_BASE64);
}
