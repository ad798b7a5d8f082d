// `cher-hedger train`: trains with a progress bar, then evaluates against the baselines.
import type { HedgerConfig } from '../models/hedging/config.js';
import type { EvaluationReport } from '../models/hedging/evaluation.js';
import { createTrainer, type Progress } from '../runtime/training/trainer.js';
import type { CommandOption } from './args.js';
import { formatNumber, formatRate, table } from './format.js';

export const TRAIN_OPTIONS: Record<string, CommandOption> = {
  iterations: { kind: 'count', doc: 'stop after N iterations (default 1000 when --seconds is not given)' },
  seconds: { kind: 'seconds', doc: 'stop after S seconds of training' },
  json: { kind: 'flag', doc: 'print one JSON line with the result instead of text' },
  help: { kind: 'flag', doc: 'show this help' },
};

export const DEFAULT_TRAIN_ITERATIONS = 1000;

export interface TrainResult {
  backend: string;
  detail: string;
  workers: number;
  iterations: number;
  seconds: number;
  pathStepsPerSecond: number;
  loss: number;
  price: number;
  bsPrice: number;
  config: HedgerConfig;
  evaluation: Pick<EvaluationReport, 'network' | 'bsDelta' | 'whalleyWilmott' | 'noHedge' | 'premium' | 'testPaths'>;
}

interface Output {
  write(text: string): void;
  isTTY?: boolean;
}

function progressLine(p: Progress, target: { iterations?: number; seconds?: number }, startIteration: number): string {
  const done = p.iteration - startIteration;
  const fraction = target.iterations ? done / target.iterations : target.seconds ? Math.min(1, p.seconds / target.seconds) : 0;
  const width = 24;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  return (
    `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  it ${p.iteration}  loss ${formatNumber(p.loss, 4)}  ` +
    `price ${formatNumber(p.price, 5)} (BS ${formatNumber(p.bsPrice, 5)})  ${formatRate(p.pathStepsPerSecond)} path-steps/s`
  );
}

export async function runTrain(
  config: HedgerConfig, options: Record<string, number | boolean | undefined>, out: Output, err: Output,
): Promise<TrainResult> {
  const json = options.json === true;
  const seconds = options.seconds as number | undefined;
  const iterations = (options.iterations as number | undefined) ?? (seconds === undefined ? DEFAULT_TRAIN_ITERATIONS : undefined);
  const trainer = await createTrainer(config);
  try {
    const start = trainer.iteration;
    let lastPrinted = -1;
    const onProgress = (p: Progress) => {
      if (json) return;
      if (err.isTTY) err.write(`\r${progressLine(p, { iterations, seconds }, start)}\x1b[K`);
      else {
        // Without a terminal, one line per tenth of the run.
        const tenth = Math.floor(((p.iteration - start) / (iterations ?? Infinity)) * 10 || p.seconds / ((seconds ?? Infinity) / 10));
        if (tenth > lastPrinted) {
          lastPrinted = tenth;
          err.write(progressLine(p, { iterations, seconds }, start) + '\n');
        }
      }
    };
    if (!json) {
      err.write(`cher-hedger: training on ${trainer.backend} (${trainer.detail}, ${trainer.workers} thread${trainer.workers > 1 ? 's' : ''}), ` +
        `batch ${config.batch}, ${config.steps} steps, risk ${config.risk}, cost ${config.cost}\n`);
    }
    const p = await trainer.run({ iterations, seconds, onProgress, progressInterval: err.isTTY ? 100 : 250 });
    if (!json && err.isTTY) err.write('\n');
    const ev = await trainer.evaluate();
    const result: TrainResult = {
      backend: trainer.backend,
      detail: trainer.detail,
      workers: trainer.workers,
      iterations: p.iteration - start,
      seconds: p.seconds,
      pathStepsPerSecond: p.pathStepsPerSecond,
      loss: p.loss,
      price: ev.network.price,
      bsPrice: ev.bsPrice,
      config,
      evaluation: {
        network: ev.network, bsDelta: ev.bsDelta, whalleyWilmott: ev.whalleyWilmott, noHedge: ev.noHedge,
        premium: ev.premium, testPaths: ev.testPaths,
      },
    };
    if (json) out.write(JSON.stringify(result) + '\n');
    else {
      out.write(
        `\n${result.iterations} iterations in ${p.seconds.toFixed(2)} s, ${formatRate(p.pathStepsPerSecond)} path-steps/s; ` +
          `final batch loss ${formatNumber(p.loss, 4)}\n` +
          `Evaluation on ${ev.testPaths} test paths (PnL - Z; price by ${config.risk}; Black-Scholes price ${formatNumber(ev.bsPrice, 6)}):\n\n` +
          table(
            ['strategy', 'price', 'mean', 'std', 'ES 95%', 'cost'],
            (
              [
                ['network', ev.network], ['Black-Scholes delta', ev.bsDelta],
                ['Whalley-Wilmott', ev.whalleyWilmott], ['no hedge', ev.noHedge],
              ] as const
            ).map(([name, s]) => [name, s.price, s.mean, s.std, s.es95, s.cost]),
          ) +
          '\n',
      );
    }
    return result;
  } finally {
    trainer.dispose();
  }
}
