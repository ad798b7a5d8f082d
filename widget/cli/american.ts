// `cher-hedger american`: prices an American (or Bermudan) option by the lattice, least-squares Monte Carlo and
// the value network, with a progress bar on stderr and a table of methods, or one JSON line with --json.
import { AMERICAN_DEFAULTS, AMERICAN_SCHEMA, AMERICAN_SPEC, exerciseDates, type AmericanConfig, DEFAULT_NETWORK_ITERATIONS } from '../models/american/config.js';
import { describeSpec, kebabCase } from '../shared/config-schema.js';
import { priceAmerican, type AmericanMethod, type AmericanReport } from '../models/american/price.js';
import { createAmericanTrainer } from '../models/american/network/model.js';
import type { NetworkMethodResult } from '../models/american/network/report.js';
import type { AmericanTaskReport } from '../models/american/task-progress.js';
import { parseArgsWith, type CommandOption } from './args.js';
import { formatNumber, table } from './format.js';

export const AMERICAN_OPTIONS: Record<string, CommandOption> = {
  method: { kind: 'choice', values: ['lattice', 'lsm', 'network', 'all'], doc: 'pricing method (default all)' },
  iterations: { kind: 'count', doc: `value network: training iterations (default ${DEFAULT_NETWORK_ITERATIONS})` },
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

export type { NetworkMethodResult };

/** A report with the value network's result beside the lattice's and LSM's. */
export type AmericanCliReport = AmericanTaskReport;

/** The JSON line: the European value, each method asked for, and the configuration. */
export function americanJson(report: AmericanCliReport) {
  const { lattice, lsm, network } = report.methods;
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
  if (network) {
    methods.network = {
      price: network.price, lower: network.lower, stdError: network.stdError, seconds: network.seconds,
      iterations: network.iteration, loss: network.loss, dates: network.dates, boundary: network.boundary,
    };
  }
  return { european: report.european, earlyExercisePremium: report.earlyExercisePremium, methods, config: report.config };
}

export function americanTable(report: AmericanCliReport): string {
  const c = report.config;
  const { lattice, lsm, network } = report.methods;
  const rows: (string | number)[][] = [];
  if (lattice) rows.push([`lattice (CRR, ${lattice.steps} steps)`, lattice.price, '', '', '', lattice.seconds]);
  if (lsm) {
    rows.push([`LSM (${lsm.dates} dates, ${c.paths} paths)`, lsm.price, lsm.lower, lsm.upper, lsm.stdError, lsm.seconds]);
    rows.push(['  dual upper bound (std error)', '', '', lsm.upper, lsm.upperStdError, '']);
    rows.push(['foresight (biased high, not a price)', lsm.foresight.biasedPrice, '', '', lsm.foresight.stdError, '']);
  }
  if (network) {
    rows.push([`value network (${network.dates} dates, ${network.iteration} iterations)`, network.price, '', '', '', network.seconds]);
    rows.push([`  its stopping rule (${network.paths} paths)`, '', network.lower, '', network.stdError, '']);
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

/** Trains the value network for the configuration's iterations (a progress bar on `bar`), then evaluates it. */
async function trainNetwork(
  config: AmericanConfig, total: number, bar?: (label: string, fraction: number) => void,
): Promise<NetworkMethodResult> {
  const trainer = await createAmericanTrainer(config);
  try {
    const p = await trainer.run({
      iterations: total,
      progressInterval: 200,
      onProgress: bar && ((q) => bar('network', q.iteration / total)),
    });
    const report = await trainer.evaluate();
    return { ...report, seconds: p.seconds + report.seconds, loss: p.loss };
  } finally {
    trainer.dispose();
  }
}

export async function runAmerican(config: AmericanConfig, options: Record<string, unknown>, stdout: Writer, stderr: Writer): Promise<void> {
  const choice = (options.method as string | undefined) ?? 'all';
  const wanted = choice === 'all' ? ['lattice', 'lsm', 'network'] : [choice];
  const methods = wanted.filter((m): m is AmericanMethod => m !== 'network');
  const bar = options.json ? undefined : progressBar(stderr);
  const report: AmericanCliReport = await priceAmerican(config, {
    methods,
    onProgress: bar && ((p) => { if (p.method === 'lsm') bar('LSM', p.fraction); }),
  });
  if (wanted.includes('network')) {
    report.methods.network = await trainNetwork(config, (options.iterations as number | undefined) ?? DEFAULT_NETWORK_ITERATIONS, bar);
    if (!report.methods.lattice && !report.methods.lsm) report.earlyExercisePremium = report.methods.network.price - report.european;
  }
  stdout.write(options.json ? JSON.stringify(americanJson(report)) + '\n' : americanTable(report));
}

export function americanHelp(): string {
  return [
    'Usage: cher-hedger american [--method lattice|lsm|network|all] [--key value ...] [--json]',
    '',
    'Options:',
    ...Object.entries(AMERICAN_OPTIONS).map(([k, o]) => `  --${k.padEnd(15)}${o.doc}`),
    '',
    'Configuration (default, then what is allowed):',
    ...AMERICAN_SCHEMA.keys.map((k) => `  --${kebabCase(k).padEnd(15)}${String(AMERICAN_DEFAULTS[k]).padEnd(10)}${AMERICAN_SPEC[k].doc}; ${describeSpec(AMERICAN_SPEC[k])}`),
  ].join('\n') + '\n';
}
