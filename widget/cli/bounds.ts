// `cher-hedger bounds`: model-free bounds of an exotic, with a progress bar on stderr and a table (or one
// JSON line). Flags are the bounds configuration keys in kebab-case plus --quotes, --solver, --json.
import { readFileSync } from 'node:fs';
import { BOUNDS_KEYS, BOUNDS_SCHEMA, parseBoundsStrings } from '../models/bounds/config.js';
import { parseQuotesCsv, priceBounds, type SolverChoice, type BoundsProgress, type BoundsReport, type SolverReport } from '../models/bounds/index.js';
import { ConfigError, kebabCase } from '../shared/config-schema.js';
import { UsageError } from './args.js';
import { formatNumber, table } from './format.js';

const OWN = ['quotes', 'solver', 'json', 'help'] as const;
export const BOUNDS_HELP = [
  '  --quotes FILE    call quotes, a CSV with header maturity,strike,call (sets --marginals quotes)',
  '  --solver S       lp (default, exact), entropic, interior (interior point, rounded duals), decomposition',
  '                   (the exact LP by Dantzig-Wolfe over martingale trees, fastest), all (those four),',
  '                   or neural (the neural dual: --neural-iterations, --beta, --batch, --hidden-units, --backend)',
  '  --json           one JSON line: lower, upper, solver, gap, seconds, modelPrice, config',
];

interface Output {
  write(text: string): void;
  isTTY?: boolean;
}

function parse(argv: readonly string[]) {
  const values: Record<string, string> = {};
  const flags: Record<string, string | boolean> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      problems.push(`${arg}: flags look like --key value`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'json' || name === 'help') {
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) {
      problems.push(`--${name}: a value after the flag`);
      continue;
    }
    if ((OWN as readonly string[]).includes(name)) flags[name] = value;
    else values[name] = value;
  }
  if (problems.length) throw new UsageError('Invalid arguments:\n' + problems.map((p) => '  ' + p).join('\n'));
  return { values, flags };
}

function bar(p: BoundsProgress): string {
  const e = p.entropic;
  const known = `[${p.lower === undefined ? '?' : formatNumber(p.lower, 6)}, ${p.upper === undefined ? '?' : formatNumber(p.upper, 6)}]`;
  if (p.neural) return `neural ${p.side}: iteration ${p.neural.iteration}/${p.neural.iterations} penalised ${formatNumber(p.neural.penalised, 6)} ${known}`;
  const d = p.decomposition;
  if (d) return `decomposition ${p.side}: step ${d.evaluations} bound ${formatNumber(d.bound, 6)} model ${formatNumber(d.model, 6)}`;
  if (!e) return `${p.solver}: solving (${p.seconds.toFixed(1)} s) ${known}`;
  return `${p.solver} ${p.side}: sweep ${e.sweep} eps ${e.epsilon.toExponential(1)} marginal ${e.marginalError.toExponential(1)} martingale ${e.martingaleError.toExponential(1)} ${known}`;
}

function summary(r: SolverReport) {
  const neural = r.neural ? { proven: r.neural.proven, penalised: r.neural.penalised } : {};
  return { lower: r.lower, upper: r.upper, solver: r.solver, gap: r.gap, seconds: r.seconds, ...(r.backend ? { backend: r.backend } : {}), ...neural };
}

/** What the neural dual's numbers are: proven (rounded on the grid) or estimated (sampled). */
function neuralNote(r: SolverReport): string {
  const n = r.neural;
  if (!n) return '';
  return n.proven
    ? `neural (${r.backend}, ${n.iterations} iterations a side): each bound is the cost of a strategy valid on every path; the gap is its distance to the penalised dual [${formatNumber(n.penalised.lower, 6)}, ${formatNumber(n.penalised.upper, 6)}]\n`
    : `neural (${r.backend}, ${n.iterations} iterations a side): the grid of paths is too large to round on, so the bounds are the penalised dual's values, ESTIMATED, not proven; the gap is the mean violation on ${n.violations.upper.paths} sampled paths (largest ${formatNumber(Math.max(n.violations.lower.maxViolation, n.violations.upper.maxViolation), 4)})\n`;
}

export function boundsJson(r: BoundsReport): string {
  if (r.solvers) {
    const solvers = Object.fromEntries(Object.entries(r.solvers).map(([k, v]) => [k, summary(v!)]));
    return JSON.stringify({ solvers, modelPrice: r.modelPrice, config: r.config });
  }
  return JSON.stringify({ ...summary(r), modelPrice: r.modelPrice, config: r.config });
}

export function boundsTable(r: BoundsReport): string {
  const rows = Object.values(r.solvers ?? { [r.solver]: r }).map((s) => [
    s!.solver, formatNumber(s!.lower, 7), formatNumber(s!.upper, 7), s!.gap.toExponential(2), `${s!.seconds.toFixed(2)} s`,
    r.modelPrice === null ? '-' : formatNumber(r.modelPrice, 7),
    r.modelPrice === null ? '-' : s!.lower - 1e-9 <= r.modelPrice && r.modelPrice <= s!.upper + 1e-9 ? 'yes' : 'NO',
  ]);
  const repairs = r.repairs.length ? `\n${r.repairs.length} quoted price(s) repaired, largest move ${Math.max(...r.repairs.map((x) => Math.abs(x.to - x.from))).toPrecision(2)}\n` : '';
  return table(['solver', 'lower', 'upper', 'gap', 'time', 'model price', 'inside'], rows) + '\n' + repairs + neuralNote(r);
}

export async function runBounds(argv: readonly string[], out: Output, err: Output): Promise<BoundsReport | null> {
  const { values, flags } = parse(argv);
  if (flags.help) {
    out.write(['Usage: cher-hedger bounds [--key value ...]', ...BOUNDS_HELP, ...BOUNDS_KEYS.map((k) => `  --${kebabCase(k).padEnd(17)}${BOUNDS_SCHEMA.spec[k].doc}`)].join('\n') + '\n');
    return null;
  }
  const input: Record<string, unknown> = parseBoundsStrings(values);
  if (typeof flags.quotes === 'string') {
    let text: string;
    try {
      text = readFileSync(flags.quotes, 'utf8');
    } catch (e) {
      throw new ConfigError([{ key: 'quotes', value: flags.quotes, allowed: `a readable CSV file (${(e as Error).message})` }], 'cher-hedger bounds configuration');
    }
    input.quotes = parseQuotesCsv(text, flags.quotes);
  }
  // Flags that are not keys: name them as flags.
  for (const k of Object.keys(input)) if (k.includes('-')) throw new UsageError(`--${k}: not a flag of bounds; flags: ${[...BOUNDS_KEYS.map(kebabCase), ...OWN].map((f) => '--' + f).join(' ')}`);
  const solver = (flags.solver ?? 'lp') as SolverChoice;
  const json = flags.json === true;
  let last = 0;
  const report = await priceBounds(input, {
    solver,
    onProgress: (p) => {
      if (json) return;
      const now = performance.now();
      if (err.isTTY) err.write(`\r${bar(p)}\x1b[K`);
      else if (now - last > 500) {
        last = now;
        err.write(bar(p) + '\n');
      }
    },
  });
  if (!json && err.isTTY) err.write('\n');
  out.write(json ? boundsJson(report) + '\n' : boundsTable(report));
  return report;
}
