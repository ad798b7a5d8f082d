// The WGSL kernels against the TypeScript generator, the WASM engine and the f64 reference, on Dawn
// with SwiftShader (see tests/webgpu/gate.ts for when these fail rather than run).
import { afterAll, describe, expect, test } from 'vitest';
import { resolveConfig, type HedgerConfig } from '../widget/models/hedging/config.js';
import { initialParams, paramLayout } from '../widget/models/hedging/network.js';
import { pathNormals, philox4x32, seedKey } from '../widget/shared/philox.js';
import { unitConfig } from '../widget/models/hedging/units.js';
import { WasmEngine } from '../widget/models/hedging/wasm/wasm-engine.js';
import { runPhiloxProbe, type PhiloxProbe } from './webgpu/probe.js';
import { makePlan } from '../widget/models/hedging/webgpu/program.js';
import { DeviceLimitError } from '../widget/runtime/webgpu/resources.js';
import { WebGpuEngine } from '../widget/models/hedging/webgpu/webgpu-engine.js';
import { gradientF64, simulatePathsF64 } from './reference/hedge-f64.js';
import { GRADIENT_BASE, RISK_SETUPS, relativeL2 } from './reference/compare.js';
import { webgpuGate } from './webgpu/gate.js';

const gate = await webgpuGate();
const gpu = gate.gpu!;

const open: { dispose(): void }[] = [];
afterAll(() => open.forEach((e) => e.dispose()));
async function gpuEngine(config: Partial<HedgerConfig>, options: Parameters<typeof WebGpuEngine.create>[1] = {}) {
  const e = await WebGpuEngine.create(resolveConfig({ ...config, backend: 'webgpu' }), options);
  open.push(e);
  return e;
}
async function wasmEngine(config: Partial<HedgerConfig>, params?: Float32Array) {
  const e = await WasmEngine.create(resolveConfig({ ...config, backend: 'wasm' }), { params });
  open.push(e);
  return e;
}

/** Seeded weights with biases and the premium moved off zero so that every gradient term is exercised. */
function exercisedParams(hidden: number, seed: number): Float32Array {
  const p = initialParams(hidden, seed);
  const L = paramLayout(hidden);
  for (let j = 0; j < hidden; j++) {
    p[L.b1 + j] = 0.05 * Math.sin(j + 1);
    p[L.b2 + j] = 0.05 * Math.cos(j + 2);
  }
  p[L.b3] = 0.1;
  p[L.p0] = 0.01;
  return p;
}

describe.skipIf(!gate.gpu)('WGSL random numbers', () => {
  test('Philox4x32-10: the Random123 known answers and 4,000 counters bit for bit with widget/shared/philox.ts', async () => {
    const probes: PhiloxProbe[] = [
      { counter: [0, 0, 0, 0], key: [0, 0] },
      { counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff] },
      { counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0] },
    ];
    for (let i = 0; i < 4000; i++) {
      probes.push({ counter: [(i * 7919) >>> 0, i, i >> 2, i % 3], key: [(0x9e3779b9 * i) >>> 0, (i * 31) >>> 0] });
    }
    const words = await runPhiloxProbe(gpu, 'probeWords', probes);
    expect(Array.from(words.subarray(0, 12))).toEqual([
      0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
    ]);
    let mismatches = 0;
    probes.forEach((p, i) => {
      const want = philox4x32(...p.counter, ...p.key);
      for (let q = 0; q < 4; q++) if (words[4 * i + q] !== want[q]) mismatches++;
    });
    expect(mismatches).toBe(0);
  });

  test('normals within 1e-5 of the f64 Box-Muller of the same uniforms (docs/numerics.md)', async () => {
    const seed = 2 ** 40 + 12345;
    const key = seedKey(seed);
    const paths: [number, number, number][] = [];
    for (let p = 0; p < 5000; p++) paths.push([p * 13 + 1, p % 7, p % 3]);
    const probes: PhiloxProbe[] = [];
    for (const [path, iteration, stream] of paths) for (let b = 0; b < 4; b++) probes.push({ counter: [path, iteration, b, stream], key });
    const z = new Float32Array((await runPhiloxProbe(gpu, 'probeNormals', probes)).buffer);
    let worst = 0;
    paths.forEach(([path, iteration, stream], i) => {
      const want = pathNormals(seed, path, iteration, stream, 16);
      for (let q = 0; q < 16; q++) worst = Math.max(worst, Math.abs(z[16 * i + q] - want[q]));
    });
    expect(worst).toBeLessThan(1e-5);
    expect(worst).toBeGreaterThan(0);
  });
});

const base = GRADIENT_BASE;
const RISKS = RISK_SETUPS;
const CASES: Partial<HedgerConfig>[] = [
  ...RISKS.flatMap((r) => [0, 0.01].flatMap((cost) => (['full', 'per-depth'] as const).map((bptt) => ({ ...r, cost, bptt })))),
  // The seed's raw spot input (the cases above use the default log-moneyness).
  ...RISKS.map((r) => ({ ...r, cost: 0.01, bptt: 'full' as const, features: 'spot' as const })),
];

describe.skipIf(!gate.gpu)('one iteration against the WASM engine', () => {
  test('PnL - Z of every path agrees with the WASM engine to f32 rounding', async () => {
    const config = { ...base, cost: 0.01, batch: 999, steps: 13, drift: 0.1 };
    const params = exercisedParams(8, 7);
    const g = await gpuEngine(config, { params });
    const w = await wasmEngine(config, params);
    const y = await g.pnl(3);
    const want = (await w.gradient(3)).y;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(y[i] - want[i]));
    expect(worst).toBeLessThan(2e-6);
  });

  test.each(CASES)('gradient within 1e-4 relative L2: %o', async (c) => {
    const config = { ...base, ...c, drift: 0.05 };
    const params = exercisedParams(8, 7);
    const g = await gpuEngine(config, { params });
    const w = await wasmEngine(config, params);
    const got = await g.gradient(2);
    const want = await w.gradient(2);
    expect(got.grad.length).toBe(want.grad.length);
    expect(relativeL2(got.grad, want.grad)).toBeLessThan(1e-4);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.loss)));
  });

  test.each(['log-moneyness', 'spot'] as const)('gradient against the f64 reference (per depth, every depth) within 1e-4, %s', async (features) => {
    const config = { ...base, risk: 'cvar' as const, cvarLevel: 0.8, cost: 0.02, bptt: 'per-depth' as const, features, strike: 102 };
    const params = exercisedParams(8, 7);
    const g = await gpuEngine(config, { params });
    const got = await g.gradient(0);
    const c = unitConfig(resolveConfig(config));
    const paths = simulatePathsF64({ seed: 7, steps: 7, maturity: c.maturity, drift: 0, volatility: c.volatility, paths: 203, iteration: 0, stream: 0 });
    const depths = gradientF64(params, 8, paths, { ...c, put: false }, 'per-depth');
    const P = paramLayout(8).count;
    for (let j = 0; j < 7; j++) expect(relativeL2(got.grad.subarray(j * P, (j + 1) * P), depths[j])).toBeLessThan(1e-4);
  });

  test('a 2-D dispatch (grid capped at 6 workgroups a dimension, two idle workgroups) computes the same gradient bit for bit', async () => {
    const config = { ...base, batch: 1000, risk: 'entropic' as const };
    const params = exercisedParams(8, 7);
    const flat = await gpuEngine(config, { params });
    const tiled = await gpuEngine(config, { params, maxWorkgroupsPerDimension: 6 });
    expect(flat.plan.grid).toEqual([16, 1]);
    expect(tiled.plan.grid).toEqual([6, 3]);
    const a = await flat.gradient(1);
    const b = await tiled.gradient(1);
    expect(Array.from(b.grad)).toEqual(Array.from(a.grad));
    expect(b.loss).toBe(a.loss);
  });
});

describe('activation tape', () => {
  test('without the tape buffer (backward recomputes the hidden layers) the gradient is the same bit for bit', async () => {
    for (const bptt of ['full', 'per-depth'] as const) {
      const config = { ...base, batch: 1000, risk: 'entropic' as const, bptt };
      const params = exercisedParams(8, 7);
      const taped = await gpuEngine(config, { params });
      const recomputed = await gpuEngine(config, { params, tape: false });
      expect(taped.plan.tape).toBe(true);
      expect(recomputed.plan.tape).toBe(false);
      const a = await taped.gradient(1);
      const b = await recomputed.gradient(1);
      expect(Array.from(b.grad)).toEqual(Array.from(a.grad));
      expect(b.loss).toBe(a.loss);
    }
  });
});

describe('limits', () => {
  const defaults = {
    maxStorageBufferBindingSize: 134217728,
    maxBufferSize: 268435456,
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeWorkgroupsPerDimension: 65535,
  } as GPUSupportedLimits;

  test('a million paths (and the largest batch) fit the default WebGPU limits', () => {
    for (const risk of ['mse', 'cvar'] as const) {
      const plan = makePlan(resolveConfig({ batch: 1_000_000, risk }), defaults);
      for (const bytes of Object.values(plan.bytes)) expect(bytes).toBeLessThanOrEqual(defaults.maxStorageBufferBindingSize);
      expect(plan.workgroupBytes).toBeLessThanOrEqual(16384);
      // The tape is private: spot and hedge per step, about 0.5 KB a thread at 30 steps.
      expect(plan.privateBytes).toBeLessThan(1024);
    }
    const largest = makePlan(resolveConfig({ batch: 4_194_304 }), defaults);
    expect(largest.workgroups).toBe(65536);
    expect(largest.grid[1]).toBeGreaterThan(1);
    expect(largest.grid[0] * largest.grid[1]).toBeGreaterThanOrEqual(65536);
  });

  test('a configuration beyond the device limits gets an error naming the limit', () => {
    const config = resolveConfig({ batch: 1_000_000, bptt: 'per-depth' });
    expect(() => makePlan(config, defaults)).toThrow(DeviceLimitError);
    expect(() => makePlan(config, defaults)).toThrow(/maxStorageBufferBindingSize = 134217728/);
    expect(() => makePlan(resolveConfig({ hidden: 128 }), { ...defaults, maxComputeWorkgroupStorageSize: 1024 })).toThrow(/maxComputeWorkgroupStorageSize/);
    expect(() => makePlan(resolveConfig({ batch: 100_000 }), { ...defaults, maxComputeWorkgroupsPerDimension: 16 })).toThrow(/maxComputeWorkgroupsPerDimension/);
  });
});
