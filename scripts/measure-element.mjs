#!/usr/bin/env node
// Measures the element's figures for the README (not a test: it reports, it does not judge):
//   1. dist/cher-hedger.js size, raw and gzipped (and how much of it is the inlined worker);
//   2. time from the element entering the viewport to its first chart (median of several fresh pages);
//   3. the main thread's longest task while elements train (from a Chromium performance trace);
//   4. the total training throughput of four elements on one page against one element alone (they share one
//      worker and its threads, so four should train as fast in total as one).
// Usage: npm run build && node scripts/measure-element.mjs [--runs 5] [--seconds 10] [--elements 2] [--webgpu]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { gzipSize } from './size.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = opt('--runs', 5);
const SECONDS = opt('--seconds', 10);
const WEBGPU = args.includes('--webgpu');
const ELEMENTS = opt('--elements', 2);

// 1. Size.
const bundle = readFileSync('dist/cher-hedger.js');
const gz = gzipSize(bundle);
const text = bundle.toString('utf8');
// The worker is the one long string literal that starts a classic script.
const start = text.search(/(['"`])!function\(\)\{"use strict"/);
let end = start + 1;
while (start >= 0 && end < text.length && text[end] !== text[start]) end += text[end] === '\\' ? 2 : 1;
const workerMatch = start >= 0 && end < text.length ? [text.slice(start, end + 1)] : null;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`bundle            dist/cher-hedger.js ${kb(bundle.length)} raw, ${kb(gz)} gzipped (gzip -9)`);
if (workerMatch) {
  const wgz = gzipSize(workerMatch[0]);
  console.log(`  of which worker  ${kb(workerMatch[0].length)} raw, ${kb(wgz)} gzipped alone (trainer, engines, WASM binaries, shaders)`);
}

const args0 = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: WEBGPU ? [...args0, '--enable-unsafe-webgpu'] : args0 });
const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>measure</title>
<script type="module" src="/dist/cher-hedger.js"></script></head><body style="margin:0">${body}</body></html>`;
const { url, close } = await serve({
  root: '.',
  pages: {
    '/m/first.html': page('<div style="height:2000px">spacer</div><cher-hedger id="el" autostart style="width:900px"></cher-hedger><div style="height:2000px"></div>'),
    '/m/one.html': page('<cher-hedger autostart style="width:900px"></cher-hedger>'),
    '/m/four.html': page('<cher-hedger autostart style="width:900px"></cher-hedger>'.repeat(4)),
    '/m/train.html': page(
      ['<cher-hedger autostart controls style="width:900px"></cher-hedger>', '<cher-hedger autostart cost="0.005" risk="entropic" style="width:900px"></cher-hedger>']
        .slice(0, ELEMENTS).join(''),
    ),
  },
});

// 2. Viewport to first chart: the element is below the fold; once the module has loaded and the page is
// idle, scroll it in and time until a chart canvas exists (the first chart draws the untrained network's
// evaluation on the test set, which needs the worker, the engine and one evaluation).
const firsts = [];
const readies = [];
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const p = await context.newPage();
  await p.goto(`${url}/m/first.html`);
  await p.waitForFunction(() => customElements.get('cher-hedger'));
  await p.waitForTimeout(300);
  const t = await p.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.getElementById('el');
        let entered = 0;
        let ready = 0;
        el.addEventListener('cher-backend', () => (ready = performance.now()));
        new IntersectionObserver((entries, obs) => {
          if (entries.some((e) => e.isIntersecting)) {
            entered = performance.now();
            obs.disconnect();
          }
        }).observe(el);
        const poll = () => {
          if (entered && el.shadowRoot.querySelector('.plot canvas')) resolve({ first: performance.now() - entered, ready: ready - entered });
          else requestAnimationFrame(poll);
        };
        el.scrollIntoView();
        requestAnimationFrame(poll);
      }),
  );
  firsts.push(t.first);
  readies.push(t.ready);
  await context.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`first chart       ${median(firsts).toFixed(0)} ms median from entering the viewport (runs: ${firsts.map((x) => x.toFixed(0)).join(', ')} ms; engine ready after ${median(readies).toFixed(0)} ms); default configuration (batch 4096, test-paths 16384)`);

// 3. Longest main-thread task while one or two elements (default configuration; the second with costs) train.
{
  const context = await browser.newContext({ viewport: { width: 1000, height: 1800 } });
  const p = await context.newPage();
  await p.goto(`${url}/m/train.html`);
  await p.waitForFunction(() => [...document.querySelectorAll('cher-hedger')].every((el) => el.getAttribute('state') === 'training'), null, { timeout: 60_000 });
  await browser.startTracing(p, { categories: ['toplevel'] });
  await p.waitForTimeout(SECONDS * 1000);
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const runs = events.filter((e) => (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  const tasks = runs.map((e) => e.dur / 1000).sort((a, b) => b - a);
  // Thread time (CPU actually spent on the main thread): on two cores shared with the training threads,
  // wall time also counts the moments the OS gave the core to a worker.
  const cpu = runs.map((e) => (e.tdur ?? e.dur) / 1000).sort((a, b) => b - a);
  const it = await p.$$eval('cher-hedger', (els) => els.map((el) => `${el.activeBackend} ${el.progress.iteration} it, ${(el.progress.pathStepsPerSecond / 1e6).toFixed(2)}M path-steps/s`));
  console.log(`longest task      ${tasks[0]?.toFixed(1)} ms on the main thread over ${SECONDS} s of training (${tasks.length} tasks; next longest ${tasks.slice(1, 4).map((x) => x.toFixed(1)).join(', ')} ms; over 50 ms: ${tasks.filter((x) => x > 50).length}; longest in main-thread CPU time ${cpu[0]?.toFixed(1)} ms); ${ELEMENTS} element(s): ${it.join('; ')}`);
  await context.close();
}

// 4. Total throughput, one element against four (default configuration, WASM unless --webgpu), from the
// iterations every element completes over the same wall-clock window.
const totals = {};
for (const name of ['one', 'four']) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 6000 } });
  const p = await context.newPage();
  await p.goto(`${url}/m/${name}.html`);
  await p.waitForFunction(() => [...document.querySelectorAll('cher-hedger')].every((el) => el.getAttribute('state') === 'training'), null, { timeout: 90_000 });
  await p.waitForTimeout(2000);
  const count = () => p.$$eval('cher-hedger', (els) => els.reduce((n, el) => n + el.progress.iteration, 0));
  const before = await count();
  await p.waitForTimeout(SECONDS * 1000);
  const after = await count();
  totals[name] = ((after - before) * 4096 * 30) / SECONDS;
  await context.close();
}
console.log(`four vs one       ${(totals.four / 1e6).toFixed(2)}M path-steps/s in total for four elements on one page, ${(totals.one / 1e6).toFixed(2)}M for one alone (${(totals.four / totals.one).toFixed(2)}x)`);

await browser.close();
await close();
