// The training worker: one per element. It owns a headless Trainer (WebGPU or WASM, chosen by the
// trainer), trains in chunks of about 40 ms, and posts progress four times a second and an evaluation
// about every second and a half, whatever the training speed. Built to a classic script and inlined
// into dist/cher-hedger.js (see rollup.config.mjs), so it needs no URL of its own.
import { createTrainer, TrainingDivergedError, type Trainer } from '../trainer.js';
import { now } from '../engine/platform.js';
import type { FromWorker, RunState, ToWorker } from './protocol.js';
import { Downsampled } from './series.js';

const PROGRESS_MS = 250;
const EVALUATION_MS = 1500;
const CHUNK_MS = 40;

const scope = globalThis as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ToWorker>) => void): void;
  close(): void;
};
const post = (message: FromWorker) => scope.postMessage(message);

let trainer: Trainer | null = null;
let generation = 0;
let running = false;
let until: number | null = null;
let loopDone: Promise<void> = Promise.resolve();
let lossesSeen = 0;
let lastProgress = -Infinity;
let lastEvaluation = -Infinity;
let evaluationCost = 0;
const loss = new Downsampled(1000);
const price = new Downsampled(1000);

const message = (e: unknown) => String((e as Error)?.message ?? e);

/** Lets queued messages (pause, export, dispose) in between chunks without the 4 ms timer clamp. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function setState(state: RunState, text?: string): void {
  post({ type: 'state', generation, state, message: text });
}

function record(t: Trainer): void {
  const all = t.losses;
  const first = t.iteration - (all.length - lossesSeen);
  for (let i = lossesSeen; i < all.length; i++) loss.push(first + (i - lossesSeen) + 1, all[i]);
  lossesSeen = all.length;
  price.push(t.iteration, t.progress().price);
}

function postProgress(t: Trainer): void {
  lastProgress = now();
  post({ type: 'progress', generation, progress: t.progress(), loss: loss.data(), price: price.data() });
}

async function evaluate(t: Trainer): Promise<void> {
  const start = now();
  const report = await t.evaluate();
  evaluationCost = now() - start;
  lastEvaluation = now();
  if (t === trainer) post({ type: 'evaluation', generation, report, seconds: evaluationCost / 1000 });
}

async function loop(t: Trainer): Promise<void> {
  setState('training');
  let chunk = 1;
  while (running && t === trainer) {
    if (until !== null && t.iteration >= until) {
      running = false;
      postProgress(t);
      await evaluate(t);
      setState('done', `stopped after ${t.iteration} iterations`);
      return;
    }
    const n = until === null ? chunk : Math.min(chunk, until - t.iteration);
    const started = now();
    try {
      await t.step(n);
    } catch (e) {
      running = false;
      if (t !== trainer) return;
      lossesSeen = t.losses.length;
      if (e instanceof TrainingDivergedError) {
        postProgress(t);
        setState('diverged', e.message);
        await evaluate(t);
      } else {
        post({ type: 'error', generation, message: message(e), fatal: false });
        setState('paused');
      }
      return;
    }
    const spent = now() - started;
    chunk = Math.max(1, Math.min(1000, Math.round((n * CHUNK_MS) / Math.max(spent, 1))));
    record(t);
    if (now() - lastProgress >= PROGRESS_MS) postProgress(t);
    if (now() - lastEvaluation >= Math.max(EVALUATION_MS, 6 * evaluationCost)) await evaluate(t);
    await yieldToEvents();
  }
  if (t === trainer) {
    postProgress(t);
    setState('paused');
  }
}

async function stopLoop(): Promise<void> {
  running = false;
  await loopDone;
}

function startLoop(): void {
  if (!trainer || running) return;
  running = true;
  const t = trainer;
  loopDone = loop(t).catch((e) => post({ type: 'error', generation, message: message(e), fatal: false }));
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'configure': {
      await stopLoop();
      trainer?.dispose();
      trainer = null;
      generation = msg.generation;
      loss.clear();
      price.clear();
      lossesSeen = 0;
      evaluationCost = 0;
      try {
        trainer = await createTrainer(msg.config);
      } catch (e) {
        post({ type: 'error', generation, message: message(e), fatal: true });
        return;
      }
      post({
        type: 'ready', generation, backend: trainer.backend, detail: trainer.detail, workers: trainer.workers,
        bsPrice: trainer.bsPrice,
      });
      lastEvaluation = -Infinity;
      lastProgress = -Infinity;
      if (msg.run) {
        until = msg.until;
        startLoop();
        return;
      }
      postProgress(trainer);
      await evaluate(trainer);
      setState('idle');
      return;
    }
    case 'run':
      until = msg.until;
      if (trainer && until !== null && trainer.iteration >= until) {
        setState('done', `stopped after ${trainer.iteration} iterations`);
        return;
      }
      startLoop();
      return;
    case 'pause':
      await stopLoop();
      return;
    case 'export':
      try {
        if (!trainer) throw new Error('no trainer yet');
        post({ type: 'reply', id: msg.id, result: trainer.exportWeights() });
      } catch (e) {
        post({ type: 'reply', id: msg.id, error: message(e) });
      }
      return;
    case 'import': {
      const wasRunning = running;
      await stopLoop();
      try {
        if (!trainer) throw new Error('no trainer yet');
        trainer.importWeights(msg.weights);
        lossesSeen = trainer.losses.length;
        post({ type: 'reply', id: msg.id, result: trainer.iteration });
        postProgress(trainer);
        await evaluate(trainer);
      } catch (e) {
        post({ type: 'reply', id: msg.id, error: message(e) });
      }
      if (wasRunning) startLoop();
      return;
    }
    case 'dispose':
      await stopLoop();
      trainer?.dispose();
      trainer = null;
      post({ type: 'disposed' });
      scope.close();
      return;
  }
}

// Messages are handled one at a time, in order; the training loop runs beside them and is stopped
// through `running`, so a pause is honoured between two chunks.
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e) => {
  queue = queue.then(() => handle(e.data)).catch((err) => post({ type: 'error', generation, message: message(err), fatal: false }));
});
