// American-option benchmark, one run: our CRR lattice at 10,000 steps against QuantLib's
// BinomialVanillaEngine('crr', 10000), and our LSM (fit + independent pricing set) against QuantLib's
// MCAmericanEngine at the same paths, dates and basis (Laguerre, order 3), on the contract's reference put.
// Usage: npm run build && node bench/american/run.mjs [--json]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { priceAmerican } from '../../dist/index.js';

const json = process.argv.includes('--json');
const put = { option: 'put', spot: 36, strike: 40, rate: 0.06, dividend: 0, volatility: 0.2, maturity: 1 };
const steps = 10_000;
const paths = 100_000;
const dates = 50;
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const peer = fileURLToPath(new URL('./quantlib_peer.py', import.meta.url));
const log = (s) => json || process.stderr.write(s + '\n');

function quantlib(method) {
  const args = [peer, '--method', method, '--steps', String(steps), '--paths', String(paths), '--dates', String(dates)];
  for (const k of ['option', 'spot', 'strike', 'rate', 'dividend', 'volatility', 'maturity']) args.push(`--${k}`, String(put[k]));
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8' }).trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

log('lattice: ours (warm-up, then 3 runs)...');
await priceAmerican({ ...put, steps }, { methods: ['lattice'] });
const lat = [];
for (let i = 0; i < 3; i++) lat.push((await priceAmerican({ ...put, steps }, { methods: ['lattice'] })).methods.lattice);
log('lattice: QuantLib...');
const qlLattice = quantlib('lattice');

log('LSM: ours (warm-up, then 3 runs)...');
await priceAmerican({ ...put, paths: 10_000 }, { methods: ['lsm'] });
const lsm = [];
for (let i = 0; i < 3; i++) lsm.push((await priceAmerican({ ...put, paths, seed: i + 1 }, { methods: ['lsm'] })).methods.lsm);
log('LSM: QuantLib...');
const qlLsm = quantlib('lsm');

const ourLattice = median(lat.map((r) => r.seconds));
const ourLsm = median(lsm.map((r) => r.lowerSeconds));
const result = {
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, quantlib: qlLattice.engine },
  problem: { ...put, steps, paths, dates, basis: 'laguerre (order 3)' },
  lattice: { ours: { price: lat[0].price, seconds: ourLattice }, quantlib: { price: qlLattice.price, seconds: qlLattice.seconds }, speedup: qlLattice.seconds / ourLattice },
  lsm: {
    ours: { price: lsm[0].lower, stdError: lsm[0].stdError, seconds: ourLsm, upper: lsm[0].upper, secondsWithDual: median(lsm.map((r) => r.seconds)) },
    quantlib: { price: qlLsm.price, stdError: qlLsm.errorEstimate, seconds: qlLsm.seconds },
    speedup: qlLsm.seconds / ourLsm,
  },
};
if (json) console.log(JSON.stringify(result));
else {
  const f = (x, d = 4) => x.toFixed(d);
  console.log(`\n${result.machine.cpu}, ${result.machine.cores} threads, Node ${result.machine.node}, ${result.machine.quantlib}`);
  console.log('| method | cher-hedger price | seconds | QuantLib price | seconds | speed-up |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| CRR lattice, ${steps} steps | ${f(lat[0].price, 6)} | ${f(ourLattice, 3)} | ${f(qlLattice.price, 6)} | ${f(qlLattice.seconds, 2)} | ${f(result.lattice.speedup, 1)}x |`);
  console.log(`| LSM, ${paths} + ${paths} paths, ${dates} dates | ${f(lsm[0].lower)} ± ${f(lsm[0].stdError)} | ${f(ourLsm, 3)} | ${f(qlLsm.price)} ± ${f(qlLsm.errorEstimate)} | ${f(qlLsm.seconds, 2)} | ${f(result.lsm.speedup, 1)}x |`);
  console.log(`\nOur LSM with its dual upper bound (${f(lsm[0].upper)}): ${f(result.lsm.ours.secondsWithDual, 3)} s.`);
}
