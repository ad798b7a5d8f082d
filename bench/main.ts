// `npm run bench`: training throughput of the engines against their peers (PyTorch, TensorFlow.js), measured
// in one run so the ratios hold on a shared, noisy machine. Built by rollup to build/bench/bench.js; it is
// not part of the package, because the peers are development dependencies.
import { CONFIG_KEYS, kebabCase } from '../widget/models/hedging/config.js';
import { parseArgs, UsageError } from '../widget/cli/args.js';
import { BENCH_OPTIONS, benchTable, runBench } from './hedging.js';

export async function main(argv: string[]): Promise<number> {
  const { stdout, stderr } = process;
  try {
    const { config, options } = parseArgs(argv, BENCH_OPTIONS);
    if (options.help) {
      stdout.write(
        'Usage: npm run bench -- [--seconds S] [--json] [--backend webgpu] [configuration flags]\n\n' +
          Object.entries(BENCH_OPTIONS).map(([k, o]) => `  --${k.padEnd(15)}${o.doc}`).join('\n') +
          `\n\nConfiguration flags: ${CONFIG_KEYS.map((k) => '--' + kebabCase(k)).join(' ')}\n`,
      );
      return 0;
    }
    const result = await runBench(config, options, (l) => options.json || stderr.write(l + '\n'));
    stdout.write(options.json ? JSON.stringify(result) + '\n' : '\n' + benchTable(result));
    return 0;
  } catch (e) {
    stderr.write(`bench: ${(e as Error).message ?? e}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
