// The `cher-hedger` command: train (hedging), american and bounds, with configuration flags in kebab-case.
import { CONFIG_KEYS, CONFIG_SPEC, DEFAULT_CONFIG, describeAllowed, kebabCase } from '../models/hedging/config.js';
import { AMERICAN_OPTIONS, americanHelp, parseAmericanArgs, runAmerican } from './american.js';
import { parseArgs, UsageError, type CommandOption } from './args.js';
import { runTrain, TRAIN_OPTIONS } from './train.js';
import { runBounds } from './bounds.js';

const COMMANDS: Record<string, { summary: string; options: Record<string, CommandOption> }> = {
  train: { summary: 'train a hedging network and compare it with the baselines', options: TRAIN_OPTIONS },
  bounds: { summary: 'model-free bounds of an exotic from marginals (cher-hedger bounds --help)', options: {} },
  american: { summary: 'price an American or Bermudan option (lattice, least-squares Monte Carlo, value network)', options: AMERICAN_OPTIONS },
};

function help(): string {
  const lines = [
    'Usage: cher-hedger <command> [--key value ...]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)}${c.summary}`),
    '',
    'Command options:',
    ...Object.entries(TRAIN_OPTIONS).map(([k, o]) => `  --${k.padEnd(15)}${o.doc}`),
    '',
    'Configuration (default, then what is allowed):',
    ...CONFIG_KEYS.map((k) => {
      const d = DEFAULT_CONFIG[k];
      return `  --${kebabCase(k).padEnd(15)}${String(typeof d === 'number' ? Number(d.toPrecision(6)) : d).padEnd(15)}${CONFIG_SPEC[k].doc}; ${describeAllowed(k)}`;
    }),
  ];
  return lines.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const stdout = (globalThis as any).process.stdout;
  const stderr = (globalThis as any).process.stderr;
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    stdout.write(help());
    return command ? 0 : 2;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    stderr.write(`cher-hedger: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  try {
    if (command === 'bounds') {
      await runBounds(rest, stdout, stderr);
      return 0;
    }
    if (command === 'american') {
      const { config, options } = parseAmericanArgs(rest);
      if (options.help) stdout.write(americanHelp());
      else await runAmerican(config, options, stdout, stderr);
      return 0;
    }
    const { config, options } = parseArgs(rest, spec.options);
    if (options.help) {
      stdout.write(help());
      return 0;
    }
    await runTrain(config, options, stdout, stderr);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      stderr.write(`cher-hedger ${command}: ${e.message}\n`);
      return 2;
    }
    stderr.write(`cher-hedger ${command}: ${(e as Error).message ?? e}\n`);
    return 1;
  }
}

