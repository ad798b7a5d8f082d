// Command-line flags: `--key value` or `--key=value`; configuration keys in kebab-case go through the
// configuration validator, command options are checked here, and every problem is reported at once.
import { ConfigError, HEDGER_SCHEMA, kebabCase, type ConfigProblem, type HedgerConfig } from '../models/hedging/config.js';
import { parseStringsWith, resolveWith, type ConfigSchema } from '../shared/config-schema.js';

export interface CommandOption {
  /** 'flag' takes no value; 'count' a positive integer; 'seconds' a positive number; 'choice' one of `values`. */
  kind: 'flag' | 'count' | 'seconds' | 'choice';
  values?: readonly string[];
  doc: string;
}

export interface ParsedArgs<T = HedgerConfig, V = number | boolean | undefined> {
  config: T;
  options: Record<string, V>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], commandOptions: Record<string, CommandOption>): ParsedArgs {
  // The hedging commands have no 'choice' options, so no option value is a string.
  return parseArgsWith(HEDGER_SCHEMA, argv, commandOptions) as ParsedArgs;
}

/** Flags of a command whose configuration is `schema`'s (any model's). */
export function parseArgsWith<T extends object>(
  schema: ConfigSchema<T>, argv: readonly string[], commandOptions: Record<string, CommandOption>,
): ParsedArgs<T, number | boolean | string | undefined> {
  const configStrings: Record<string, string> = {};
  const options: Record<string, number | boolean | string | undefined> = {};
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
    if (option?.kind === 'choice') {
      if (!option.values!.includes(value)) problems.push({ key: `--${name}`, value, allowed: `one of ${option.values!.join(', ')}` });
      else options[name] = value;
    } else if (option) {
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
  let config: T | undefined;
  try {
    config = resolveWith(schema, parseStringsWith(schema, configStrings));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) {
      const unknown = !(p.key in schema.spec);
      problems.push({
        key: `--${kebabCase(p.key)}`,
        value: p.value,
        allowed: unknown
          ? `not a flag of this command; flags: ${[...schema.keys.map(kebabCase), ...Object.keys(commandOptions)].map((k) => '--' + k).join(' ')}`
          : p.allowed,
      });
    }
  }
  if (problems.length > 0) {
    throw new UsageError('Invalid arguments:\n' + problems.map((p) => `  ${p.key}${p.value === undefined ? '' : ' ' + JSON.stringify(p.value)}: ${p.allowed}`).join('\n'));
  }
  return { config: config!, options };
}
