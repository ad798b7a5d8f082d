// The package as a stranger gets it: `npm pack`, the tarball checked by publint and arethetypeswrong,
// installed into an empty folder, and used from there (the CLI, both entry points in Node, and the types
// from a consumer's TypeScript). Needs `npm run build` (npm test's pretest does it) and the npm registry
// for the package's dependencies (lit, uplot; from the local cache when it has them).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

interface Run { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], cwd: string, timeout = 240_000): Promise<Run> {
  return new Promise((resolve) => {
    // npm's own environment variables (npm test runs this) would point a nested npm at this package.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    execFile(cmd, args, { cwd, timeout, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stderr || r.stdout}`);
  return r;
}

const work = mkdtempSync(join(tmpdir(), 'cher-pack-'));
const consumer = join(work, 'consumer');
let tarball = '';
let files: string[] = [];

beforeAll(async () => {
  const packed = ok(await run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_FLAGS], ROOT), 'npm pack');
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
  tarball = join(work, info.filename);
  files = info.files.map((f: { path: string }) => f.path);
  ok(await run('mkdir', ['-p', consumer], work), 'mkdir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  ok(await run('npm', ['install', tarball, ...NPM_FLAGS], consumer), `npm install ${tarball}`);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  test('holds the license, the bundles and one declaration file per entry point, and no internal types', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/cher-hedger.js', 'dist/index.js', 'dist/cli.js', 'dist/cher-hedger.js',
      'dist/custom-elements.json', 'dist/index.d.ts', 'dist/element.d.ts']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.d.ts')).sort()).toEqual(['dist/element.d.ts', 'dist/index.d.ts']);
    expect(files.filter((f) => f.startsWith('dist/types/') || /engine-binaries/.test(f))).toEqual([]);
    expect(readFileSync(join(consumer, 'node_modules/cher-hedger/LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the cher-hedger authors/);
  });

  test('publint reports nothing', async () => {
    const r = await run(join(BIN, 'publint'), ['run', tarball, '--strict'], ROOT);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/All good!/);
  });

  test('arethetypeswrong finds no problem (an ES-module-only package)', async () => {
    const r = await run(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], ROOT);
    const report = JSON.parse(r.stdout);
    // The JSON lists CommonJS and node10 resolutions too, which the esm-only profile (and the exit status) ignores.
    const esm = (report.analysis.problems as { kind: string; entrypoint: string; resolutionKind?: string }[])
      .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(esm).toEqual([]);
    expect(r.code).toBe(0);
    const entries = Object.keys(report.analysis?.entrypoints ?? {});
    expect(entries).toEqual(expect.arrayContaining(['.', './element']));
  });
});

describe('installed from the tarball into an empty folder', () => {
  test('npx cher-hedger train runs and prints its evaluation', async () => {
    const r = ok(await run('npx', ['--no-install', 'cher-hedger', 'train', '--iterations', '20', '--batch', '256', '--test-paths', '256', '--json'], consumer), 'cher-hedger train');
    const out = JSON.parse(r.stdout.trim());
    expect(out.iterations).toBe(20);
    expect(out.backend).toBe('wasm');
    expect(Number.isFinite(out.loss)).toBe(true);
    expect(out.bsPrice).toBeCloseTo(2.28715, 4); // in currency: the default spot is 100
    expect(Object.keys(out.evaluation)).toEqual(expect.arrayContaining(['bsDelta', 'network', 'noHedge', 'whalleyWilmott']));
    expect(out.evaluation.network.price).toBeGreaterThan(0);
    const bad = await run('npx', ['--no-install', 'cher-hedger', 'train', '--batch', 'many'], consumer);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--batch "many": an integer from 1 to/);
  });

  test("Node imports 'cher-hedger' and 'cher-hedger/element'; the element entry defines nothing", async () => {
    const script = `
      import * as api from 'cher-hedger';
      import * as element from 'cher-hedger/element';
      const trainer = await api.createTrainer({ batch: 64, testPaths: 64, workers: 1 });
      const p = await trainer.step(2);
      trainer.dispose();
      console.log(JSON.stringify({
        api: Object.keys(api).sort(), element: Object.keys(element).sort(), iteration: p.iteration,
        bs: api.bsPrice({ spot: 1, strike: 1, tau: 30 / 365, volatility: 0.2 }), defined: typeof element.defineCherHedger(),
        definedAmerican: typeof element.defineCherAmerican(),
        customElements: typeof globalThis.customElements, HTMLElement: typeof globalThis.HTMLElement,
      }));`;
    const r = ok(await run(process.execPath, ['--input-type=module', '-e', script], consumer), 'node import');
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.api).toEqual(expect.arrayContaining(['createTrainer', 'HedgingEnv', 'ReplayBuffer', 'ConfigError', 'bsPrice', 'CONFIG_KEYS']));
    expect(out.element).toEqual(['CherAmerican', 'CherBounds', 'CherHedger', 'defineCherAmerican', 'defineCherBounds', 'defineCherHedger']);
    expect(out.iteration).toBe(2);
    expect(out.bs).toBeCloseTo(0.0228715, 6);
    expect(out.defined).toBe('function');
    expect(out.definedAmerican).toBe('function');
    expect(out.customElements).toBe('undefined');
    expect(out.HTMLElement).toBe('undefined');
  });

  test("a consumer's TypeScript sees the API, the tag name map, the event map and the JSX typings", async () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [],
        strict: true, noEmit: true, skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }));
    writeFileSync(join(consumer, 'consumer.ts'), `
import { createTrainer, ConfigError, type EvaluationReport, type HedgerConfig } from 'cher-hedger';
import { CherAmerican, CherBounds, CherHedger, defineCherHedger, type AmericanReport, type CherErrorDetail } from 'cher-hedger/element';

const config: Partial<HedgerConfig> = { cost: 0.002, risk: 'cvar' };
export const trainer = createTrainer(config).then(async (t) => (await t.evaluate()).network.price);
export const isConfigError = (e: unknown): e is Error => e instanceof ConfigError;

defineCherHedger();
const el: CherHedger = document.createElement('cher-hedger');
const found: CherHedger | null = document.querySelector('cher-hedger');
el.addEventListener('cher-progress', (e) => { const iteration: number = e.detail.iteration; void iteration; });
el.addEventListener('cher-evaluation', (e) => { const report: EvaluationReport = e.detail; void report.bsPrice; });
el.addEventListener('cher-error', (e) => { const kind: CherErrorDetail['kind'] = e.detail.kind; void kind; });
export const state: string = el.state;
export const attrs: JSX.IntrinsicElements['cher-hedger'] = { risk: 'entropic', 'risk-aversion': 2, autostart: true };
// @ts-expect-error not a risk measure: the JSX typings are real types, not any
export const bad: JSX.IntrinsicElements['cher-hedger'] = { risk: 'var' };
// @ts-expect-error the event map types the detail
el.addEventListener('cher-progress', (e) => { const s: string = e.detail.iteration; void s; });
void found;
const american: CherAmerican = document.createElement('cher-american');
american.addEventListener('cher-evaluation', (e) => { const report: AmericanReport = e.detail; void report.methods.lattice?.price; });
american.addEventListener('cher-progress', (e) => { const f: number = e.detail.lsmFraction; void f; });
export const americanAttrs: JSX.IntrinsicElements['cher-american'] = { exercise: 'bermudan', dates: 12, 'dual-paths': 4096 };
// @ts-expect-error not an exercise style
export const badAmerican: JSX.IntrinsicElements['cher-american'] = { exercise: 'european' };
const bounds: CherBounds = document.createElement('cher-bounds');
bounds.quotes = [{ maturity: 0.5, strike: 100, call: 5.6 }];
export const lower: number | null | undefined = bounds.report?.result?.lower;
export const boundsAttrs: JSX.IntrinsicElements['cher-bounds'] = { payoff: 'asian', strike: 100, dates: '0.5,1', 'tree-steps': 100 };
// @ts-expect-error not a payoff of the bounds schema
export const badPayoff: JSX.IntrinsicElements['cher-bounds'] = { payoff: 'barrier' };
`);
    const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', consumer], consumer);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
