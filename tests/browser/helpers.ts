// Shared setup for the browser tests: Debian's Chromium through playwright-core, and a local server
// (scripts/serve.mjs, with the element's documented CSP) serving the repository plus test pages.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error plain ES module without types
import { serve } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
export const BUNDLE = join(ROOT, 'dist', 'cher-hedger.js');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BASE_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update'];

export function launch(options: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  const args = options.webgpu === false ? BASE_ARGS : [...BASE_ARGS, '--enable-unsafe-webgpu'];
  return chromium.launch({ executablePath: CHROMIUM, args });
}

export interface Server {
  url: string;
  close(): Promise<void>;
}

/** A plain HTML page that loads only the built bundle. */
export function page(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cher-hedger test</title>
<script type="module" src="/dist/cher-hedger.js"></script>${head}</head><body>${body}</body></html>`;
}

export function startServer(pages: Record<string, string> = {}): Promise<Server> {
  return serve({ root: ROOT, port: 0, pages });
}

/** Small, fast settings for SwiftShader / WASM on two cores. */
export const SMALL = 'batch="512" test-paths="1024"';

/** Collects the element events that reach `window` (so they bubble and are composed) in `window.__events`. */
export const RECORD_EVENTS = `
  window.__events = [];
  for (const name of ['cher-progress', 'cher-evaluation', 'cher-backend', 'cher-error']) {
    window.addEventListener(name, (e) => window.__events.push({
      name, bubbles: e.bubbles, composed: e.composed, detail: JSON.parse(JSON.stringify(e.detail ?? null)),
      target: e.target && e.target.id,
    }));
  }`;

/** Counts the page's Web Workers: created, terminated, and the most alive at once. */
export const COUNT_WORKERS = `
  (() => {
    const Native = window.Worker;
    window.__workers = { created: 0, terminated: 0, mostAlive: 0 };
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        const w = window.__workers;
        w.created++;
        w.mostAlive = Math.max(w.mostAlive, w.created - w.terminated);
      }
      terminate() { if (!this.__ended) { this.__ended = true; window.__workers.terminated++; } super.terminate(); }
    };
  })();`;

/** Hides WebGPU from every worker the page starts (their scripts are Blobs) as well as the page. */
export const NO_WEBGPU = `
  (() => {
    const hide = 'try{Object.defineProperty(Object.getPrototypeOf(navigator),"gpu",{get(){return undefined},configurable:true})}catch(e){};\\n';
    try { Object.defineProperty(Navigator.prototype, 'gpu', { get() { return undefined; }, configurable: true }); } catch {}
    const NativeBlob = window.Blob;
    window.Blob = class extends NativeBlob {
      constructor(parts = [], options = {}) {
        super(/javascript/.test(options.type ?? '') ? [hide, ...parts] : parts, options);
      }
    };
  })();`;

export async function state(p: Page, selector = 'cher-hedger'): Promise<string | null> {
  return p.$eval(selector, (el) => el.getAttribute('state'));
}

/** Waits until `selector` has trained at least `iterations` iterations and drawn its five charts. */
export async function waitForTraining(p: Page, selector: string, iterations: number, timeout = 60_000): Promise<void> {
  await p.waitForFunction(
    ([sel, n]) => {
      const el = document.querySelector(sel as string) as any;
      return !!el && (el.progress?.iteration ?? 0) >= (n as number) && el.shadowRoot.querySelectorAll('.plot canvas').length >= 5;
    },
    [selector, iterations] as const,
    { timeout, polling: 100 },
  );
}

/** Every value each uPlot chart of `selector` currently holds: must be finite or null (a gap). */
export async function chartValues(p: Page, selector: string): Promise<{ charts: number; points: number; bad: number }> {
  return p.$eval(selector, (el: any) => {
    let points = 0;
    let bad = 0;
    const charts = [...(el.charts?.charts?.values() ?? [])];
    for (const chart of charts) {
      for (const column of chart.data) {
        for (const v of column) {
          points++;
          if (!(v === null || (typeof v === 'number' && Number.isFinite(v)))) bad++;
        }
      }
    }
    return { charts: charts.length, points, bad };
  });
}

/** axe-core's violations on the whole page (the elements' shadow roots included), one line each. */
export async function axeViolations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ url: '/node_modules/axe-core/axe.min.js' });
  const result = await p.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v: any) =>
    `${v.id}: ${v.help} (${v.nodes.length} nodes; ${v.nodes.slice(0, 3).map((n: any) => `${n.target.join(' ')}: ${n.failureSummary}`).join('; ')})`);
}
