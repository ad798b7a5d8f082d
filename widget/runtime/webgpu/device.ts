// Finding a WebGPU device: navigator.gpu in pages and workers, Dawn (the `webgpu` npm package) in Node.
// One device is shared by every engine of this thread; when it is lost, the next request gets a new one.
import { isNode, nodeBuiltin } from '../platform.js';

/** What the capability check found. */
export interface GpuCapability {
  available: boolean;
  /** Adapter description for status lines, e.g. "google swiftshader (SwiftShader driver 5.0.0)". */
  adapter?: string;
  /** A software/CPU adapter (SwiftShader, WARP...): `backend = auto` does not pick it. */
  fallback?: boolean;
  /** Why there is no WebGPU, when there is none. */
  reason?: string;
}

export interface GpuContext {
  device: GPUDevice;
  adapter: GPUAdapter;
  description: string;
  fallback: boolean;
  /** True once the device is lost (or destroyed). */
  readonly lost: boolean;
  /** Resolves with the loss message when the device is lost. */
  readonly lostPromise: Promise<string>;
}

/**
 * On Linux, Dawn needs the Vulkan loader; without one it prints native warnings on every start, so
 * Node skips it quietly and says why instead. Other platforms use Metal or D3D.
 */
function vulkanLoaderPresent(): boolean {
  const proc = (globalThis as { process?: { platform?: string; env?: Record<string, string | undefined> } }).process;
  if (proc?.platform !== 'linux') return true;
  const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
  if (!fs) return true;
  const dirs = [
    ...(proc.env?.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu',
  ];
  if (!dirs.some((d) => fs.existsSync(`${d}/libvulkan.so.1`))) return false;
  // A loader without any driver manifest makes Dawn print the same warnings.
  if (proc.env?.VK_ICD_FILENAMES || proc.env?.VK_DRIVER_FILES) return true;
  const manifests = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];
  return manifests.some((d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith('.json')));
}

let gpuPromise: Promise<GPU | null> | null = null;
let gpuProblem = '';

/** The GPU entry point: navigator.gpu, or in Node a Dawn instance from the `webgpu` package. */
export function gpuEntry(): Promise<GPU | null> {
  gpuPromise ??= (async () => {
    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav?.gpu) return nav.gpu;
    if (!isNode()) {
      gpuProblem = 'this browser has no navigator.gpu (WebGPU is not enabled here)';
      return null;
    }
    if (!vulkanLoaderPresent()) {
      gpuProblem = 'no Vulkan loader (libvulkan.so.1) with a driver for Dawn: install libvulkan1 and a Vulkan driver, or set VK_ICD_FILENAMES to a driver manifest';
      return null;
    }
    try {
      // A variable specifier keeps bundlers from pulling the native module into browser builds.
      const name = 'webgpu';
      const mod = await import(/* @vite-ignore */ name);
      const dawn = mod.create ? mod : mod.default;
      const g = globalThis as Record<string, unknown>;
      for (const [k, v] of Object.entries(dawn.globals as Record<string, unknown>)) if (!(k in g)) g[k] = v;
      return dawn.create([]) as GPU;
    } catch (e) {
      gpuProblem = `the "webgpu" npm package (Dawn for Node) could not be loaded: ${(e as Error).message.split('\n')[0]}`;
      return null;
    }
  })();
  return gpuPromise;
}

function describe(adapter: GPUAdapter): { description: string; fallback: boolean } {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const parts = [info?.vendor, info?.architecture].filter((x) => x);
  const extra = info?.description || info?.device;
  const description = (parts.join(' ') || 'unknown adapter') + (extra ? ` (${extra})` : '');
  const fallback = !!((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { description, fallback };
}

function noAdapterReason(): string {
  if (gpuProblem) return gpuProblem;
  let hint = '';
  if (isNode()) {
    hint = '; in Node, Dawn needs a Vulkan driver: with Debian\'s chromium package, set ' +
      'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (and LD_LIBRARY_PATH=/usr/lib/chromium if libvulkan1 is not installed)';
  }
  return 'no WebGPU adapter was found' + hint;
}

let shared: Promise<GpuContext> | null = null;

let devicesCreated = 0;

/** GPU devices this thread has created (one serves every engine; another only after a loss). */
export function gpuDevicesCreated(): number {
  return devicesCreated;
}

async function openContext(): Promise<GpuContext> {
  const gpu = await gpuEntry();
  if (!gpu) throw new Error(`WebGPU is not available: ${noAdapterReason()}`);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`WebGPU is not available: ${noAdapterReason()}`);
  // Ask for the adapter's own storage limits: large batches need large buffers. Everything else default.
  const want = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize'] as const;
  const requiredLimits: Record<string, number> = {};
  for (const k of want) requiredLimits[k] = adapter.limits[k];
  const device = await adapter.requestDevice({ requiredLimits });
  devicesCreated++;
  const { description, fallback } = describe(adapter);
  let lost = false;
  const lostPromise = device.lost.then((info) => {
    lost = true;
    if (shared && current === ctx) shared = null;
    return `${info.reason ?? 'unknown'}: ${info.message || 'the GPU device was lost'}`;
  });
  const ctx: GpuContext = {
    device, adapter, description, fallback,
    get lost() { return lost; },
    lostPromise,
  };
  current = ctx;
  return ctx;
}

let current: GpuContext | null = null;

/** The shared device of this thread (created on first use, replaced after a loss). */
export function sharedGpu(): Promise<GpuContext> {
  if (current?.lost) shared = null;
  if (!shared) {
    shared = openContext();
    shared.catch(() => (shared = null));
  }
  return shared;
}

/** A device of its own (tests that destroy it to simulate a loss). */
export function privateGpu(): Promise<GpuContext> {
  return openContext().then((ctx) => {
    if (current === ctx) current = null;
    return ctx;
  });
}

/**
 * The explicit capability check: is there an adapter and a device, and is the adapter a software
 * fallback? Never throws.
 */
export async function probeWebGpu(): Promise<GpuCapability> {
  try {
    const ctx = await sharedGpu();
    return { available: true, adapter: ctx.description, fallback: ctx.fallback };
  } catch (e) {
    return { available: false, reason: (e as Error).message };
  }
}
