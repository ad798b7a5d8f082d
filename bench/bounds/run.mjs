// The bounds benchmark in one run: the 3-date Asian call LP (binomial marginals, tree of 60 steps, dates
// 1/3, 2/3, 1, S0 = 100, sigma = 0.2, strike 100) by scipy+HiGHS (interior point, presolve off) and by
// every solver of ours. Run after `npm run build`: node bench/bounds/run.mjs
// scipy and the decomposition solver (the fast ones) run REPEAT times each, in the same process: the table
// gives the median and, beside it, the first run (the decomposition's code not yet compiled by the JIT, scipy's
// first call); the slower solvers run once.
import { execFileSync } from 'node:child_process';
import { priceBounds } from '../../dist/index.js';

const config = { payoff: 'asian', strike: 100, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, spot: 100, volatility: 0.2 };
const REPEAT = 5;
const peer = JSON.parse(execFileSync('/usr/bin/python3', ['bench/bounds/scipy_peer.py', '--dates', config.dates.join(','), '--tree-steps', '60', '--repeat', String(REPEAT)], { encoding: 'utf8' }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [['scipy linprog highs-ipm (presolve off)', peer.lower, peer.upper, peer.lowerSeconds + peer.upperSeconds, peer.lowerFirstSeconds + peer.upperFirstSeconds]];
const names = {
  lp: 'lp (highs-js 1.15, ipm + crossover)',
  interior: 'interior (highs-js 1.15, ipm without crossover, duals rounded)',
  decomposition: 'decomposition (Dantzig-Wolfe over martingale trees, TypeScript)',
  entropic: 'entropic (WASM, f64)',
  neural: 'neural dual (WASM, default iterations, polished on the semi-dual, rounded)',
};
for (const solver of ['decomposition', 'lp', 'interior', 'entropic', 'neural']) {
  const runs = [];
  for (let k = 0; k < (solver === 'decomposition' ? REPEAT : 1); k++) runs.push(await priceBounds(config, { solver }));
  const r = runs[0];
  rows.push([names[solver], r.lower, r.upper, median(runs.map((x) => x.seconds)), runs.length > 1 ? r.seconds : null]);
}
console.log(`| solver | lower | upper | |lower - LP|, |upper - LP| | seconds (both sides; median of ${REPEAT} where a first run is given) | first run | vs scipy (medians) |`);
console.log('|---|---|---|---|---|---|---|');
for (const [name, lo, up, s, first] of rows) {
  console.log(`| ${name} | ${lo.toFixed(6)} | ${up.toFixed(6)} | ${Math.abs(lo - peer.lower).toExponential(1)}, ${Math.abs(up - peer.upper).toExponential(1)} | ${s.toFixed(2)} | ${first === null ? '' : first.toFixed(2)} | ${(rows[0][3] / s).toFixed(2)}x |`);
}
