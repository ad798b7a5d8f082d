// `cher-hedger bench`: training throughput of this engine against peers, measured in one run so the
// ratios hold on a shared, noisy machine. One path-step = one path advanced one step through forward,
// backward and its share of the update.
import type { HedgerConfig } from '../widget/models/hedging/config.js';
import '../widget/models/hedging/scalar.js';
import { resolveConfig } from '../widget/models/hedging/config.js';
import { nodeBuiltin, now } from '../widget/runtime/platform.js';
import { resolveWorkers } from '../widget/runtime/wasm/shard.js';
import { WasmEngine, type WasmBuild } from '../widget/models/hedging/wasm/wasm-engine.js';
import { benchWebGpu, webGpuBenchText, type WebGpuBench } from './webgpu.js';
import type { CommandOption } from '../widget/cli/args.js';
import { formatRate, table } from '../widget/cli/format.js';

export const BENCH_OPTIONS: Record<string, CommandOption> = {
  seconds: { kind: 'seconds', doc: 'measuring time per contender (default 5)' },
  json: { kind: 'flag', doc: 'print one JSON line with the results' },
  help: { kind: 'flag', doc: 'show this help' },
};

export interface BenchRow {
  name: string;
  threads: number;
  pathStepsPerSecond: number;
  iterations: number;
  seconds: number;
  /** This row's throughput over the engine's (first row). */
  ratio?: number;
  note?: string;
}

export interface BenchResult {
  machine: { cpu: string; cores: number; platform: string; node: string };
  workload: { batch: number; steps: number; hidden: number; risk: string; cost: number };
  rows: BenchRow[];
  /** The step-by-step environment against a plain TypeScript loop (ratio: environment over peer). */
  environment?: BenchRow[];
  skipped: { name: string; reason: string }[];
  /** With --backend webgpu: the WebGPU engine, TensorFlow.js webgpu on the same adapter, the kernel's cost. */
  webgpu?: WebGpuBench;
}

async function measureEngine(config: HedgerConfig, build: WasmBuild, seconds: number): Promise<BenchRow> {
  const engine = await WasmEngine.create(config, { build });
  try {
    await engine.train(3);
    const t0 = now();
    let iterations = 0;
    while (now() - t0 < seconds * 1000) {
      await engine.train(1);
      iterations++;
    }
    const s = (now() - t0) / 1000;
    return {
      name: `cher-hedger wasm ${build}`,
      threads: engine.workers,
      pathStepsPerSecond: (config.batch * config.steps * iterations) / s,
      iterations,
      seconds: s,
    };
  } finally {
    engine.dispose();
  }
}

/** PyTorch on the CPU through Debian's python3-torch, when this checkout has the peer script and Python has torch. */
async function measurePytorch(base: HedgerConfig, seconds: number, threads: number): Promise<BenchRow> {
  const fs = nodeBuiltin<typeof import('node:fs')>('node:fs')!;
  const cp = nodeBuiltin<typeof import('node:child_process')>('node:child_process')!;
  const script = new URL('../../bench/peers/pytorch_peer.py', import.meta.url);
  if (!fs.existsSync(script)) throw new Error('bench/peers/pytorch_peer.py is not in this installation');
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const args = [
    script.pathname, '--batch', String(base.batch), '--steps', String(base.steps), '--hidden', String(base.hidden),
    '--seconds', String(seconds), '--threads', String(threads), '--cost', String(base.cost), '--features', base.features,
    '--omp-wait-policy', 'passive',
  ];
  const stdout = await new Promise<string>((resolve, reject) =>
    cp.execFile(python, args, { timeout: (seconds + 120) * 1000 }, (e, out, err) =>
      e ? reject(new Error(String(err).trim().split('\n').at(-1) || e.message)) : resolve(out),
    ),
  );
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
  return {
    name: `PyTorch ${r.version ?? ''} CPU`.replace('  ', ' '), threads: r.threads, pathStepsPerSecond: r.pathStepsPerSecond,
    iterations: r.iterations, seconds: r.seconds,
  };
}

/** The environment, batched in WASM: whole episodes of delta-hedging actions; one path-step is one path's transition. */
async function measureEnv(base: HedgerConfig, seconds: number): Promise<BenchRow> {
  const { HedgingEnv, OBSERVATION_SIZE } = await import('../widget/models/hedging/env/hedging-env.js');
  const env = await HedgingEnv.create({ config: base, paths: base.batch });
  try {
    const actions = new Float32Array(base.batch);
    const t0 = now();
    let episodes = 0;
    while (now() - t0 < seconds * 1000) {
      let obs = env.reset();
      while (!env.done) {
        for (let p = 0; p < actions.length; p++) actions[p] = obs[p * OBSERVATION_SIZE + 4] - obs[p * OBSERVATION_SIZE + 2];
        obs = env.step(actions).observation;
      }
      episodes++;
    }
    const s = (now() - t0) / 1000;
    return { name: 'HedgingEnv (WASM, batched)', threads: 1, pathStepsPerSecond: (base.batch * base.steps * episodes) / s, iterations: episodes, seconds: s };
  } finally {
    env.dispose();
  }
}

export async function runBench(
  base: HedgerConfig, options: Record<string, number | boolean | undefined>,
  log: (line: string) => void,
): Promise<BenchResult> {
  const seconds = (options.seconds as number | undefined) ?? 5;
  const threads = resolveWorkers(base);
  const os = nodeBuiltin<typeof import('node:os')>('node:os');
  const result: BenchResult = {
    machine: {
      cpu: os?.cpus()[0]?.model ?? 'unknown',
      cores: os?.availableParallelism?.() ?? 0,
      platform: `${os?.platform() ?? '?'} ${os?.arch() ?? '?'}`,
      node: (globalThis as any).process?.version ?? '?',
    },
    workload: { batch: base.batch, steps: base.steps, hidden: base.hidden, risk: base.risk, cost: base.cost },
    rows: [],
    skipped: [],
  };
  const contenders: [string, () => Promise<BenchRow>][] = [
    ['simd', () => measureEngine(base, 'simd', seconds)],
    ['simd, one thread', () => measureEngine(resolveConfig({ ...base, workers: 1 }), 'simd', seconds)],
    ['scalar', () => measureEngine(base, 'scalar', seconds)],
    ['tfjs', async () => {
      const { tfjsThroughput } = await import('./peers/tfjs.js');
      const r = await tfjsThroughput({ backend: 'wasm', batch: base.batch, steps: base.steps, hidden: base.hidden, seconds, cost: base.cost, features: base.features, threads });
      return { name: `TensorFlow.js ${r.backend}`, threads: r.threads ?? 1, pathStepsPerSecond: r.pathStepsPerSecond, iterations: r.iterations, seconds: r.seconds, note: r.variant };
    }],
    ['pytorch', () => measurePytorch(base, seconds, threads)],
  ];
  for (const [label, run] of contenders) {
    log(`measuring ${label} for ${seconds} s ...`);
    try {
      result.rows.push(await run());
    } catch (e) {
      result.skipped.push({ name: label, reason: (e as Error).message.split('\n')[0] });
    }
  }
  const engineRate = result.rows[0]?.pathStepsPerSecond ?? NaN;
  for (const row of result.rows) row.ratio = engineRate / row.pathStepsPerSecond;
  try {
    log(`measuring the environment for ${seconds} s each ...`);
    const wasm = await measureEnv(base, seconds);
    const { jsEnvThroughput } = await import('./peers/env-js.js');
    const js = jsEnvThroughput(base.batch, base.steps, seconds, base.maturity, base.volatility, base.cost);
    const peer: BenchRow = { name: 'plain TypeScript loop (f64)', threads: 1, pathStepsPerSecond: js.pathStepsPerSecond, iterations: js.episodes, seconds: js.seconds };
    wasm.ratio = 1;
    peer.ratio = wasm.pathStepsPerSecond / peer.pathStepsPerSecond;
    result.environment = [wasm, peer];
  } catch (e) {
    result.skipped.push({ name: 'environment', reason: (e as Error).message.split('\n')[0] });
  }
  if (base.backend === 'webgpu') {
    try {
      result.webgpu = await benchWebGpu(base, seconds, log);
    } catch (e) {
      result.skipped.push({ name: 'webgpu', reason: (e as Error).message.split('\n')[0] });
    }
  }
  return result;
}

export function benchTable(r: BenchResult): string {
  return (
    `${r.machine.cpu}, ${r.machine.cores} threads, ${r.machine.platform}, Node ${r.machine.node}\n` +
    `workload: batch ${r.workload.batch}, ${r.workload.steps} steps, hidden ${r.workload.hidden}, ${r.workload.risk}, cost ${r.workload.cost}\n\n` +
    table(
      ['contender', 'threads', 'path-steps/s', 'engine is x faster'],
      r.rows.map((row) => [row.name, String(row.threads), formatRate(row.pathStepsPerSecond), (row.ratio ?? NaN).toFixed(2)]),
    ) +
    (r.environment
      ? '\n\nenvironment steps (reset + N steps of delta-hedging actions, batch ' + r.workload.batch + '):\n\n' +
        table(
          ['contender', 'threads', 'path-steps/s', 'environment is x faster'],
          r.environment.map((row) => [row.name, String(row.threads), formatRate(row.pathStepsPerSecond), (row.ratio ?? NaN).toFixed(2)]),
        )
      : '') +
    (r.skipped.length ? '\n\nskipped: ' + r.skipped.map((s) => `${s.name} (${s.reason})`).join('; ') : '') +
    '\n' +
    (r.webgpu ? '\n' + webGpuBenchText(r.webgpu) : '')
  );
}
