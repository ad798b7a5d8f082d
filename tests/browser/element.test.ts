// <cher-hedger> in a real browser: the built dist/cher-hedger.js in plain pages, driven by Debian's
// Chromium (WebGPU on SwiftShader where enabled). Needs `npm run build` (npm test's pretest does it).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS, BUNDLE, COUNT_WORKERS, NO_WEBGPU, RECORD_EVENTS, ROOT, SMALL, axeViolations, chartValues, launch, page, startServer, state,
  waitForTraining, type Server,
} from './helpers.js';

const SPACER = '<div style="height: 3000px"></div>';

const PAGES: Record<string, string> = {
  '/t/one.html': page(`<cher-hedger id="one" autostart ${SMALL}></cher-hedger>`),
  '/t/bad.html': page(`<cher-hedger id="bad" autostart strike="abc" steps="0" ${SMALL}></cher-hedger>`),
  '/t/four.html': page(
    ['call', 'put', 'call', 'call']
      .map((option, i) => `<cher-hedger id="e${i}" autostart option="${option}" ${i === 2 ? 'cost="0.005"' : ''} ${i === 3 ? 'risk="cvar"' : ''}
        ${i < 2 ? 'backend="webgpu"' : ''} batch="256" test-paths="512" style="--cher-hedger-chart-height: 90px"></cher-hedger>`)
      .join(''),
  ),
  '/t/empty.html': page('<main id="host"></main>'),
  '/t/webgpu.html': page('<cher-hedger id="g" autostart backend="webgpu" batch="256" test-paths="512"></cher-hedger>'),
  '/t/scroll.html': page(`<cher-hedger id="s" autostart ${SMALL}></cher-hedger>${SPACER}<p id="far">far away</p>`),
  '/t/controls.html': page(`<cher-hedger id="c" autostart controls ${SMALL} iterations="40"></cher-hedger>`),
};

let browser: Browser;
let server: Server;
const contexts: BrowserContext[] = [];

async function open(path: string, init: string[] = [], options: Parameters<Browser['newContext']>[0] = {}, b = browser): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  contexts.push(context);
  for (const script of init) await context.addInitScript({ content: script });
  const p = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  p.on('request', (r) => requests.push(r.url().replace(server.url, '')));
  (p as Page & { requests: string[] }).requests = requests;
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (p as Page & { errors: string[] }).errors = errors;
  await p.goto(server.url + path);
  return p;
}

const pageErrors = (p: Page) => (p as Page & { errors: string[] }).errors;

/** WCAG contrast ratio of two sRGB colours given as [r, g, b] in 0-255. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]) => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  [browser, server] = await Promise.all([launch(), startServer(PAGES)]);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('<cher-hedger> in Chromium', () => {
  it('trains from the built bundle in a plain page; its charts, price and events update', async () => {
    const p = await open('/t/one.html', [RECORD_EVENTS]);
    await waitForTraining(p, '#one', 5);
    const first = await p.$eval('#one', (el: any) => ({
      iteration: el.report.iteration, status: el.shadowRoot.querySelector('[part=status]').textContent,
    }));
    // A later evaluation with more iterations, and a status line that moved on.
    await p.waitForFunction((it) => (document.querySelector('#one') as any).report.iteration > it + 5, first.iteration, { timeout: 60_000 });
    await p.waitForTimeout(300);
    const later = await p.$eval('#one', (el: any) => ({
      state: el.getAttribute('state'), backend: el.activeBackend, bs: el.report.bsPrice, price: el.report.network.price,
      status: el.shadowRoot.querySelector('[part=status]').textContent,
      live: el.shadowRoot.querySelector('[role=status]').getAttribute('aria-live'),
    }));
    expect(later.state).toBe('training');
    expect(['wasm', 'webgpu']).toContain(later.backend);
    expect(later.status).not.toBe(first.status);
    expect(later.status).toMatch(/iteration [\d,]+/);
    expect(later.status).toMatch(/path-steps\/s/);
    expect(later.status).toMatch(/price \d\.\d{5} vs BS 2\.287/); // in currency: spot 100
    expect(later.live).toBe('polite');
    expect(Math.abs(later.price - later.bs)).toBeLessThan(2); // 0.02 on a spot of 1
    const values = await chartValues(p, '#one');
    expect(values.charts).toBe(6);
    expect(values.points).toBeGreaterThan(100);
    expect(values.bad).toBe(0);
    // The reward chart: drawn in its part, holding the latest evaluation's step rewards, all finite; its
    // running total ends at the sum of the rewards (PnL - Z + the Black-Scholes price on that path).
    await p.waitForTimeout(300);
    const rewards = await p.$eval('#one', (el: any) => {
      const chart = el.charts.charts.get('rewards');
      const r = el.report.samplePath.rewards;
      const sum = r.optionPnl.reduce((a: number, v: number, k: number) => a + v + r.hedgePnl[k] - r.cost[k], 0);
      return {
        canvas: !!el.shadowRoot.querySelector('[part~=chart-rewards] .plot canvas'),
        caption: el.shadowRoot.querySelector('[part~=chart-rewards] figcaption').textContent,
        legend: [...el.shadowRoot.querySelectorAll('[part~=chart-rewards] [part=legend] li')].map((li: any) => li.textContent.replace(/\s+/g, ' ').trim()).join(' '),
        series: chart.series.map((s: any) => s.label),
        columns: chart.data.map((c: any) => [...c]),
        steps: el.config.steps,
        sum,
      };
    });
    expect(rewards.canvas).toBe(true);
    expect(rewards.caption).toBe('The test path: P&L per step');
    expect(rewards.series).toEqual(['day', 'option P&L', 'hedge P&L', 'cost', 'running total']);
    expect(rewards.legend).toMatch(/^option [+\u2212]?\d\.\d{4} hedge [+\u2212]?\d\.\d{4} cost (\u2212\d\.\d{4}|0\.0000) total [+\u2212]?\d\.\d{4}$/);
    expect(rewards.columns).toHaveLength(5);
    for (const column of rewards.columns) expect(column).toHaveLength(rewards.steps + 1);
    for (const column of rewards.columns.slice(1)) expect(column.slice(1).every((v: unknown) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    expect(rewards.columns[4].at(-1)).toBeCloseTo(rewards.sum, 9);
    const events = await p.evaluate(() => (window as any).__events as { name: string; bubbles: boolean; composed: boolean; detail: any }[]);
    const names = new Set(events.map((e) => e.name));
    expect([...names].sort()).toEqual(['cher-backend', 'cher-evaluation', 'cher-progress']);
    expect(events.every((e) => e.bubbles && e.composed)).toBe(true);
    const progress = events.filter((e) => e.name === 'cher-progress').at(-1)!.detail;
    expect(progress.iteration).toBeGreaterThan(0);
    expect(progress.pathStepsPerSecond).toBeGreaterThan(0);
    expect(events.find((e) => e.name === 'cher-backend')!.detail.backend).toBe(later.backend);
    // Pause, export, import round trip.
    await p.$eval('#one', (el: any) => el.pause());
    await p.waitForFunction(() => document.querySelector('#one')!.getAttribute('state') === 'paused');
    const weights = await p.$eval('#one', async (el: any) => {
      const w = await el.exportWeights();
      await el.importWeights(JSON.stringify(w));
      return w;
    });
    expect(weights.format).toBe('cher-hedger/weights');
    expect(weights.params.length).toBeGreaterThan(100);
    expect(pageErrors(p)).toEqual([]);
    // One module and nothing else: worker, WASM and shaders are inlined (workers start from blob: URLs).
    const requests = (p as Page & { requests: string[] }).requests.filter((u) => !u.startsWith('blob:'));
    expect(requests).toEqual(['/t/one.html', '/dist/cher-hedger.js']);
  });

  it('trains with backend="webgpu" on SwiftShader inside its worker (shaders inlined)', async () => {
    const p = await open('/t/webgpu.html', [RECORD_EVENTS]);
    await waitForTraining(p, '#g', 2, 90_000);
    const r = await p.$eval('#g', (el: any) => ({ backend: el.activeBackend, status: el.shadowRoot.querySelector('[part=status]').textContent }));
    expect(r.backend).toBe('webgpu');
    expect(r.status).toMatch(/^WebGPU/);
    expect((await chartValues(p, '#g')).bad).toBe(0);
    expect(pageErrors(p)).toEqual([]);
  });

  it('falls back to WASM when WebGPU is unavailable', async () => {
    const plain = await launch({ webgpu: false });
    try {
      const p = await open('/t/one.html', [NO_WEBGPU, RECORD_EVENTS], {}, plain);
      await waitForTraining(p, '#one', 3);
      const r = await p.$eval('#one', (el: any) => ({ backend: el.activeBackend, requested: el.backend ?? 'auto', gpu: 'gpu' in navigator && !!(navigator as any).gpu }));
      expect(r).toEqual({ backend: 'wasm', requested: 'auto', gpu: false });
      const backendEvent = await p.evaluate(() => (window as any).__events.find((e: any) => e.name === 'cher-backend'));
      expect(backendEvent.detail.backend).toBe('wasm');
      expect(await p.$eval('#one', (el) => el.shadowRoot!.querySelector('[part=status]')!.textContent)).toMatch(/^WASM/);
    } finally {
      await plain.close();
    }
  });

  it('shows an inline message for a bad attribute, fires cher-error, and recovers when it is fixed', async () => {
    const p = await open('/t/bad.html', [RECORD_EVENTS]);
    await p.waitForFunction(() => document.querySelector('#bad')?.getAttribute('state') === 'invalid');
    const message = await p.$eval('#bad', (el) => el.shadowRoot!.querySelector('[part=message]')!.textContent!.replace(/\s+/g, ' '));
    expect(message).toContain('strike="abc"');
    expect(message).toContain('a number greater than 0 and at most 10');
    expect(message).toContain('steps="0"');
    expect(message).toContain('an integer from 1 to 1000');
    const errors = await p.evaluate(() => (window as any).__events.filter((e: any) => e.name === 'cher-error'));
    expect(errors).toHaveLength(1);
    expect(errors[0].detail.kind).toBe('config');
    expect(errors[0].detail.problems.map((x: any) => x.attribute).sort()).toEqual(['steps', 'strike']);
    expect(await p.$eval('#bad', (el) => el.shadowRoot!.querySelectorAll('canvas').length)).toBe(0);
    // No worker for an invalid element; fixing the attributes starts it.
    await p.$eval('#bad', (el) => {
      el.setAttribute('strike', '105');
      el.removeAttribute('steps');
    });
    await waitForTraining(p, '#bad', 2);
    expect(await p.$eval('#bad', (el) => el.shadowRoot!.querySelector('[part=message]'))).toBeNull();
    // Properties mirror attributes.
    expect(await p.$eval('#bad', (el: any) => [el.strike, el.getAttribute('strike')])).toEqual(['105', '105']);
    await p.$eval('#bad', (el: any) => (el.volatility = 0.25));
    expect(await p.$eval('#bad', (el) => el.getAttribute('volatility'))).toBe('0.25');
  });

  it("runs four elements on one page in one worker, on one GPU device and the page's bounded WASM threads", async () => {
    const p = await open('/t/four.html', [COUNT_WORKERS], { viewport: { width: 1100, height: 2600 } });
    for (let i = 0; i < 4; i++) await waitForTraining(p, `#e${i}`, 3, 90_000);
    const all = await p.$$eval('cher-hedger', (els: any[]) =>
      els.map((el) => ({ state: el.getAttribute('state'), it: el.progress.iteration, backend: el.activeBackend, engine: el.engine })),
    );
    expect(all).toHaveLength(4);
    for (const e of all) {
      expect(e.state).toBe('training');
      expect(e.it).toBeGreaterThanOrEqual(3);
    }
    expect(all.map((e) => e.backend)).toEqual(['webgpu', 'webgpu', 'wasm', 'wasm']);
    expect(await p.evaluate(() => (window as any).__workers.created)).toBe(1);
    const hardware = await p.evaluate(() => navigator.hardwareConcurrency);
    const latest = all.map((e) => e.engine.shared).sort((a, b) => b.gpuDevices - a.gpuDevices)[0];
    expect(latest.gpuDevices).toBe(1);
    for (const e of all) {
      expect(e.engine.shared.threadLimit).toBe(Math.max(1, hardware - 1));
      expect(e.engine.shared.threads).toBeLessThanOrEqual(e.engine.shared.threadLimit);
      expect(e.engine.workers).toBeLessThanOrEqual(e.engine.shared.threadLimit);
    }
    expect(pageErrors(p)).toEqual([]);
  });

  it('pauses off-screen and resumes when scrolled back', async () => {
    const p = await open('/t/scroll.html');
    await waitForTraining(p, '#s', 2);
    await p.$eval('#far', (el) => el.scrollIntoView());
    await p.waitForFunction(() => document.querySelector('#s')!.getAttribute('state') === 'paused', null, { timeout: 20_000 });
    const paused = await p.$eval('#s', (el: any) => el.progress.iteration);
    await p.waitForTimeout(600);
    expect(await p.$eval('#s', (el: any) => el.progress.iteration)).toBe(paused);
    await p.$eval('#s', (el) => el.scrollIntoView());
    await p.waitForFunction((n) => (document.querySelector('#s') as any).progress.iteration > n, paused, { timeout: 20_000 });
  });

  it('waits for a click under prefers-reduced-motion; stops after `iterations`; controls are labelled', async () => {
    const p = await open('/t/controls.html', [], { reducedMotion: 'reduce' });
    await p.waitForFunction(() => document.querySelector('#c')?.getAttribute('state') === 'ready', null, { timeout: 30_000 });
    await p.waitForTimeout(500);
    expect(await p.$eval('#c', (el) => el.getAttribute('state'))).toBe('ready');
    expect(await p.$eval('#c', (el: any) => el.progress?.iteration ?? 0)).toBe(0);
    // Keyboard: Tab to the Start button and press Enter.
    await p.keyboard.press('Tab');
    expect(await p.$eval('#c', (el) => el.shadowRoot!.activeElement?.getAttribute('part'))).toContain('start-button');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelector('#c')?.getAttribute('state') === 'done', null, { timeout: 60_000 });
    expect(await p.$eval('#c', (el: any) => el.progress.iteration)).toBe(40);
    const labels = await p.$eval('#c', (el) =>
      [...el.shadowRoot!.querySelectorAll('[part=controls] input, [part=controls] select')].map((f) => el.shadowRoot!.querySelector(`label[for="${f.id}"]`)?.textContent),
    );
    expect(labels.length).toBeGreaterThanOrEqual(6);
    expect(labels.every(Boolean)).toBe(true);
    // Changing a parameter from the panel restarts training cleanly.
    await p.$eval('#c', (el) => {
      const select = el.shadowRoot!.querySelector('select[name=option]') as HTMLSelectElement;
      select.value = 'put';
      select.dispatchEvent(new Event('change'));
    });
    await p.waitForFunction(() => (document.querySelector('#c') as any).config?.option === 'put' && (document.querySelector('#c') as any).report?.iteration === 0, null, { timeout: 30_000 });
    expect(await p.$eval('#c', (el) => el.getAttribute('option'))).toBe('put');
    // Every risk measure is on offer, mean-sd included, and choosing it reconfigures (with its default weight).
    const risks = await p.$eval('#c', (el) => [...el.shadowRoot!.querySelectorAll('select[name=risk] option')].map((o) => (o as HTMLOptionElement).value));
    expect(risks).toEqual(['mse', 'entropic', 'cvar', 'mean-sd']);
    await p.$eval('#c', (el) => {
      const select = el.shadowRoot!.querySelector('select[name=risk]') as HTMLSelectElement;
      select.value = 'mean-sd';
      select.dispatchEvent(new Event('change'));
    });
    await p.waitForFunction(() => (document.querySelector('#c') as any).config?.risk === 'mean-sd' && (document.querySelector('#c') as any).report?.iteration === 0, null, { timeout: 30_000 });
    expect(await p.$eval('#c', (el: any) => [el.getAttribute('risk'), el.config.sdWeight, el.shadowRoot.querySelector('[part=title]').textContent])).toEqual(
      ['mean-sd', 1.5, expect.stringContaining('mean-sd (c=1.5)')],
    );
  });

  it('50 add/remove cycles leave no workers behind, never run two at once, and do not grow the heap', async () => {
    const p = await open('/t/empty.html', [COUNT_WORKERS]);
    const cdp = await p.context().newCDPSession(p);
    const cycle = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await p.evaluate(() => {
          const el = document.createElement('cher-hedger');
          el.setAttribute('autostart', '');
          el.setAttribute('batch', '128');
          el.setAttribute('test-paths', '128');
          el.setAttribute('workers', '1');
          document.getElementById('host')!.append(el);
        });
        await p.waitForFunction(() => {
          const s = document.querySelector('cher-hedger')?.getAttribute('state');
          return s === 'ready' || s === 'training';
        }, null, { timeout: 20_000, polling: 20 });
        await p.evaluate(() => document.querySelector('cher-hedger')!.remove());
      }
      await p.waitForFunction(() => (window as any).__workers.created === (window as any).__workers.terminated, null, { timeout: 10_000 });
    };
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await cycle(5);
    const before = await heap();
    await cycle(45);
    await p.waitForTimeout(700);
    const after = await heap();
    const counts = await p.evaluate(() => (window as any).__workers);
    // One shared worker at a time: an element added while the last one's session closes joins it.
    expect(counts.mostAlive).toBe(1);
    expect(counts.created).toBeGreaterThanOrEqual(1);
    expect(counts.terminated).toBe(counts.created);
    expect(p.workers().length).toBe(0);
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
    expect(pageErrors(p)).toEqual([]);
  });

  it('the demo page has no axe-core violations with elements idle, training, paused, failed and invalid, in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      // NO_WEBGPU: the element added below asks for backend="webgpu" so that its engine fails (state error).
      const p = await open('/demo/', [NO_WEBGPU], { colorScheme: scheme, viewport: { width: 1000, height: 900 } });
      expect(await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(scheme === 'dark');
      // Idle: every element rendered, those below the fold still waiting to be scrolled into view.
      await p.waitForFunction(() =>
        document.querySelectorAll('#reference-tables table').length > 0 &&
        [...document.querySelectorAll('cher-hedger')].every((el) => el.shadowRoot?.querySelector('[part=base]')));
      const idle = await p.$$eval('cher-hedger', (els) => els.map((el) => el.getAttribute('state')));
      expect(idle.filter((s) => s === 'idle').length, idle.join(' ')).toBeGreaterThanOrEqual(3);
      expect(await state(p, '#invalid')).toBe('invalid');
      expect(await p.$eval('#invalid', (el) => el.shadowRoot!.querySelector('[part=message]')?.textContent)).toContain('strike="abc"');
      expect(await axeViolations(p), `${scheme}: idle and invalid`).toEqual([]);
      // Training.
      await waitForTraining(p, '#hero', 2, 90_000);
      expect(await state(p, '#hero')).toBe('training');
      expect(await axeViolations(p), `${scheme}: training`).toEqual([]);
      // Paused with a failed import's message, and an element whose engine failed.
      await p.$eval('#hero', (el: any) => el.pause());
      await p.waitForFunction(() => document.querySelector('#hero')!.getAttribute('state') === 'paused');
      await p.$eval('#hero', (el: any) => el.importWeights('{').catch(() => {}));
      await p.evaluate(async () => {
        const el = document.createElement('cher-hedger') as HTMLElement & { updateComplete: Promise<boolean> };
        el.id = 'failed';
        for (const [k, v] of Object.entries({ autostart: '', backend: 'webgpu', batch: '256', 'test-paths': '256' })) el.setAttribute(k, v);
        document.querySelector('#hero')!.after(el);
        await el.updateComplete; // scrolled to once it has its height, so that it starts
        el.scrollIntoView({ block: 'center' });
      });
      await p.waitForFunction(() => document.querySelector('#failed')?.getAttribute('state') === 'error', null, { timeout: 30_000 });
      expect(await p.$eval('#hero', (el) => el.shadowRoot!.querySelector('[part=message]')?.textContent)).toMatch(/Could not import weights/);
      expect(await p.$eval('#failed', (el) => el.shadowRoot!.querySelector('[part=message]')?.textContent)).toMatch(/The training engine failed/);
      expect(await axeViolations(p), `${scheme}: paused, failed`).toEqual([]);
      await p.$eval('#failed', (el) => el.remove());
      // Every element drawn once (the dark pass: the first two), then axe again.
      const ids = (await p.$$eval('cher-hedger', (els) => els.map((_, i) => i))).slice(0, scheme === 'light' ? undefined : 2);
      for (const i of ids) {
        await p.$$eval('cher-hedger', (els, k) => els[k as number].scrollIntoView({ block: 'center' }), i);
        await p.waitForFunction(
          (k) => {
            const el = document.querySelectorAll('cher-hedger')[k as number] as any;
            return el.getAttribute('state') === 'invalid' || el.shadowRoot.querySelectorAll('.plot canvas').length >= 6;
          },
          i,
          { timeout: 90_000 },
        );
      }
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.waitForTimeout(1500);
      expect(await axeViolations(p), `${scheme}: drawn`).toEqual([]);
      // uPlot draws its axis labels on canvas, out of axe's sight, in the muted colour: check it (and the text) here.
      const palette = await p.$eval('#hero', (el) => {
        const css = getComputedStyle(el);
        const rgb = (value: string) => {
          const probe = document.createElement('span');
          probe.style.color = value;
          document.body.append(probe);
          const m = getComputedStyle(probe).color.match(/[\d.]+/g)!.map(Number);
          probe.remove();
          return m.slice(0, 3);
        };
        return { bg: rgb(css.getPropertyValue('--_bg')), muted: rgb(css.getPropertyValue('--_muted')), text: rgb(css.getPropertyValue('--_text')) };
      });
      expect(contrast(palette.muted, palette.bg), `${scheme}: axis labels`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(palette.text, palette.bg), `${scheme}: text`).toBeGreaterThanOrEqual(4.5);
      expect(pageErrors(p).filter((e) => !/WebGPU|webgpu/.test(e))).toEqual([]);
      await p.screenshot({ path: join(ARTIFACTS, `demo-${scheme}.png`), fullPage: true });
      await p.$eval('#hero', (el) => el.scrollIntoView());
      await p.waitForTimeout(300);
      await p.locator('#hero').screenshot({ path: join(ARTIFACTS, `element-${scheme}.png`) });
      await p.context().close();
    }
  });

  it('the demo page fits 360 px: no sideways scroll once its elements have rendered', async () => {
    const p = await open('/demo/', [], { viewport: { width: 360, height: 800 } });
    await p.waitForFunction(() => document.querySelectorAll('#reference-tables table').length > 0);
    await waitForTraining(p, '#hero', 1, 90_000);
    await p.$eval('#invalid', (el) => el.scrollIntoView());
    await p.waitForTimeout(500);
    const widths = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      hero: document.querySelector('#hero')!.getBoundingClientRect().right,
    }));
    expect(widths.client).toBe(360);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.hero).toBeLessThanOrEqual(widths.client);
    await p.$eval('#hero', (el) => el.scrollIntoView());
    await p.waitForTimeout(300);
    await p.locator('#hero').screenshot({ path: join(ARTIFACTS, 'element-narrow.png') });
    expect(pageErrors(p)).toEqual([]);
    await p.context().close();
  });
});

describe('dist/cher-hedger.js outside browsers', () => {
  it('imports in Node without touching browser globals and defines nothing', async () => {
    expect(readFileSync(BUNDLE, 'utf8').slice(0, 200)).not.toMatch(/^import|\bfrom\s*["']/);
    const mod = await import(pathToFileURL(BUNDLE).href);
    expect(typeof mod.CherHedger).toBe('function');
    expect(typeof mod.defineCherHedger).toBe('function');
    expect((globalThis as { customElements?: unknown }).customElements).toBeUndefined();
    expect(ROOT).toBeTruthy();
  });
});
