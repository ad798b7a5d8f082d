import { test, expect } from 'vitest';
import { WasmEngine } from '../widget/engine/wasm/wasm-engine.js';
import { resolveConfig } from '../widget/config.js';
test('smoke', async () => {
  for (const workers of [1, 2]) {
    const e = await WasmEngine.create(resolveConfig({ workers, batch: 4096 }));
    const t0 = performance.now();
    let r;
    for (let i = 0; i < 20; i++) r = await e.train(10);
    const t = (performance.now() - t0) / 1000;
    console.log(workers, r, 'path-steps/s', (4096 * 30 * 200 / t / 1e6).toFixed(2), 'M');
    const ev = await e.evaluate();
    console.log(JSON.stringify({ n: ev.network, bs: ev.bsDelta, ww: ev.whalleyWilmott, nh: ev.noHedge, bsPrice: ev.bsPrice, p0: ev.premium }));
    e.dispose();
  }
});
