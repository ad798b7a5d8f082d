// `cher-hedger american`: prices an American (or Bermudan) option by the lattice and least-squares Monte Carlo,
// with a progress bar on stderr and a table of methods, or one JSON line with --json.
import { AMERICAN_DEFAULTS, AMERICAN_SCHEMA, AMERICAN_SPEC, exerciseDates, type AmericanConfig } from '../models/american/config.js';
import { describeSpec, kebabCase } from '../shared/config-schema.js';
import { priceAmerican, type AmericanMethod, type AmericanReport } from '../models/american/price.js';
import { parseArgsWith, type CommandOption } from './args.js';
import { formatNumber, table } from './format.js';

export const AMERICAN_OPTIONS: Record<string, CommandOption> = {
  method: { kind: 'choice', values: ['lattice', 'lsm', 'all'], doc: 'pricing method (default all)' },
  json: { kind: 'flag', doc: 'print one JSON line with the report' },
  help: { kind: 'flag', doc: 'show this help' },
};

export function parseAmericanArgs(argv: readonly string[]) {
  return parseArgsWith(AMERICAN_SCHEMA, argv, AMERICAN_OPTIONS);
}

interface Writer {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** The JSON line: the European value, each method asked for, and the configuration. */
export function americanJson(report: AmericanReport) {
  const { lattice, lsm } = report.methods;
  const methods: Record<string, unknown> = {};
  if (lattice) {
    methods.lattice = {
      price: lattice.price, seconds: lattice.seconds, delta: lattice.delta, gamma: lattice.gamma, boundary: lattice.boundary,
      steps: lattice.steps,
    };
  }
  if (lsm) {
    methods.lsm = {
      price: lsm.price, lower: lsm.lower, upper: lsm.upper, stdError: lsm.stdError, upperStdError: lsm.upperStdError,
      seconds: lsm.seconds, dates: lsm.dates, foresight: lsm.foresight,
    };
  }
  return { european: report.european, earlyExercisePremium: report.earlyExercisePremium, methods, config: report.config };
}

export function americanTable(report: AmericanReport): string {
  const c = report.config;
  const { lattice, lsm } = report.methods;
  const rows: (string | number)[][] = [];
  if (lattice) rows.push([`lattice (CRR, ${lattice.steps} steps)`, lattice.price, '', '', '', lattice.seconds]);
  if (lsm) {
    rows.push([`LSM (${lsm.dates} dates, ${c.paths} paths)`, lsm.price, lsm.lower, lsm.upper, lsm.stdError, lsm.seconds]);
    rows.push(['  dual upper bound (std error)', '', '', lsm.upper, lsm.upperStdError, '']);
    rows.push(['foresight (biased high, not a price)', lsm.foresight.biasedPrice, '', '', lsm.foresight.stdError, '']);
  }
  rows.push(['European (Black-Scholes-Merton)', report.european, '', '', '', '']);
  const what = `${c.exercise === 'bermudan' ? `Bermudan (${exerciseDates(c)} dates)` : 'American'} ${c.option}`;
  const head = `${what}: S0 ${c.spot}, K ${c.strike}, r ${c.rate}, q ${c.dividend}, sigma ${c.volatility}, T ${c.maturity}; ` +
    `early-exercise premium ${formatNumber(report.earlyExercisePremium)}`;
  const extra = lattice ? `\nlattice delta ${formatNumber(lattice.delta)}, gamma ${formatNumber(lattice.gamma)}` : '';
  return `${head}${extra}\n\n${table(['method', 'price', 'lower', 'upper', 'std error', 'seconds'], rows)}\n`;
}

/** A one-line progress bar, redrawn in place on a terminal and printed every 25% otherwise. */
function progressBar(stderr: Writer) {
  let lastQuarter = -1;
  return (label: string, fraction: number) => {
    const width = 30;
    const filled = Math.round(fraction * width);
    const line = `${label.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    if (stderr.isTTY) stderr.write(`\r${line}${fraction >= 1 ? '\n' : ''}`);
    else {
      const quarter = Math.floor(fraction * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stderr.write(line + '\n');
      }
    }
  };
}

export async function runAmerican(config: AmericanConfig, options: Record<string, unknown>, stdout: Writer, stderr: Writer): Promise<void> {
  const choice = (options.method as string | undefined) ?? 'all';
  const methods: AmericanMethod[] = choice === 'all' ? ['lattice', 'lsm'] : [choice as AmericanMethod];
  const bar = options.json ? undefined : progressBar(stderr);
  const report = await priceAmerican(config, {
    methods,
    onProgress: bar && ((p) => { if (p.method === 'lsm') bar('LSM', p.fraction); }),
  });
  stdout.write(options.json ? JSON.stringify(americanJson(report)) + '\n' : americanTable(report));
}

export function americanHelp(): string {
  return [
    'Usage: cher-hedger american [--method lattice|lsm|all] [--key value ...] [--json]',
    '',
    'Options:',
    ...Object.entries(AMERICAN_OPTIONS).map(([k, o]) => `  --${k.padEnd(15)}${o.doc}`),
    '',
    'Configuration (default, then what is allowed):',
    ...AMERICAN_SCHEMA.keys.map((k) => `  --${kebabCase(k).padEnd(15)}${String(AMERICAN_DEFAULTS[k]).padEnd(10)}${AMERICAN_SPEC[k].doc}; ${describeSpec(AMERICAN_SPEC[k])}`),
  ].join('\n') + '\n';
}
