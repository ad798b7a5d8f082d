// Command-line flags: `--key value` or `--key=value`; configuration keys in kebab-case go through the
// configuration validator, command options are checked here, and every problem is reported at once.
import {
  CONFIG_KEYS, CONFIG_SPEC, ConfigError, kebabCase, parseConfigStrings, resolveConfig, type ConfigProblem, type HedgerConfig,
} from '../models/hedging/config.js';

export interface CommandOption {
  /** 'flag' takes no value; 'count' a positive integer; 'seconds' a positive number. */
  kind: 'flag' | 'count' | 'seconds';
  doc: string;
}

export interface ParsedArgs {
  config: HedgerConfig;
  options: Record<string, number | boolean | undefined>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], commandOptions: Record<string, CommandOption>): ParsedArgs {
  const configStrings: Record<string, string> = {};
  const options: Record<string, number | boolean | undefined> = {};
  const problems: ConfigProblem[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg.length < 3) {
      problems.push({ key: arg, value: arg, allowed: 'flags look like --key value or --key=value' });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const option = commandOptions[name];
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (option?.kind === 'flag') {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        problems.push({ key: `--${name}`, value, allowed: 'no value (a switch), or true/false' });
      } else options[name] = value !== 'false';
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push({ key: `--${name}`, value: undefined, allowed: 'a value after the flag' });
        continue;
      }
      value = next;
      i++;
    }
    if (option) {
      const n = Number(value);
      const ok = option.kind === 'count' ? Number.isInteger(n) && n >= 1 : Number.isFinite(n) && n > 0;
      if (value.trim() === '' || !ok) {
        problems.push({
          key: `--${name}`,
          value,
          allowed: option.kind === 'count' ? 'a positive integer' : 'a positive number of seconds',
        });
      } else options[name] = n;
    } else {
      configStrings[name] = value;
    }
  }
  let config: HedgerConfig | undefined;
  try {
    config = resolveConfig(parseConfigStrings(configStrings));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      const unknown = !(p.key in CONFIG_SPEC);
      problems.push({
        key: `--${kebabCase(p.key)}`,
        value: p.value,
        allowed: unknown
          ? `not a flag of this command; flags: ${[...CONFIG_KEYS.map(kebabCase), ...Object.keys(commandOptions)].map((k) => '--' + k).join(' ')}`
          : p.allowed,
      });
    }
  }
  if (problems.length > 0) {
    throw new UsageError('Invalid arguments:\n' + problems.map((p) => `  ${p.key}${p.value === undefined ? '' : ' ' + JSON.stringify(p.value)}: ${p.allowed}`).join('\n'));
  }
  return { config: config!, options };
}
