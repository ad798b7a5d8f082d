// Loads the American-option WASM module, compiled once per thread; each pricing run gets its own instance
// and memory. The SIMD build ships everywhere; the scalar build only with the headless API (its entry
// imports ./scalar.ts), so the element bundle stays within its size budget: in a page, American options
// need WebAssembly SIMD (every browser with WebGPU has it, and Safari since 16.4).
import { compiledModule, simdSupported } from '../../runtime/wasm/module.js';
import { SIMD_AMERICAN_BASE64 } from './generated/american-binaries.js';

let scalarBase64: string | null = null;

/** Makes the scalar build available (widget/models/american/scalar.ts does, for the headless API). */
export function registerScalarBuild(base64: string): void {
  scalarBase64 = base64;
}

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

/** The compiled module of a build (once per thread). */
export function americanModule(build: AmericanBuild = preferredAmericanBuild()): Promise<WebAssembly.Module> {
  if (build === 'scalar' && !scalarBase64) {
    return Promise.reject(new Error('American options need WebAssembly SIMD here (this runtime lacks it, and the page bundle leaves out the scalar build)'));
  }
  return compiledModule(`american-${build}`, build === 'simd' ? SIMD_AMERICAN_BASE64 : scalarBase64!);
}

export async function instantiateAmerican(build: AmericanBuild = preferredAmericanBuild()): Promise<AmericanExports> {
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
