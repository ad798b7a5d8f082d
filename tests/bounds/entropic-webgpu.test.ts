// The entropic solver's WGSL sweeps (f32 on WebGPU) against the exact LP's values and against the f64 WASM
// sweeps on the same problems, the backend choice, and the fallback where there is no adapter. Behind the
// WebGPU tests' capability gate (Dawn + SwiftShader in Node, tests/webgpu/gate.ts).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { solveEntropic, type EntropicProgress } from '../../widget/models/bounds/entropic.js';
import { prepareBounds, priceBounds, type BoundsInput } from '../../widget/models/bounds/index.js';
import { buildProblem, replicationCheck } from '../../widget/models/bounds/problem.js';
import { privateGpu } from '../../widget/runtime/webgpu/device.js';
import { webgpuGate } from '../webgpu/gate.js';
import { expectValidBounds } from './replication.js';

const gate = await webgpuGate();

const FORWARD_START = { spot: 100, volatility: 0.2, dates: [0.5, 1], treeSteps: 100, payoff: 'forward-start' } as const;
/** The exact LP (HiGHS, docs/numerics.md) on FORWARD_START. */
const FORWARD_START_LP = [2.551609, 6.987558];
const ASIAN = { spot: 100, volatility: 0.2, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, payoff: 'asian', strike: 100 } as const;
const ASIAN_LP = [5.003964, 6.305539];
/** E[(X2 - X1)^2] is fixed by the marginals: sum of the variances' difference, from the tree. */
const VARIANCE = 206.05897;

async function timed(input: BoundsInput, backend: 'wasm' | 'webgpu') {
  const r = await priceBounds({ ...input, backend }, { solver: 'entropic' });
  console.log(`${input.payoff} ${backend}: [${r.lower.toFixed(6)}, ${r.upper.toFixed(6)}] gap ${r.gap.toExponential(2)} in ${r.seconds.toFixed(2)} s`);
  return r;
}

describe.skipIf(!gate.gpu)('the entropic solver on WebGPU', () => {
  test('forward-start (the contract reference): within 5e-3 of the LP, valid on every path, never inside the LP interval', async () => {
    const r = await timed(FORWARD_START, 'webgpu');
    const wasm = await timed(FORWARD_START, 'wasm');
    expect(r.backend).toBe('webgpu');
    expect(wasm.backend).toBe('wasm');
    expect(Math.abs(r.lower - wasm.lower)).toBeLessThan(PARITY_BOUND);
    expect(Math.abs(r.upper - wasm.upper)).toBeLessThan(PARITY_BOUND);
    expect(Math.abs(r.lower - FORWARD_START_LP[0])).toBeLessThan(5e-3);
    expect(Math.abs(r.upper - FORWARD_START_LP[1])).toBeLessThan(5e-3);
    expect(r.lower).toBeLessThanOrEqual(FORWARD_START_LP[0] + 1e-6);
    expect(r.upper).toBeGreaterThanOrEqual(FORWARD_START_LP[1] - 1e-6);
    expect(r.modelInside).toBe(true);
    expectValidBounds(FORWARD_START, r);
    expect(r.couplings!.lower.flat().every(Number.isFinite)).toBe(true);
  });

  test('(X2 - X1)^2 is 206.059 on both sides: valid bounds around it within 5e-5 relative, as the WASM sweeps give', async () => {
    const input = { ...FORWARD_START, payoff: 'variance' } as const;
    const r = await timed(input, 'webgpu');
    const wasm = await timed(input, 'wasm');
    expect(r.lower).toBeLessThanOrEqual(VARIANCE);
    expect(r.upper).toBeGreaterThanOrEqual(VARIANCE);
    expect(VARIANCE - r.lower).toBeLessThan(5e-5 * VARIANCE);
    expect(r.upper - VARIANCE).toBeLessThan(5e-5 * VARIANCE);
    expect(Math.abs(r.lower - wasm.lower)).toBeLessThan(PARITY_BOUND);
    expect(Math.abs(r.upper - wasm.upper)).toBeLessThan(PARITY_BOUND);
    expectValidBounds(input, r);
  });

  test('3-date Asian call: within 1e-3 of the LP, valid, and against the WASM sweeps', async () => {
    const gpu = await timed(ASIAN, 'webgpu');
    const wasm = await timed(ASIAN, 'wasm');
    expect(gpu.backend).toBe('webgpu');
    expect(Math.abs(gpu.lower - ASIAN_LP[0])).toBeLessThan(1e-3);
    expect(Math.abs(gpu.upper - ASIAN_LP[1])).toBeLessThan(1e-3);
    expect(gpu.lower).toBeLessThanOrEqual(ASIAN_LP[0] + 1e-6);
    expect(gpu.upper).toBeGreaterThanOrEqual(ASIAN_LP[1] - 1e-6);
    expect(Math.abs(gpu.lower - wasm.lower)).toBeLessThan(PARITY_BOUND);
    expect(Math.abs(gpu.upper - wasm.upper)).toBeLessThan(PARITY_BOUND);
    expectValidBounds(ASIAN, gpu);
  }, 400_000);

  test('parity with the f64 WASM sweeps: the same stages, violation curves and stage bounds', async () => {
    const { marginals, f, config } = prepareBounds(FORWARD_START);
    const p = buildProblem(marginals, f);
    for (const side of [-1, 1] as const) {
      const curves: Record<string, EntropicProgress[]> = { wasm: [], webgpu: [] };
      for (const backend of ['wasm', 'webgpu'] as const) {
        const r = await solveEntropic(p, side, config.epsilon, (e) => void curves[backend].push(e), backend);
        expect(r.backend).toBe(backend);
      }
      const ends = (c: EntropicProgress[]) => c.filter((e) => e.bound !== undefined);
      const [a, b] = [ends(curves.wasm), ends(curves.webgpu)];
      expect(b.map((e) => e.epsilon)).toEqual(a.map((e) => e.epsilon));
      let worstBound = 0;
      let worstSweeps = 0;
      a.forEach((e, k) => {
        worstBound = Math.max(worstBound, Math.abs(b[k].bound! - e.bound!));
        worstSweeps = Math.max(worstSweeps, Math.abs(b[k].sweep - e.sweep) / e.sweep);
      });
      // Violations sweep by sweep while both run in the same stage, relative.
      let worstViolation = 0;
      const n = Math.min(curves.wasm.length, curves.webgpu.length);
      const relative = (x: number, y: number) => Math.abs(x - y) / Math.abs(x);
      for (let k = 0; k < n; k++) {
        const [u, v] = [curves.wasm[k], curves.webgpu[k]];
        if (u.epsilon !== v.epsilon) continue;
        worstViolation = Math.max(worstViolation, relative(u.marginalError, v.marginalError), relative(u.martingaleError, v.martingaleError));
      }
      console.log(`side ${side}: ${a.length} stages, sweeps wasm ${curves.wasm.length} webgpu ${curves.webgpu.length}; ` +
        `stage bounds differ by at most ${worstBound.toExponential(2)}, stage lengths by ${(100 * worstSweeps).toFixed(0)}%, violations by ${worstViolation.toExponential(2)}`);
      expect(worstBound).toBeLessThan(PARITY_BOUND);
      expect(worstViolation).toBeLessThan(PARITY_VIOLATION);
    }
  });

  test('a lost device: the stage runs again on WASM from the last stage\'s f64 potentials, to the same bound', async () => {
    const { marginals, f, config } = prepareBounds(FORWARD_START);
    const p = buildProblem(marginals, f);
    const gpu = await privateGpu();
    const stages: number[] = [];
    const r = await solveEntropic(p, 1, config.epsilon, (e) => {
      stages.push(e.stage);
      // Lost in the middle of stage 2, after a few sweeps of it.
      if (e.stage === 2 && stages.filter((s) => s === 2).length === 3) gpu.device.destroy();
    }, 'webgpu', gpu);
    const wasm = await solveEntropic(p, 1, config.epsilon, undefined, 'wasm');
    expect(gpu.lost).toBe(true);
    expect(r.backend).toBe('wasm');
    expect(Math.abs(r.value - wasm.value)).toBeLessThan(PARITY_BOUND);
    expect(replicationCheck(p, r.strategy, 1).worst).toBeLessThanOrEqual(1e-9);
  });
});

/**
 * Bounds of the same stage on f32 and f64 sweeps. The bound is the cost of the rounded potentials, and
 * the f32 sweeps move the potentials by eps d with d carried to f32's 6e-8 relative; the rounding is f64.
 * Measured on the forward-start: 3e-7 (lower) and 2.5e-6 (upper); 1e-5 leaves room for other adapters'
 * exp and log.
 */
const PARITY_BOUND = 1e-5;
/**
 * Violations sweep by sweep, relative. W = residual / eps is rebuilt in f64 and rounded to f32 at each
 * stage's start: at the last stage |W| reaches ~1e4 (eps = 2e-5 of the payoff's scale), where an f32 ulp
 * is 1e-3, so masses (exp W) carry ~1e-3 relative error, and violations near the tolerance are
 * differences of such masses. Measured: 1.4e-4 (lower) and 4e-5 (upper).
 */
const PARITY_VIOLATION = 5e-3;

const bin = fileURLToPath(new URL('../../bin/cher-hedger.js', import.meta.url));
/** The CLI with no Vulkan driver, so Dawn finds no adapter. */
const runWithoutGpu = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(
    process.execPath, [bin, 'bounds', '--solver', 'entropic', '--tree-steps', '30', '--json', ...args],
    { timeout: 120_000, env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' } },
    (e, stdout, stderr) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }),
  );
});

describe('the backend choice without an adapter', () => {
  test('auto runs the WASM sweeps and says so; webgpu is an error naming backend', async () => {
    const auto = await runWithoutGpu(['--backend', 'auto']);
    expect(auto.code).toBe(0);
    const out = JSON.parse(auto.stdout);
    expect(out.backend).toBe('wasm');
    expect(out.config.backend).toBe('auto');
    const forced = await runWithoutGpu(['--backend', 'webgpu']);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/backend = "webgpu" cannot run here: .*no WebGPU adapter.*Use backend = "auto" or "wasm"/);
    const bad = await runWithoutGpu(['--backend', 'cuda']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/backend = "cuda".*auto.*webgpu.*wasm/);
  });
});
