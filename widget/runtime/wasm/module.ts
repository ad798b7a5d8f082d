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
