// The bounds benchmark in one run: the 3-date Asian call LP (binomial marginals, tree of 60 steps, dates
// 1/3, 2/3, 1, S0 = 100, sigma = 0.2, strike 100) by scipy+HiGHS (interior point, presolve off) and by
// every solver of ours. Run after `npm run build`: node bench/bounds/run.mjs
import { execFileSync } from 'node:child_process';
import { priceBounds } from '../../dist/index.js';

const config = { payoff: 'asian', strike: 100, dates: [1 / 3, 2 / 3, 1], treeSteps: 60, spot: 100, volatility: 0.2 };
const peer = JSON.parse(execFileSync('/usr/bin/python3', ['bench/bounds/scipy_peer.py', '--dates', config.dates.join(','), '--tree-steps', '60'], { encoding: 'utf8' }));
const rows = [['scipy linprog highs-ipm (presolve off)', peer.lower, peer.upper, peer.lowerSeconds + peer.upperSeconds]];
const names = {
  lp: 'lp (highs-js 1.15, ipm + crossover)',
  interior: 'interior (highs-js 1.15, ipm without crossover, duals rounded)',
  decomposition: 'decomposition (Dantzig-Wolfe over martingale trees, TypeScript)',
  entropic: 'entropic (WASM, f64)',
  neural: 'neural dual (WASM, default iterations, polished on the semi-dual, rounded)',
};
for (const solver of ['decomposition', 'lp', 'interior', 'entropic', 'neural']) {
  const r = await priceBounds(config, { solver });
  rows.push([names[solver], r.lower, r.upper, r.seconds]);
}
console.log('| solver | lower | upper | |lower - LP|, |upper - LP| | seconds (both sides) | vs scipy |');
console.log('|---|---|---|---|---|---|');
for (const [name, lo, up, s] of rows) {
  console.log(`| ${name} | ${lo.toFixed(6)} | ${up.toFixed(6)} | ${Math.abs(lo - peer.lower).toExponential(1)}, ${Math.abs(up - peer.upper).toExponential(1)} | ${s.toFixed(2)} | ${(rows[0][3] / s).toFixed(2)}x |`);
}
