// Loads the American-option WASM module (SIMD build where the runtime validates it, else scalar), compiled
// once per thread; each pricing run gets its own instance and memory.
import { compiledModule, simdSupported } from '../../runtime/wasm/module.js';
import { SCALAR_AMERICAN_BASE64, SIMD_AMERICAN_BASE64 } from './generated/american-binaries.js';

export type AmericanBuild = 'simd' | 'scalar';

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

/** The SIMD build where the runtime validates it, else the scalar build. */
export function preferredAmericanBuild(): AmericanBuild {
  return simdSupported(SIMD_AMERICAN_BASE64) ? 'simd' : 'scalar';
}

export async function instantiateAmerican(build: AmericanBuild = preferredAmericanBuild()): Promise<AmericanExports> {
  const m = compiledModule(`american-${build}`, build === 'simd' ? SIMD_AMERICAN_BASE64 : SCALAR_AMERICAN_BASE64);
  const instance = await WebAssembly.instantiate(await m, {
    env: { abort: () => { throw new Error('American-option module aborted'); } },
  });
  return instance.exports as unknown as AmericanExports;
}

/** The f64 results area (a fresh view: memory may have grown). */
export function results(wasm: AmericanExports): Float64Array {
  return new Float64Array(wasm.memory.buffer, wasm.resultsPointer(), 32);
}
