// Loads the American-option WASM module, compiled once per thread; each pricing run gets its own instance
// and memory. The scalar build is registered by ./scalar.ts (the headless API); see ModuleBuilds.
import { ModuleBuilds, type WasmBuild } from '../../runtime/wasm/module.js';
import { SIMD_AMERICAN_BASE64 } from './generated/american-binaries.js';

export const americanBuilds = new ModuleBuilds('American-option', SIMD_AMERICAN_BASE64);

export type { WasmBuild as AmericanBuild };

export interface AmericanExports {
  memory: WebAssembly.Memory;
  lanes(): number;
  resultsPointer(): number;
  latticeInit(n: number, s0: number, k: number, r: number, q: number, sigma: number, t: number, put: number, dates: number, european: number): number;
  latticeLevels(from: number, count: number): number;
  latticeBoundaryPointer(): number;
  lsmConfigure(paths: number, dates: number, lo: number, hi: number, s0: number, k: number, r: number, q: number, sigma: number, t: number, put: number, laguerre: number): number;
  lsmSimulate(first: number, count: number): void;
  lsmFitStart(): void;
  lsmFitDate(m: number): void;
  lsmFitEnd(): number;
  lsmResetSums(): void;
  lsmPrice(first: number, count: number, total: number): void;
  lsmCoefficientPointer(): number;
  lsmValidPointer(): number;
  lsmDual(first: number, count: number, total: number, inner: number, american: number): void;
}

export function preferredAmericanBuild(): WasmBuild {
  return americanBuilds.preferred();
}

export function americanModule(build?: WasmBuild): Promise<WebAssembly.Module> {
  return americanBuilds.module(build);
}

export async function instantiateAmerican(build: WasmBuild = preferredAmericanBuild()): Promise<AmericanExports> {
  const m = americanModule(build);
  const instance = await WebAssembly.instantiate(await m, {
    env: { abort: () => { throw new Error('American-option module aborted'); } },
  });
  return instance.exports as unknown as AmericanExports;
}

/** The f64 results area (a fresh view: memory may have grown). */
export function results(wasm: AmericanExports): Float64Array {
  return new Float64Array(wasm.memory.buffer, wasm.resultsPointer(), 32);
}
