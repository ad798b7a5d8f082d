// The WebGPU rows of `cher-hedger bench --backend webgpu`: this engine's throughput and command stream,
// TensorFlow.js's webgpu backend on the same adapter training the same model, and what the kernel's
// arithmetic projects for a laptop GPU.
import type { HedgerConfig } from '../widget/models/hedging/config.js';
import { now } from '../widget/runtime/platform.js';
import { sharedGpu } from '../widget/runtime/webgpu/device.js';
import { bytesPerPathStep, flopsPerPathStep } from '../widget/models/hedging/webgpu/program.js';
import { WebGpuEngine } from '../widget/models/hedging/webgpu/webgpu-engine.js';

export interface WebGpuBench {
  adapter: string;
  softwareAdapter: boolean;
  engine: {
    pathStepsPerSecond: number;
    iterations: number;
    seconds: number;
    dispatchesPerIteration: number;
    submissionsPerIteration: number;
    iterationsPerSubmission: number;
  };
  tfjs?: { pathStepsPerSecond: number; iterations: number; seconds: number };
  tfjsSkipped?: string;
  /** Engine over TensorFlow.js webgpu, same adapter, same workload. */
  ratio?: number;
  flopsPerPathStep: number;
  flopsDetail: string;
  /** Device-memory traffic per path-step (storage buffers; the tape stays in private memory). */
  bytesPerPathStep: number;
  /** Compute-bound path-steps/s at 5 and 10 TFLOP/s, at full and at 25% of peak. */
  projection: { tflops: number; atPeak: number; atQuarter: number }[];
}

export async function benchWebGpu(config: HedgerConfig, seconds: number, log: (line: string) => void): Promise<WebGpuBench> {
  const gpu = await sharedGpu();
  log(`measuring the WebGPU engine on ${gpu.description} for ${seconds} s ...`);
  const engine = await WebGpuEngine.create(config);
  let measured: WebGpuBench['engine'];
  try {
    await engine.train(4);
    const start = { ...engine.counters };
    const t0 = now();
    let iterations = 0;
    while (now() - t0 < seconds * 1000) {
      await engine.train(16);
      iterations += 16;
    }
    const s = (now() - t0) / 1000;
    const dispatches = engine.counters.dispatches - start.dispatches;
    const submissions = engine.counters.submissions - start.submissions;
    measured = {
      pathStepsPerSecond: (config.batch * config.steps * iterations) / s,
      iterations,
      seconds: s,
      dispatchesPerIteration: dispatches / iterations,
      submissionsPerIteration: submissions / iterations,
      iterationsPerSubmission: engine.plan.iterationsPerSubmit,
    };
  } finally {
    engine.dispose();
  }
  const { flops, detail } = flopsPerPathStep(config, engine.plan);
  const result: WebGpuBench = {
    adapter: gpu.description,
    softwareAdapter: gpu.fallback,
    engine: measured,
    flopsPerPathStep: flops,
    flopsDetail: detail,
    bytesPerPathStep: bytesPerPathStep(config, engine.plan),
    projection: [5, 10].map((tflops) => ({
      tflops,
      atPeak: (tflops * 1e12) / flops,
      atQuarter: (0.25 * tflops * 1e12) / flops,
    })),
  };
  log(`measuring TensorFlow.js webgpu on the same adapter (at least one iteration after one warm-up) ...`);
  try {
    const { tfjsThroughput } = await import('./peers/tfjs.js');
    const r = await tfjsThroughput({
      backend: 'webgpu', batch: config.batch, steps: config.steps, hidden: config.hidden, seconds, cost: config.cost, warmup: 1,
    });
    result.tfjs = { pathStepsPerSecond: r.pathStepsPerSecond, iterations: r.iterations, seconds: r.seconds };
    result.ratio = measured.pathStepsPerSecond / r.pathStepsPerSecond;
  } catch (e) {
    result.tfjsSkipped = (e as Error).message.split('\n')[0];
  }
  return result;
}

function rate(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(0);
}

export function webGpuBenchText(b: WebGpuBench): string {
  const e = b.engine;
  const lines = [
    `WebGPU on ${b.adapter}${b.softwareAdapter ? ' (a software adapter: measures correctness and dispatch efficiency, not GPU speed)' : ''}`,
    `  cher-hedger webgpu      ${rate(e.pathStepsPerSecond)} path-steps/s  (${e.iterations} iterations in ${e.seconds.toFixed(1)} s)`,
    `    ${e.dispatchesPerIteration.toFixed(2)} dispatches and ${e.submissionsPerIteration.toFixed(3)} queue submissions per iteration (${e.iterationsPerSubmission} iterations a submission)`,
    b.tfjs
      ? `  TensorFlow.js webgpu    ${rate(b.tfjs.pathStepsPerSecond)} path-steps/s  (${b.tfjs.iterations} iterations in ${b.tfjs.seconds.toFixed(1)} s); cher-hedger is ${b.ratio!.toFixed(1)}x faster`
      : `  TensorFlow.js webgpu    skipped: ${b.tfjsSkipped}`,
    `  kernel: ${b.flopsPerPathStep} FLOPs per path-step (${b.flopsDetail}); ${b.bytesPerPathStep.toFixed(1)} bytes of device memory per path-step`,
    ...b.projection.map((p) => `  projection at ${p.tflops} TFLOP/s (compute-bound): ${rate(p.atPeak)} path-steps/s at peak, ${rate(p.atQuarter)} at 25% of peak`),
  ];
  return lines.join('\n') + '\n';
}
