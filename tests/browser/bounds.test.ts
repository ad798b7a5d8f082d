// <cher-bounds> in a real browser: the built dist/cher-hedger.js in plain pages, driven by Debian's
// Chromium. Its bounds against priceBounds in Node on the same configuration, its charts and table, bad
// attributes, with and without WebGPU, accessibility in both colour schemes. Needs `npm run build`.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binomialMarginals, quotesFromMarginals } from '../../widget/models/bounds/marginals.js';
import { priceBounds, resolveBoundsConfig, type BoundsReport } from '../../widget/models/bounds/index.js';
import { SWIFTSHADER_ICD } from '../webgpu/gate.js';
import { ARTIFACTS, NO_WEBGPU, RECORD_EVENTS, launch, page, startServer, type Server } from './helpers.js';

/** the contract's reference: binomial marginals, S0 100, sigma 0.2, 100 steps, dates 0.5 and 1. */
const REFERENCE = { payoff: 'forward-start', spot: 100, volatility: 0.2, treeSteps: 100, dates: [0.5, 1] } as const;
const SPEC_BOUNDS = [2.5516, 6.9876];
/** The entropic solver's tolerance on the reference (docs/numerics-bounds.md). */
const ENTROPIC_TOLERANCE = 5e-3;
const CHARTS = ['interval', 'convergence', 'marginals', 'coupling-lower', 'coupling-upper', 'strategy'];

const PAGES: Record<string, string> = {
  '/b/ref.html': page('<cher-bounds id="ref" autostart payoff="forward-start" tree-steps="100" dates="0.5,1"></cher-bounds>'),
  '/b/idle.html': page(`<main><h1>Bounds</h1>
    <section aria-labelledby="h1"><h2 id="h1">Idle, with controls</h2><cher-bounds id="idle" controls></cher-bounds></section>
    <section aria-labelledby="h2"><h2 id="h2">Invalid</h2><cher-bounds id="bad" dates="1,0.5"></cher-bounds></section>
    <section aria-labelledby="h3"><h2 id="h3">Solving</h2><div id="later"></div></section></main>`),
  '/b/quotes.html': page('<cher-bounds id="q" autostart></cher-bounds>'),
  '/b/webgpu.html': page('<cher-bounds id="gpu" autostart backend="webgpu" payoff="forward-start" tree-steps="100" dates="0.5,1"></cher-bounds>'),
  '/b/nogpu.html': page('<cher-bounds id="ref" autostart payoff="forward-start" tree-steps="100" dates="0.5,1"></cher-bounds><cher-bounds id="forced" autostart backend="webgpu"></cher-bounds>'),
  '/b/three.html': page('<cher-bounds id="three" autostart payoff="asian" strike="100" dates="0.25,0.5,1" tree-steps="24"></cher-bounds>'),
  '/b/stop.html': page('<cher-bounds id="stop" autostart iterations="300" payoff="forward-start" tree-steps="100" dates="0.5,1"></cher-bounds>'),
  '/b/shared.html': page(`<cher-hedger id="hedger" autostart batch="256" test-paths="512" style="--cher-hedger-chart-height: 80px"></cher-hedger>
    <cher-bounds id="shared" autostart tree-steps="200" style="--cher-bounds-chart-height: 80px"></cher-bounds>`),
  '/b/bad.html': page([
    '<cher-bounds id="dates" autostart dates="1,0.5"></cher-bounds>',
    '<cher-bounds id="asian" autostart payoff="asian" dates="0.5,1"></cher-bounds>',
    '<cher-bounds id="json" autostart quotes="[{&quot;maturity&quot;: 0.5,"></cher-bounds>',
    '<cher-bounds id="csv" autostart quotes="maturity,strike,call\n0.5,100,abc"></cher-bounds>',
    // Convex curves, but the later date is cheaper at strike 90: a calendar arbitrage.
    '<cher-bounds id="arb" autostart quotes="maturity,strike,call\n0.5,90,12\n0.5,100,5\n0.5,110,1.5\n1,90,11\n1,100,6\n1,110,2"></cher-bounds>',
  ].join('')),
};

let browser: Browser;
let server: Server;
let node: BoundsReport;
let nodeSweeps = 0;
const contexts: BrowserContext[] = [];

async function open(path: string, init: string[] = [], options: Parameters<Browser['newContext']>[0] = {}, b = browser): Promise<Page & { errors: string[] }> {
  const context = await b.newContext({ viewport: { width: 1100, height: 1000 }, ...options });
  contexts.push(context);
  for (const script of init) await context.addInitScript({ content: script });
  const p = (await context.newPage()) as Page & { errors: string[] };
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') p.errors.push(m.text());
  });
  await p.goto(server.url + path);
  return p;
}

/** Waits until the element has finished solving and drawn `charts` charts. */
async function waitForBounds(p: Page, selector: string, charts: number, timeout = 90_000): Promise<void> {
  await p.waitForFunction(
    ([sel, n]) => {
      const el = document.querySelector(sel as string) as any;
      return !!el && el.getAttribute('state') === 'done' && el.shadowRoot.querySelectorAll('.plot canvas').length >= (n as number);
    },
    [selector, charts] as const,
    { timeout, polling: 100 },
  );
}

/** What the element shows: state, report, progress, drawn charts and every value they hold, the table, the status. */
async function snapshot(p: Page, selector: string) {
  return p.$eval(selector, (el: any) => {
    const root = el.shadowRoot as ShadowRoot;
    const charts: Record<string, { points: number; bad: number; series: number }> = {};
    for (const [id, chart] of el.charts?.charts ?? []) {
      let points = 0;
      let bad = 0;
      for (const column of chart.data) {
        for (const v of column) {
          points++;
          if (!(v === null || (typeof v === 'number' && Number.isFinite(v)))) bad++;
        }
      }
      charts[id] = { points, bad, series: chart.data.length - 1 };
    }
    const r = el.report;
    return {
      state: el.getAttribute('state'),
      backend: el.activeBackend,
      lower: r?.result?.lower, upper: r?.result?.upper, gap: r?.result?.gap, modelPrice: r?.modelPrice,
      inside: r?.result?.modelInside, couplings: r?.result?.couplings ? r.result.couplings.lower.length : 0,
      sweeps: el.progress?.iteration ?? 0,
      charts,
      canvases: [...root.querySelectorAll('[part~=chart] .plot')].filter((b) => b.querySelector('canvas')).map((b) => (b as HTMLElement).dataset.chart),
      table: [...root.querySelectorAll('table.stats tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim())),
      status: root.querySelector('[part=status]')!.textContent!,
      message: root.querySelector('[part=message]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
    };
  });
}

/** axe-core's violations on the whole page (shadow roots included), one line each. */
async function axeViolations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ url: '/node_modules/axe-core/axe.min.js' });
  const result = await p.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, server, node] = await Promise.all([launch(), startServer(PAGES), priceBounds(REFERENCE, { solver: 'entropic', onProgress: (p) => void (p.entropic && nodeSweeps++) })]);
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

function expectReference(s: Awaited<ReturnType<typeof snapshot>>): void {
  // The same solver on the same problem as in Node, and the the contract's bounds within the entropic tolerance.
  expect(s.lower).toBeCloseTo(node.lower, 6);
  expect(s.upper).toBeCloseTo(node.upper, 6);
  expect(Math.abs(s.lower - SPEC_BOUNDS[0])).toBeLessThan(ENTROPIC_TOLERANCE);
  expect(Math.abs(s.upper - SPEC_BOUNDS[1])).toBeLessThan(ENTROPIC_TOLERANCE);
  expect(s.modelPrice).toBeCloseTo(node.modelPrice!, 9);
  expect(s.lower).toBeLessThan(s.modelPrice);
  expect(s.modelPrice).toBeLessThan(s.upper);
  expect(s.inside).toBe(true);
}

describe('<cher-bounds> in Chromium', () => {
  it('solves the the contract reference to the bounds priceBounds finds in Node, with its charts, table and events', async () => {
    const p = await open('/b/ref.html', [RECORD_EVENTS]);
    await waitForBounds(p, '#ref', CHARTS.length);
    await p.waitForTimeout(300);
    const s = await snapshot(p, '#ref');
    await p.screenshot({ path: join(ARTIFACTS, 'cher-bounds.png'), fullPage: true });
    expectReference(s);
    expect(s.backend).toBe('wasm');
    expect(s.couplings).toBe(51);
    // Every chart drawn, with data and no NaN; the interval chart holds the solve's history, not just its end.
    expect(s.canvases.sort()).toEqual([...CHARTS].sort());
    for (const id of CHARTS) {
      expect(s.charts[id]?.points, id).toBeGreaterThan(10);
      expect(s.charts[id]?.bad, id).toBe(0);
    }
    expect(s.charts.interval.points).toBeGreaterThan(5 * 10);
    expect(s.charts.strategy.series).toBe(4);
    // The table: the solver's row with the bounds, gap, time, model price and "yes".
    expect(s.table[0]).toEqual(['Solver', 'Lower', 'Upper', 'Gap', 'Time', 'Model', 'Inside']);
    expect(s.table[1][0]).toBe('entropic');
    expect(Number(s.table[1][1])).toBeCloseTo(node.lower, 4);
    expect(Number(s.table[1][2])).toBeCloseTo(node.upper, 4);
    expect(Number(s.table[1][5])).toBeCloseTo(node.modelPrice!, 4);
    expect(s.table[1][6]).toBe('yes');
    expect(s.status).toMatch(/WASM/);
    expect(s.status).toMatch(/sweep [\d,]+/);
    expect(s.status).toContain(`[${node.lower.toPrecision(6)}, ${node.upper.toPrecision(6)}]`);
    // Events bubble to window, composed; progress came while solving, the bounds narrowing.
    const events = await p.evaluate(() => (window as any).__events as { name: string; bubbles: boolean; composed: boolean; detail: any }[]);
    expect(events.every((e) => e.bubbles && e.composed)).toBe(true);
    const progress = events.filter((e) => e.name === 'cher-progress').map((e) => e.detail);
    // Progress comes four times a second: a fast machine solves the reference in a few of them.
    expect(progress.length).toBeGreaterThan(1);
    const sweeps = progress.map((d) => d.iteration);
    expect(sweeps[sweeps.length - 1]).toBeGreaterThan(sweeps[0]);
    expect(progress[progress.length - 1].lower).toBeCloseTo(node.lower, 6);
    // The interval chart holds the bounds of the annealing's stages: the lower rising, the upper falling.
    const [lower, upper] = await p.$eval('#ref', (el: any) => el.charts.charts.get('interval').data.slice(1, 3)
      .map((c: (number | null)[]) => c.filter((v) => v !== null)));
    expect(new Set(lower).size).toBeGreaterThan(3);
    expect(lower[0]).toBeLessThan(lower[lower.length - 1]);
    expect(upper[0]).toBeGreaterThan(upper[upper.length - 1]);
    expect(events.some((e) => e.name === 'cher-backend' && e.detail.backend === 'wasm')).toBe(true);
    const last = events.filter((e) => e.name === 'cher-evaluation').pop()!.detail;
    expect(last.result.lower).toBeCloseTo(node.lower, 6);
    expect(events.some((e) => e.name === 'cher-error')).toBe(false);
    expect(p.errors).toEqual([]);
  });

  it('takes quotes as a property: quotes computed from the binomial marginals give the same bounds', async () => {
    const quotes = quotesFromMarginals(binomialMarginals(resolveBoundsConfig(REFERENCE)));
    const p = await open('/b/quotes.html');
    await p.$eval('#q', (el: any, q) => (el.quotes = q), quotes);
    await waitForBounds(p, '#q', CHARTS.length);
    const s = await snapshot(p, '#q');
    expect(Math.abs(s.lower - node.lower)).toBeLessThan(1e-3);
    expect(Math.abs(s.upper - node.upper)).toBeLessThan(1e-3);
    // Quotes carry no model: no price, the table says so.
    expect(s.modelPrice).toBe(null);
    expect(s.table[1][5]).toBe('–');
    expect(s.message).toBe(null);
    expect(p.errors).toEqual([]);
  });

  it('bounds a 3-date Asian call: no coupling pictures (they need two dates), three static positions a side', async () => {
    const config = { payoff: 'asian', strike: 100, dates: [0.25, 0.5, 1], treeSteps: 24 } as const;
    const p = await open('/b/three.html');
    await waitForBounds(p, '#three', 4);
    const s = await snapshot(p, '#three');
    const r = await priceBounds(config, { solver: 'entropic' });
    expect(s.lower).toBeCloseTo(r.lower, 6);
    expect(s.upper).toBeCloseTo(r.upper, 6);
    expect(s.inside).toBe(true);
    expect(s.canvases.sort()).toEqual(['convergence', 'interval', 'marginals', 'strategy']);
    expect(s.charts.strategy.series).toBe(6);
    expect(s.charts.marginals.series).toBe(3);
    for (const c of Object.values(s.charts)) expect(c.bad).toBe(0);
    expect(p.errors).toEqual([]);
  });

  it('stops after `iterations` sweeps and resumes the parked solve where it stopped, to the same bounds', async () => {
    const p = await open('/b/stop.html');
    await p.waitForFunction(() => document.querySelector('#stop')!.getAttribute('state') === 'done', null, { timeout: 60_000 });
    const stopped = await snapshot(p, '#stop');
    expect(stopped.sweeps).toBe(300);
    expect(stopped.lower).toBeUndefined();
    expect(stopped.table[1][0]).toBe('entropic (solving)');
    await p.$eval('#stop', (el: any) => {
      el.removeAttribute('iterations');
      return el.updateComplete.then(() => el.start());
    });
    await waitForBounds(p, '#stop', CHARTS.length);
    const s = await snapshot(p, '#stop');
    // Parked and resumed, not restarted: as many sweeps as the uninterrupted solve in Node.
    expect(s.sweeps).toBe(nodeSweeps);
    expectReference(s);
    expect(p.errors).toEqual([]);
  });

  it("shares the page's worker: a <cher-hedger> beside it keeps training while it solves", async () => {
    const p = await open('/b/shared.html', [RECORD_EVENTS]);
    await waitForBounds(p, '#shared', CHARTS.length, 120_000);
    const order = await p.evaluate(() => (window as any).__events.filter((e: any) => e.name === 'cher-progress').map((e: any) => e.target));
    const first = order.indexOf('shared');
    const last = order.lastIndexOf('shared');
    // The hedger reported progress between the solver's first and last reports: it had turns meanwhile.
    expect(order.slice(first, last).filter((t: string) => t === 'hedger').length).toBeGreaterThan(2);
    expect(await p.$eval('#hedger', (el) => el.getAttribute('state'))).toBe('training');
    const s = await snapshot(p, '#shared');
    expect(s.inside).toBe(true);
    expect(p.errors).toEqual([]);
  });

  it('a bad attribute shows a message naming it and fires cher-error; nothing starts', async () => {
    const p = await open('/b/bad.html', [RECORD_EVENTS]);
    await p.waitForFunction(() => [...document.querySelectorAll('cher-bounds')].every((el) => el.getAttribute('state') === 'invalid'), null, { timeout: 20_000 });
    const expected: Record<string, RegExp> = {
      dates: /dates="1,0\.5".*strictly increasing/,
      asian: /strike=.*required by payoff asian/,
      json: /quotes=.*JSON does not parse/,
      csv: /quotes=.*line 2: expected three numbers/,
      arb: /quotes=.*calendar.*\b90\b|quotes=.*\b90\b.*calendar/i,
    };
    for (const [id, pattern] of Object.entries(expected)) {
      const s = await snapshot(p, `#${id}`);
      expect(s.message, id).toMatch(pattern);
      expect(s.canvases, id).toEqual([]);
    }
    const errors = await p.evaluate(() => (window as any).__events.filter((e: any) => e.name === 'cher-error'));
    expect(errors.map((e: any) => e.target).sort()).toEqual(Object.keys(expected).sort());
    for (const e of errors) {
      expect(e.detail.kind).toBe('config');
      expect(e.detail.problems.length).toBeGreaterThan(0);
      expect(e.bubbles && e.composed).toBe(true);
    }
    // Fixing the attribute starts the element.
    await p.$eval('#dates', (el) => el.setAttribute('dates', '0.5,1'));
    await waitForBounds(p, '#dates', CHARTS.length);
    expect((await snapshot(p, '#dates')).message).toBe(null);
    expect(p.errors).toEqual([]);
  });

  it('solves with backend="webgpu" on SwiftShader in its worker: reports WebGPU, the WASM solve\'s bounds', async (ctx) => {
    const p = await open('/b/webgpu.html', [RECORD_EVENTS]);
    // The capability gate: an adapter in this Chromium (--enable-unsafe-webgpu). Where Debian's SwiftShader
    // is installed its absence is a failure, elsewhere the test is skipped, loudly.
    const adapter = await p.evaluate(async () => !!(await (navigator as any).gpu?.requestAdapter()));
    if (!adapter) {
      if (existsSync(SWIFTSHADER_ICD)) throw new Error(`Chromium found no WebGPU adapter although ${SWIFTSHADER_ICD} is installed`);
      console.warn('SKIPPING <cher-bounds> on WebGPU: this Chromium has no WebGPU adapter');
      ctx.skip();
    }
    await waitForBounds(p, '#gpu', CHARTS.length, 120_000);
    const s = await snapshot(p, '#gpu');
    expect(s.backend).toBe('webgpu');
    expect(s.status).toMatch(/^WebGPU/);
    // f32 sweeps, f64 rounding: the WASM solve's bounds to the parity of tests/bounds/entropic-webgpu.test.ts.
    expect(Math.abs(s.lower - node.lower)).toBeLessThan(1e-5);
    expect(Math.abs(s.upper - node.upper)).toBeLessThan(1e-5);
    expect(Math.abs(s.lower - SPEC_BOUNDS[0])).toBeLessThan(ENTROPIC_TOLERANCE);
    expect(Math.abs(s.upper - SPEC_BOUNDS[1])).toBeLessThan(ENTROPIC_TOLERANCE);
    expect(s.inside).toBe(true);
    for (const id of CHARTS) expect(s.charts[id]?.bad, id).toBe(0);
    const events = await p.evaluate(() => (window as any).__events as { name: string; detail: any }[]);
    expect(events.find((e) => e.name === 'cher-backend')?.detail.backend).toBe('webgpu');
    expect(events.filter((e) => e.name === 'cher-evaluation').pop()!.detail.result.backend).toBe('webgpu');
    expect(p.errors).toEqual([]);
  });

  it('solves on WASM with WebGPU hidden from the page and its worker; backend="webgpu" there says why not', async () => {
    const plain = await launch({ webgpu: false });
    try {
      const context = await plain.newContext({ viewport: { width: 1100, height: 1000 } });
      await context.addInitScript({ content: NO_WEBGPU });
      const p = await context.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(server.url + '/b/nogpu.html');
      expect(await p.evaluate(() => 'gpu' in navigator && (navigator as any).gpu !== undefined)).toBe(false);
      await waitForBounds(p, '#ref', CHARTS.length);
      const s = await snapshot(p, '#ref');
      expectReference(s);
      expect(s.backend).toBe('wasm');
      expect(s.status).toMatch(/^WASM/);
      await p.waitForFunction(() => document.querySelector('#forced')!.getAttribute('state') === 'error', null, { timeout: 20_000 });
      expect((await snapshot(p, '#forced')).message).toMatch(/backend = "webgpu" cannot run here.*Use backend = "auto" or "wasm"/);
      expect(errors).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('fits 360 px: its table of seven columns is not clipped, the page does not scroll sideways', async () => {
    const p = await open('/b/ref.html', [], { viewport: { width: 360, height: 800 } });
    await waitForBounds(p, '#ref', CHARTS.length);
    const widths = await p.$eval('#ref', (el) => {
      const table = el.shadowRoot!.querySelector('table.stats')!;
      return { table: table.scrollWidth, box: table.parentElement!.clientWidth, page: document.documentElement.scrollWidth };
    });
    expect(widths.table).toBeLessThanOrEqual(widths.box);
    expect(widths.page).toBeLessThanOrEqual(360);
    expect(p.errors).toEqual([]);
  });

  it('has no axe-core violations idle, invalid and solved, in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const p = await open('/b/idle.html', [], { colorScheme: scheme });
      await p.waitForFunction(() => document.querySelector('#bad')!.getAttribute('state') === 'invalid');
      // Idle on screen: the solver is set up and the marginals drawn, though nothing is solved yet (the
      // charts still empty must not hold the others back).
      await p.waitForFunction(() => !!document.querySelector('#idle')!.shadowRoot!.querySelector('[part~=chart-marginals] canvas'), null, { timeout: 20_000 });
      expect(await p.$eval('#idle', (el) => el.getAttribute('state'))).toBe('ready');
      expect(await axeViolations(p), `${scheme}: idle and invalid`).toEqual([]);
      await p.evaluate(() => document.querySelector('#later')!.insertAdjacentHTML('beforeend', '<cher-bounds id="run" autostart></cher-bounds>'));
      await waitForBounds(p, '#run', CHARTS.length);
      expect(await axeViolations(p), `${scheme}: solved`).toEqual([]);
      await p.screenshot({ path: join(ARTIFACTS, `cher-bounds-${scheme}.png`), fullPage: true });
      expect(p.errors).toEqual([]);
    }
  });
});
