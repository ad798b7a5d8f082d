// <cher-american> in a real browser: the built dist/cher-hedger.js in plain pages, driven by Debian's
// Chromium, its numbers checked against priceAmerican run in Node on the same configuration. Needs
// `npm run build` (npm test's pretest does it).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceAmerican, type AmericanReport } from '../../widget/models/american/price.js';
import {
  COUNT_WORKERS, NO_WEBGPU, RECORD_EVENTS, SMALL, axeViolations, chartValues, launch, page, startServer, state, waitForTraining,
  type Server,
} from './helpers.js';

/** Small enough for two shared cores; the lattice still at thousands of steps; a short network run. */
const CONFIG = { steps: 2000, paths: 20_000, dualPaths: 2048 };
const ITERATIONS = 40;
const ATTRS = `steps="2000" paths="20000" dual-paths="2048" batch="256" iterations="${ITERATIONS}"`;
const BERMUDAN = { ...CONFIG, exercise: 'bermudan' as const, dates: 12, option: 'call' as const, dividend: 0.04, spot: 44 };

/** Each bad attribute on its own element, so each message has one attribute to name. */
const BAD: Record<string, { attrs: string; attribute: string; allowed: RegExp }> = {
  vol: { attrs: 'volatility="-0.2"', attribute: 'volatility', allowed: /greater than 0/ },
  spot: { attrs: 'spot="0"', attribute: 'spot', allowed: /greater than 0/ },
  dates: { attrs: 'dates="10"', attribute: 'dates', allowed: /only with exercise = bermudan/ },
  steps: { attrs: 'steps="100.5"', attribute: 'steps', allowed: /integer/ },
};

const PAGES: Record<string, string> = {
  '/a/one.html': page(`<cher-american id="a" autostart ${ATTRS}></cher-american>`),
  '/a/lazy.html': page(`<cher-american id="l" ${ATTRS}></cher-american>`),
  '/a/bermudan.html': page(`<cher-american id="b" autostart controls ${ATTRS} exercise="bermudan" dates="12" option="call" dividend="0.04" spot="44"></cher-american>`),
  '/a/bad.html': page(Object.entries(BAD).map(([id, b]) => `<cher-american id="${id}" autostart ${b.attrs}></cher-american>`).join('')),
  '/a/axe.html': page(`<main><h1>American options</h1><cher-american id="b" autostart controls ${ATTRS} exercise="bermudan" dates="12" option="call" dividend="0.04" spot="44"></cher-american></main>`),
  '/a/both.html': page(`<cher-hedger id="h" autostart ${SMALL}></cher-hedger><cher-american id="a" autostart ${ATTRS}></cher-american>`),
};

let browser: Browser;
let server: Server;
let expected: AmericanReport;
let bermudan: AmericanReport;
const contexts: BrowserContext[] = [];

async function open(path: string, init: string[] = [], options: Parameters<Browser['newContext']>[0] = {}, b = browser): Promise<Page & { errors: string[] }> {
  const context = await b.newContext({ viewport: { width: 1100, height: 900 }, ...options });
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

/** Waits for the element to finish (lattice, LSM, then the network) and its charts to be drawn. */
async function waitForDone(p: Page, selector: string, timeout = 60_000): Promise<void> {
  await p.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel) as any;
      return el?.getAttribute('state') === 'done' && !!el.report?.methods.lsm && el.shadowRoot.querySelectorAll('.plot canvas').length >= 3;
    },
    selector,
    { timeout, polling: 100 },
  );
}

/** What the element shows: its report's numbers, its charts' data, its table and status line. */
function shown(p: Page, selector: string) {
  return p.$eval(selector, (el: any) => {
    const text = (q: string) => el.shadowRoot.querySelector(q)?.textContent.replace(/\s+/g, ' ').trim() ?? null;
    const rows = [...el.shadowRoot.querySelectorAll('.stats tbody tr')].map((tr: any) =>
      [...tr.children].map((c: any) => c.textContent.replace(/\s+/g, ' ').trim()));
    const chart = (id: string) => {
      const c = el.charts?.charts.get(id);
      return c ? { series: c.series.map((s: any) => s.label), data: c.data.map((col: any) => [...col]) } : null;
    };
    return {
      report: JSON.parse(JSON.stringify(el.report)), state: el.getAttribute('state'), title: text('[part=title]'),
      // The separators are CSS (::before), so the parts are joined here as the reader sees them.
      status: [...el.shadowRoot.querySelectorAll('[part=status] span')].map((sp: any) => sp.textContent).join(' · '),
      rows, note: text('.stats + .note'), boundary: chart('boundary'), value: chart('value'), premium: chart('premium'),
      td: chart('td'), convergence: chart('convergence'),
      canvases: {
        boundary: !!el.shadowRoot.querySelector('[part~=chart-boundary] .plot canvas'),
        value: !!el.shadowRoot.querySelector('[part~=chart-value] .plot canvas'),
      },
      networkCanvases: {
        td: !!el.shadowRoot.querySelector('[part~=chart-td] .plot canvas'),
        convergence: !!el.shadowRoot.querySelector('[part~=chart-convergence] .plot canvas'),
      },
    };
  });
}

const events = (p: Page) => p.evaluate(() => (window as any).__events as { name: string; bubbles: boolean; composed: boolean; detail: any; target: string }[]);

beforeAll(async () => {
  [browser, server, expected, bermudan] = await Promise.all([launch(), startServer(PAGES), priceAmerican(CONFIG), priceAmerican(BERMUDAN)]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('<cher-american> in Chromium', () => {
  it('prices from the built bundle: its charts and table show the numbers priceAmerican gives in Node', async () => {
    const p = await open('/a/one.html', [RECORD_EVENTS]);
    await waitForDone(p, '#a');
    const s = await shown(p, '#a');
    const r = s.report as AmericanReport;
    // The same WASM and seed: the same numbers as in Node.
    expect(r.methods.lattice!.price).toBeCloseTo(expected.methods.lattice!.price, 10);
    expect(r.methods.lsm!.lower).toBeCloseTo(expected.methods.lsm!.lower, 10);
    expect(r.methods.lsm!.upper).toBeCloseTo(expected.methods.lsm!.upper, 10);
    expect(r.methods.lsm!.stdError).toBeCloseTo(expected.methods.lsm!.stdError, 10);
    expect(r.european).toBeCloseTo(expected.european, 12);
    expect(r.earlyExercisePremium).toBeCloseTo(expected.earlyExercisePremium, 10);
    // The charts hold the report's boundary and V(0, S) curve.
    expect(s.canvases).toEqual({ boundary: true, value: true });
    expect(s.value!.series).toEqual(['spot', 'American V(0, S)', 'European', 'payoff']);
    expect(s.value!.data[0]).toEqual(expected.curve!.spot);
    s.value!.data[1].forEach((v: number, i: number) => expect(v).toBeCloseTo(expected.curve!.value[i], 10));
    s.value!.data[2].forEach((v: number, i: number) => expect(v).toBeCloseTo(expected.curve!.european[i], 12));
    s.premium!.data[1].forEach((v: number, i: number) => expect(v).toBeCloseTo(expected.curve!.value[i] - expected.curve!.european[i], 10));
    // An American put is worth at least its European twin everywhere (the premium is never negative).
    expect(s.premium!.data[1].every((v: number) => v > -1e-9)).toBe(true);
    expect(s.boundary!.series).toEqual(['time (years)', 'lattice S*(t)', 'LSM S*(t)', 'strike']);
    const latticeBoundary = expected.methods.lattice!.boundary;
    const latticeTimes = latticeBoundary.time.filter((_, i) => latticeBoundary.spot[i] !== null);
    const drawn = s.boundary!.data[0].filter((_: number, i: number) => s.boundary!.data[1][i] !== null);
    expect(drawn).toEqual(latticeTimes);
    expect(s.boundary!.data[2].filter((v: number | null) => v !== null).length).toBeGreaterThan(10);
    // A put's boundary lies below the strike.
    expect(s.boundary!.data[1].every((v: number | null) => v === null || (v > 0 && v < 40))).toBe(true);
    // The table: every method, the European value, the premium, and the foresight number labelled as biased.
    const f = (x: number) => x.toFixed(4);
    const lsm = expected.methods.lsm!;
    const row = (name: RegExp) => s.rows.find((cells: string[]) => name.test(cells[0]));
    expect(row(/^Lattice \(CRR, 2,000 steps\)$/)!.slice(1, 2)).toEqual([f(expected.methods.lattice!.price)]);
    expect(row(/^LSM \(50 dates, 20,000 paths\)$/)!.slice(1, 4)).toEqual([f(lsm.lower), `[${f(lsm.lower)}, ${f(lsm.upper)}]`, `${f(lsm.stdError)} / ${f(lsm.upperStdError)}`]);
    expect(row(/^European/)![1]).toBe(f(expected.european));
    expect(row(/^Early-exercise premium/)![1]).toBe(f(expected.earlyExercisePremium));
    const foresight = row(/foresight/i)!;
    expect(foresight[0]).toBe('Perfect foresight: biased high, not a price');
    expect(foresight[1]).toBe(`(${f(lsm.foresight.biasedPrice)})`);
    expect(s.note).toMatch(/biased high/);
    // The network's rows show exactly what the report holds: its own value (labelled biased high) and its
    // stopping rule's lower bound with its standard error.
    const net = r.methods.network!;
    expect(net.iteration).toBe(ITERATIONS);
    expect(Number.isFinite(net.price) && Number.isFinite(net.lower) && Number.isFinite(net.stdError)).toBe(true);
    const own = row(/^Value network \(50 dates, 40 iterations\)/)!;
    expect(own[0]).toMatch(/biased high/);
    expect(own[1]).toBe(f(net.price));
    const rule = row(/stopping rule/)!;
    expect(rule[0]).toMatch(/20,000 independent paths: a lower bound$/);
    expect(rule.slice(1, 4)).toEqual([f(net.lower), `[${f(net.lower)}, –]`, f(net.stdError)]);
    // The TD error (log scale, positive) per iteration and the network's price against LSM's interval and the lattice.
    expect(s.networkCanvases).toEqual({ td: true, convergence: true });
    expect(s.td!.series).toEqual(['iteration', 'mean squared TD error']);
    expect(s.td!.data[0].length).toBeGreaterThan(3);
    expect(s.td!.data[0].at(-1)).toBe(ITERATIONS);
    expect(s.td!.data[1].every((v: number | null) => v === null || v > 0)).toBe(true);
    expect(s.convergence!.series).toEqual(['iteration', 'network V(0, S0)', 'LSM lower', 'LSM upper', 'lattice']);
    expect(s.convergence!.data[1].filter((v: number | null) => v !== null).length).toBeGreaterThan(0);
    expect(s.convergence!.data[2].every((v: number) => v === s.convergence!.data[2][0])).toBe(true);
    expect(s.convergence!.data[2][0]).toBeCloseTo(lsm.lower, 10);
    expect(s.convergence!.data[3][0]).toBeCloseTo(lsm.upper, 10);
    expect(s.convergence!.data[4][0]).toBeCloseTo(expected.methods.lattice!.price, 10);
    expect(s.title).toBe('American put: S0 36, K 40, r 6%, q 0%, σ 20%, T 1 y');
    expect(s.status).toMatch(/^WASM \((simd|scalar), 1 thread\) · lattice 4\.\d{4} in [\d.]+ m?s · LSM \[4\.\d{4}, 4\.\d{4}\] · network -?[\d.]+ at iteration 40 · done$/);
    expect((await chartValues(p, '#a')).bad).toBe(0);
    // Events: bubbling and composed; the lattice's report first, then LSM's; progress on the way.
    const ev = await events(p);
    expect(ev.every((e) => e.bubbles && e.composed)).toBe(true);
    const evaluations = ev.filter((e) => e.name === 'cher-evaluation').map((e) => e.detail);
    expect(evaluations[0].methods.lattice.price).toBeCloseTo(expected.methods.lattice!.price, 10);
    expect(evaluations.at(-1).methods.lsm.lower).toBeCloseTo(lsm.lower, 10);
    expect(evaluations.at(-1).methods.network.iteration).toBe(ITERATIONS);
    expect(ev.some((e) => e.name === 'cher-progress' && e.detail.lsmFraction > 0)).toBe(true);
    expect(ev.some((e) => e.name === 'cher-progress' && e.detail.iteration > 0 && Number.isFinite(e.detail.network))).toBe(true);
    expect(ev.find((e) => e.name === 'cher-backend')!.detail.backend).toBe('wasm');
    expect(ev.some((e) => e.name === 'cher-error')).toBe(false);
    expect(p.errors).toEqual([]);
  });

  it('is lazy: the lattice answers once on screen, LSM waits for Start', async () => {
    const p = await open('/a/lazy.html', [RECORD_EVENTS]);
    await p.waitForFunction(() => (document.querySelector('#l') as any)?.report?.methods.lattice, null, { timeout: 30_000 });
    await p.waitForFunction(() => document.querySelector('#l')!.getAttribute('state') === 'ready');
    const before = await shown(p, '#l');
    expect(before.report.methods.lsm).toBeUndefined();
    expect(before.status).toMatch(/LSM waits for Start/);
    expect(before.rows.find((c: string[]) => /^LSM/.test(c[0]))![1]).toBe('LSM waits for Start');
    await p.$eval('#l', (el: any) => el.start());
    await waitForDone(p, '#l');
    expect((await shown(p, '#l')).report.methods.lsm.lower).toBeCloseTo(expected.methods.lsm!.lower, 10);
    expect(p.errors).toEqual([]);
  });

  it('prices a Bermudan call with dividends; the panel reprices through the same validator', async () => {
    const p = await open('/a/bermudan.html', [RECORD_EVENTS]);
    await waitForDone(p, '#b');
    const s = await shown(p, '#b');
    expect(s.report.methods.lattice.price).toBeCloseTo(bermudan.methods.lattice!.price, 10);
    expect(s.report.methods.lsm.lower).toBeCloseTo(bermudan.methods.lsm!.lower, 10);
    expect(s.report.methods.lsm.dates).toBe(12);
    expect(s.title).toMatch(/^Bermudan call \(12 dates\)/);
    // A call's boundary lies above the strike.
    expect(s.boundary!.data[1].some((v: number | null) => v !== null)).toBe(true);
    expect(s.boundary!.data[1].every((v: number | null) => v === null || v > 40)).toBe(true);
    expect((await chartValues(p, '#b')).bad).toBe(0);
    // The panel: a new spot reprices.
    await p.$eval('#b', (el: any) => {
      const input = el.shadowRoot.querySelector('input[name=spot]');
      input.value = '40';
      input.dispatchEvent(new Event('change'));
    });
    expect(await p.$eval('#b', (el) => el.getAttribute('spot'))).toBe('40');
    await p.waitForFunction(() => (document.querySelector('#b') as any).report?.config.spot === 40, null, { timeout: 30_000 });
    const repriced = await priceAmerican({ ...BERMUDAN, spot: 40 }, { methods: ['lattice'] });
    expect(await p.$eval('#b', (el: any) => el.report.methods.lattice.price)).toBeCloseTo(repriced.methods.lattice!.price, 10);
    expect(p.errors).toEqual([]);
  });

  it('a bad attribute gets an inline message naming it and what is allowed, and fires cher-error', async () => {
    const p = await open('/a/bad.html', [RECORD_EVENTS]);
    await p.waitForFunction(() => [...document.querySelectorAll('cher-american')].every((el) => el.getAttribute('state') === 'invalid'));
    const ev = await events(p);
    for (const [id, b] of Object.entries(BAD)) {
      const message = await p.$eval(`#${id}`, (el) => el.shadowRoot!.querySelector('[part=message]')?.textContent ?? '');
      expect(message, id).toContain(`${b.attribute}="`);
      expect(message, id).toMatch(b.allowed);
      expect(await p.$eval(`#${id}`, (el) => el.shadowRoot!.querySelectorAll('.plot').length)).toBe(0);
      const error = ev.find((e) => e.name === 'cher-error' && e.target === id);
      expect(error, id).toBeDefined();
      expect(error!.detail.kind).toBe('config');
      expect(error!.detail.problems.map((q: { attribute: string }) => q.attribute)).toEqual([b.attribute]);
      expect(error!.detail.message).toMatch(new RegExp(`^Invalid cher-american attributes: ${b.attribute}=`));
    }
    expect(ev.filter((e) => e.name !== 'cher-error')).toEqual([]);
    // Fixing the attribute clears the message and prices.
    await p.$eval('#vol', (el) => el.setAttribute('volatility', '0.3'));
    await p.waitForFunction(() => (document.querySelector('#vol') as any).report?.methods.lattice, null, { timeout: 30_000 });
    expect(await p.$eval('#vol', (el) => el.shadowRoot!.querySelector('[part=message]'))).toBeNull();
    expect(p.errors).toEqual([]);
  });

  it('works with WebGPU hidden, beside a <cher-hedger> on the same one worker', async () => {
    const plain = await launch({ webgpu: false });
    try {
      const p = await open('/a/both.html', [NO_WEBGPU, COUNT_WORKERS, RECORD_EVENTS], {}, plain);
      await waitForDone(p, '#a', 90_000);
      await waitForTraining(p, '#h', 3, 90_000);
      expect(await p.evaluate(() => 'gpu' in navigator && !!(navigator as any).gpu)).toBe(false);
      expect(await p.evaluate(() => (window as any).__workers.created)).toBe(1);
      expect(await state(p, '#h')).toBe('training');
      const r = (await shown(p, '#a')).report;
      expect(r.methods.lsm.lower).toBeCloseTo(expected.methods.lsm!.lower, 10);
      expect((await chartValues(p, '#a')).bad).toBe(0);
      expect(p.errors).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('has no axe-core violations, priced and invalid, in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const p = await open('/a/axe.html', [], { colorScheme });
      await waitForDone(p, '#b');
      expect(await axeViolations(p), `${colorScheme}: priced`).toEqual([]);
      // At 360 px the table fits the card (wrapping, not scrolling) and the page does not scroll sideways.
      await p.setViewportSize({ width: 360, height: 800 });
      await p.waitForTimeout(300);
      expect(await p.$eval('#b', (el) => {
        const figure = el.shadowRoot!.querySelector('[part~=chart-stats]')!;
        return [figure.scrollWidth <= figure.clientWidth, document.documentElement.scrollWidth <= 360];
      })).toEqual([true, true]);
      expect(await axeViolations(p), `${colorScheme}: priced, 360 px`).toEqual([]);
      await p.$eval('#b', (el) => el.setAttribute('spot', '0'));
      await p.waitForFunction(() => document.querySelector('#b')!.getAttribute('state') === 'invalid');
      expect(await axeViolations(p), `${colorScheme}: invalid`).toEqual([]);
      expect(p.errors).toEqual([]);
      await p.context().close();
    }
  });
});
