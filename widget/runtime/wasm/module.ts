// Compiled WASM modules: each model ships its binaries as base64 inside the bundle (no extra request);
// each is decoded and compiled once per thread and shared by every engine of that thread.

export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The module for `name`, compiled from `base64` on first use in this thread. */
export function compiledModule(name: string, base64: string): Promise<WebAssembly.Module> {
  let m = compiled.get(name);
  if (!m) {
    m = WebAssembly.compile(decodeBase64(base64));
    compiled.set(name, m);
  }
  return m;
}

let simd: boolean | undefined;

/** Whether this runtime validates WASM SIMD (decided once per thread from a binary that uses it). */
export function simdSupported(simdBinaryBase64: string): boolean {
  simd ??= WebAssembly.validate(decodeBase64(simdBinaryBase64));
  return simd;
}

export type WasmBuild = 'simd' | 'scalar';

/**
 * A model's module in its two builds. The SIMD build ships everywhere; the scalar build is registered by the
 * headless API's entry only, so the page bundle stays within its size budget: in a page, the engines need
 * WebAssembly SIMD (every browser with WebGPU has it, and Safari since 16.4).
 */
export class ModuleBuilds {
  private scalarBase64: string | null = null;

  constructor(private readonly name: string, private readonly simdBase64: string) {}

  registerScalar(base64: string): void {
    this.scalarBase64 = base64;
  }

  /** The SIMD build where the runtime validates it, else the scalar build. */
  preferred(): WasmBuild {
    return simdSupported(this.simdBase64) ? 'simd' : 'scalar';
  }

  /** The compiled module of a build (once per thread). */
  module(build: WasmBuild = this.preferred()): Promise<WebAssembly.Module> {
    if (build === 'scalar' && !this.scalarBase64) {
      return Promise.reject(new Error(
        `the ${this.name} engine needs WebAssembly SIMD here (this runtime lacks it, and the page bundle leaves out the scalar build)`,
      ));
    }
    return compiledModule(`${this.name}-${build}`, build === 'simd' ? this.simdBase64 : this.scalarBase64!);
  }
}
