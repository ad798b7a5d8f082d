/**
 * TensorFlow.js peer for `cher-hedger bench`.
 *
 * Trains exactly the engine's workload with stock tfjs ops + autodiff so the
 * bench can report our throughput as a ratio against it, measured in the same
 * process/run:
 *
 *   - B paths x N steps of driftless GBM, S0 = 1, T = 30/365, sigma = 0.2,
 *     fresh normals every iteration (tf.randomNormal inside the step);
 *   - one MLP shared across steps: (tau_k = 1 - k/N, x_k, delta_{k-1}) ->
 *     Dense(3,H) ReLU -> Dense(H,H) ReLU -> Dense(H,1) tanh = delta_k,
 *     delta_{-1} = 0; the spot input x_k is the engine's: the log-moneyness
 *     log(S_k/K) / (sigma sqrt T) (K = 1 here), or S_k with features 'spot';
 *   - PnL = sum_k delta_k (S_{k+1} - S_k) - kappa sum_k |delta_k - delta_{k-1}| S_k
 *           - kappa |delta_{N-1}| S_N   (cost term always computed, kappa may be 0);
 *   - Z = max(S_N - 1, 0), trainable premium p0, loss = mean((p0 + PnL - Z)^2);
 *   - gradient by autodiff through the unrolled recurrence, Adam(lr 0.005).
 *
 * Throughput = B * N * iterations / seconds, timed after a short warm-up.
 *
 * Backends:
 *   - 'wasm': @tensorflow/tfjs-backend-wasm (devDependency). In Node the
 *     backend never selects the multithreaded binary (its
 *     WASM_HAS_MULTITHREAD_SUPPORT flag is hard-wired to false under Node,
 *     tfjs issue #3830), so this runs the single-threaded SIMD binary
 *     `tfjs-backend-wasm-simd.wasm`; `threads` is passed to setThreadsCount()
 *     but has no effect there. The variant that actually ran is reported.
 *   - 'webgpu': needs `@tensorflow/tfjs-backend-webgpu` (not installed) and,
 *     in Node, a `navigator.gpu` (taken from the `webgpu` npm package / Dawn
 *     if present).
 */
// '@tensorflow/tfjs' (not tfjs-core): the Node (CJS) build of tfjs-core ships
// without gradient registrations; the tfjs umbrella bundle registers them.
import * as tf from '@tensorflow/tfjs';

export interface TfjsPeerOptions {
  backend: 'wasm' | 'webgpu';
  batch: number;
  steps: number;
  hidden: number;
  /** Wall-clock budget for the timed part (after warm-up), in seconds. */
  seconds: number;
  /** Proportional transaction cost kappa (default 0). */
  cost?: number;
  /** The network's spot input, as the engine's `features` key (default log-moneyness). */
  features?: 'log-moneyness' | 'spot';
  /** wasm only: XNNPACK thread count request (ignored by the non-threaded binary). */
  threads?: number;
  /** Warm-up iterations before timing (default 3). */
  warmup?: number;
  /** Hard cap on timed iterations (default: unlimited, budget-bound). */
  maxIterations?: number;
  /** Adam learning rate (default 0.005). */
  learningRate?: number;
  /** Seed for the weight initialisation (default 1). */
  seed?: number;
  /** Called after every iteration (warm-up included) with the loss and p0. */
  onIteration?: (info: { iteration: number; loss: number; p0: number; numTensors: number }) => void;
}

export interface TfjsPeerResult {
  peer: string;
  backend: string;
  pathStepsPerSecond: number;
  iterations: number;
  seconds: number;
  finalLoss: number;
  /** Which binary/device ran, e.g. 'wasm-simd', 'wasm-threaded-simd', 'wasm', 'webgpu'. */
  variant?: string;
  /** Thread count reported by the backend (wasm), if known. */
  threads?: number;
  /** Learned premium p0 at the end of the run. */
  p0?: number;
  /** tf.memory().numTensors after warm-up and at the end (must be equal: no leak). */
  numTensorsAfterWarmup?: number;
  numTensorsAtEnd?: number;
  version?: string;
}

const MATURITY = 30 / 365;
const SIGMA = 0.2;

let wasmPathsSet = false;

async function importOptional(name: string): Promise<any> {
  // Variable specifier: keeps TypeScript and bundlers from resolving packages
  // that are intentionally not installed.
  return import(/* @vite-ignore */ name);
}

async function wasmDistDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const require = createRequire(import.meta.url);
  // `main` of the package is dist/tf-backend-wasm.node.js; the .wasm binaries
  // sit next to it. Emscripten's Node loader accepts file:// URLs (it turns
  // them into URL objects for fs.readFileSync) as well as plain paths.
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return pathToFileURL(path.dirname(main) + path.sep).href;
}

async function initBackend(
  backend: 'wasm' | 'webgpu',
  threads: number | undefined,
): Promise<{ variant: string; threads?: number }> {
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const isNode = typeof process !== 'undefined' && !!process.versions?.node;
    if (!wasmPathsSet) {
      if (isNode) wasm.setWasmPaths(await wasmDistDir());
      if (threads != null && threads > 0) wasm.setThreadsCount(threads);
      wasmPathsSet = true;
    }
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tfjs-peer: failed to initialise the wasm backend');
    await tf.ready();
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const mt = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
    const variant = simd && mt ? 'wasm-threaded-simd' : simd ? 'wasm-simd' : 'wasm';
    let actualThreads: number | undefined;
    try {
      actualThreads = wasm.getThreadsCount();
    } catch {
      actualThreads = undefined;
    }
    return { variant, threads: actualThreads };
  }

  // --- webgpu ------------------------------------------------------------
  // The webgpu backend registers itself at import time only if navigator.gpu
  // already exists, so: (1) check the package is there, (2) provide
  // navigator.gpu (Node: Dawn via the `webgpu` npm package), (3) import it.
  const g = globalThis as any;
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  const missing: string[] = [];
  if (isNode) {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const has = (name: string) => {
      try {
        require.resolve(name);
        return true;
      } catch {
        return false;
      }
    };
    if (!has('@tensorflow/tfjs-backend-webgpu')) missing.push('@tensorflow/tfjs-backend-webgpu@4.22');
    if (!g.navigator?.gpu && !has('webgpu')) missing.push('webgpu (Dawn bindings providing navigator.gpu in Node)');
  }
  if (missing.length > 0) {
    throw new Error(
      `tfjs-peer: backend 'webgpu' needs the npm package(s) ${missing.join(' and ')}, which are not installed`,
    );
  }
  if (!g.navigator?.gpu) {
    if (!isNode) throw new Error("tfjs-peer: backend 'webgpu': navigator.gpu is not available in this browser");
    const webgpu = await importOptional('webgpu');
    const mod = webgpu.create ? webgpu : webgpu.default;
    if (mod.globals) Object.assign(g, mod.globals); // GPUBufferUsage, GPUMapMode, GPUTextureUsage, ...
    const gpu = mod.create([]);
    if (g.navigator) {
      try {
        Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
      } catch {
        Object.defineProperty(g, 'navigator', { value: { ...g.navigator, gpu }, configurable: true, writable: true });
      }
    } else {
      Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
    }
  }
  // Without an adapter tfjs only logs "Cannot read properties of null
  // (reading 'features')" and setBackend() returns false; say why instead.
  const adapter = await g.navigator.gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      "tfjs-peer: backend 'webgpu': navigator.gpu.requestAdapter() returned null (no GPU; in Node, Dawn found no Vulkan/Metal/D3D12 device - e.g. libvulkan1 and a Vulkan driver such as mesa-vulkan-drivers are missing)",
    );
  }
  await importOptional('@tensorflow/tfjs-backend-webgpu');
  const ok = await tf.setBackend('webgpu');
  if (!ok) throw new Error('tfjs-peer: failed to initialise the webgpu backend (no adapter?)');
  await tf.ready();
  return { variant: 'webgpu' };
}

/** Glorot-uniform init, like tf.layers.dense's default. */
function glorot(shape: [number, number], seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed));
}

export async function tfjsThroughput(opts: TfjsPeerOptions): Promise<TfjsPeerResult> {
  const B = opts.batch;
  const N = opts.steps;
  const H = opts.hidden;
  const kappa = opts.cost ?? 0;
  const warmup = opts.warmup ?? 3;
  const seed = opts.seed ?? 1;
  const lr = opts.learningRate ?? 0.005;
  if (!(B > 0 && N > 0 && H > 0 && opts.seconds >= 0)) throw new Error('tfjs-peer: bad options');

  const { variant, threads } = await initBackend(opts.backend, opts.threads);

  const dt = MATURITY / N;
  const drift = -0.5 * SIGMA * SIGMA * dt;
  const vol = SIGMA * Math.sqrt(dt);

  // Parameters (all trainable).
  const W1 = glorot([3, H], seed);
  const b1 = tf.variable(tf.zeros([H]));
  const W2 = glorot([H, H], seed + 1);
  const b2 = tf.variable(tf.zeros([H]));
  const W3 = glorot([H, 1], seed + 2);
  const b3 = tf.variable(tf.zeros([1]));
  const p0 = tf.variable(tf.scalar(0));
  const params = [W1, b1, W2, b2, W3, b3, p0];

  // Constants kept across iterations: tau_k columns [B,1] and the zero delta.
  const tauCols = tf.tidy(() =>
    Array.from({ length: N }, (_, k) => tf.keep(tf.fill([B, 1], 1 - k / N))),
  );
  const zeroDelta = tf.zeros([B, 1]);
  // log(S/K) / (sigma sqrt T) with K = 1: log S is the path's cumulative sum, so one multiply a step.
  const invVolRootT = 1 / (SIGMA * Math.sqrt(MATURITY));
  const logMoneyness = (opts.features ?? 'log-moneyness') === 'log-moneyness';

  const optimizer = tf.train.adam(lr);

  const lossFn = (): tf.Scalar => {
    // Paths: logS[k] = sum_{j<k} (drift + vol Z_j), S = exp(logS), shape [N+1,B,1].
    const z = tf.randomNormal([N, B, 1]);
    const inc = tf.add(tf.mul(z, vol), drift);
    const logS = tf.concat([tf.zeros([1, B, 1]), tf.cumsum(inc, 0)], 0);
    const S = tf.exp(logS); // S0 = 1
    const Sk = tf.unstack(S, 0); // N+1 tensors [B,1]
    const Xk = logMoneyness ? tf.unstack(tf.mul(logS, invVolRootT), 0) : Sk;

    // Unrolled recurrence through the shared network.
    const deltas: tf.Tensor2D[] = [];
    let prev: tf.Tensor2D = zeroDelta as tf.Tensor2D;
    for (let k = 0; k < N; k++) {
      const x = tf.concat([tauCols[k], Xk[k], prev], 1) as tf.Tensor2D; // [B,3]
      const h1 = tf.fused.matMul({ a: x, b: W1, bias: b1, activation: 'relu' });
      const h2 = tf.fused.matMul({ a: h1, b: W2, bias: b2, activation: 'relu' });
      const d = tf.tanh(tf.fused.matMul({ a: h2, b: W3, bias: b3 })) as tf.Tensor2D;
      deltas.push(d);
      prev = d;
    }

    const D = tf.stack(deltas, 0); // [N,B,1]
    const Dprev = tf.stack([zeroDelta, ...deltas.slice(0, N - 1)], 0);
    const Sfront = tf.slice(S, [0, 0, 0], [N, B, 1]);
    const Sback = tf.slice(S, [1, 0, 0], [N, B, 1]);
    const SN = Sk[N];

    const gains = tf.sum(tf.mul(D, tf.sub(Sback, Sfront)), 0); // [B,1]
    const trade = tf.sum(tf.mul(tf.abs(tf.sub(D, Dprev)), Sfront), 0);
    const unwind = tf.mul(tf.abs(deltas[N - 1]), SN);
    const costs = tf.mul(tf.add(trade, unwind), kappa);
    const pnl = tf.sub(gains, costs);
    const payoff = tf.relu(tf.sub(SN, 1));
    const err = tf.sub(tf.add(pnl, p0), payoff);
    return tf.mean(tf.square(err)) as tf.Scalar;
  };

  const step = (): tf.Scalar =>
    tf.tidy(() => optimizer.minimize(lossFn, /* returnCost */ true, params) as tf.Scalar);

  let lastLoss = NaN;
  let iteration = 0;
  const runOne = async () => {
    const loss = step();
    // Reading the scalar back each iteration makes the timing honest for
    // async backends (webgpu) and costs nothing measurable on wasm.
    lastLoss = (await loss.data())[0];
    loss.dispose();
    iteration++;
    if (opts.onIteration) {
      opts.onIteration({
        iteration,
        loss: lastLoss,
        p0: (await p0.data())[0],
        numTensors: tf.memory().numTensors,
      });
    }
  };

  try {
    for (let i = 0; i < warmup; i++) await runOne();
    const numTensorsAfterWarmup = tf.memory().numTensors;

    const budgetMs = opts.seconds * 1000;
    const maxIt = opts.maxIterations ?? Infinity;
    let iterations = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (iterations < maxIt) {
      await runOne();
      iterations++;
      elapsed = performance.now() - t0;
      if (elapsed >= budgetMs) break;
    }
    const seconds = elapsed / 1000;
    const numTensorsAtEnd = tf.memory().numTensors;
    const p0Final = (await p0.data())[0];

    return {
      peer: 'tfjs',
      backend: opts.backend,
      pathStepsPerSecond: seconds > 0 ? (B * N * iterations) / seconds : 0,
      iterations,
      seconds,
      finalLoss: lastLoss,
      variant,
      threads,
      p0: p0Final,
      numTensorsAfterWarmup,
      numTensorsAtEnd,
      version: tf.version_core,
    };
  } finally {
    optimizer.dispose();
    for (const v of params) v.dispose();
    for (const t of tauCols) t.dispose();
    zeroDelta.dispose();
  }
}
