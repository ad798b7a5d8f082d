// The WebGPU engine in Chromium (headless, --enable-unsafe-webgpu: a SwiftShader adapter), through the
// headless API of the built bundle (dist/index.js; npm test's pretest builds it): it trains with the
// numbers the WASM engine computes in Node. Uses the browser tests' server and launcher.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTrainer } from '../widget/runtime/training/trainer.js';
import { CHROMIUM, ROOT, launch, page, startServer, type Server } from './browser/helpers.js';

const config = { hidden: 8, steps: 10, batch: 512, testPaths: 256, seed: 11, workers: 1 };

describe('the WebGPU engine in Chromium', () => {
  let browser: Browser;
  let server: Server;
  beforeAll(async () => {
    // Not skipped: Chromium is a test dependency (scripts/ensure-test-deps.mjs installs it).
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
    if (!existsSync(`${ROOT}/dist/index.js`)) throw new Error('dist/index.js is missing: run npm run build first');
    server = await startServer({ '/t/engine.html': page('') });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('trains on the page\'s WebGPU adapter with the WASM engine\'s loss curve (1e-3 relative)', async () => {
    const p = await browser.newPage();
    await p.goto(`${server.url}/t/engine.html`);
    // A string, not a function: vitest would rewrite the function's import() for Node.
    const got = (await p.evaluate(`(async () => {
      const api = await import('/dist/index.js');
      const t = await api.createTrainer({ ...${JSON.stringify(config)}, backend: 'webgpu' });
      await t.step(24);
      const out = { backend: t.backend, detail: t.detail, losses: [...t.losses] };
      t.dispose();
      return out;
    })()`)) as { backend: string; detail: string; losses: number[] };
    expect(got.backend).toBe('webgpu');
    expect(got.detail).toMatch(/swiftshader/i);
    const wasm = await createTrainer({ ...config, backend: 'wasm' });
    try {
      await wasm.step(24);
      const want = wasm.losses;
      expect(got.losses).toHaveLength(24);
      for (let i = 0; i < 24; i++) expect(Math.abs(got.losses[i] - want[i]) / want[i]).toBeLessThan(1e-3);
    } finally {
      wasm.dispose();
    }
  });

  test('backend "auto" does not pick the software adapter: the page trains on WASM', async () => {
    const p = await browser.newPage();
    await p.goto(`${server.url}/t/engine.html`);
    const backend = await p.evaluate(`(async () => {
      const api = await import('/dist/index.js');
      const t = await api.createTrainer({ ...${JSON.stringify(config)}, backend: 'auto' });
      const b = t.backend;
      t.dispose();
      return b;
    })()`);
    expect(backend).toBe('wasm');
  });
});
