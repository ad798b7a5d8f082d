// The step-by-step hedging environment: its books balance for any path and any actions, it reproduces
// the engine's network and Black-Scholes P&L, and bad input changes nothing.
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveConfig } from '../widget/models/hedging/config.js';
import { bsPrice } from '../widget/shared/black-scholes.js';
import { baselineOutcomes } from '../widget/models/hedging/evaluation.js';
import { hedgeOf, initialParams } from '../widget/models/hedging/network.js';
import { Stream } from '../widget/shared/philox.js';
import { HedgingEnv, NETWORK_INPUTS, OBSERVATION_SIZE } from '../widget/models/hedging/env/hedging-env.js';
import { configureInstance } from '../widget/models/hedging/wasm/slice.js';
import { ReplayBuffer } from '../widget/runtime/training/replay-buffer.js';
import { engineModule, preferredBuild } from '../widget/models/hedging/module.js';

const envs: HedgingEnv[] = [];
afterAll(() => envs.forEach((e) => e.dispose()));
async function makeEnv(options: Parameters<typeof HedgingEnv.create>[0]) {
  const e = await HedgingEnv.create(options);
  envs.push(e);
  return e;
}

/** The books of one path in f64: V_N - V_0 + sum H_t (S_{t+1} - S_t) - costs, from the env's own spots. */
function books(env: HedgingEnv, spots: Float32Array, holdings: number[]): number {
  const c = env.config;
  const N = c.steps;
  const put = c.option === 'put';
  const v0 = -bsPrice({ spot: spots[0], strike: c.strike, tau: c.maturity, volatility: c.volatility, put });
  const vN = -Math.max(put ? c.strike - spots[N] : spots[N] - c.strike, 0);
  let gains = 0;
  let costs = 0;
  let prev = 0;
  for (let t = 0; t < N; t++) {
    gains += holdings[t] * (spots[t + 1] - spots[t]);
    costs += c.cost * Math.abs(spots[t] * (holdings[t] - prev));
    prev = holdings[t];
  }
  costs += c.cost * Math.abs(spots[N] * prev);
  return vN - v0 + gains - costs;
}

describe('hedging environment', () => {
  test('the rewards sum to the books for random paths and random actions (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          option: fc.constantFrom('call', 'put'),
          strike: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
          steps: fc.integer({ min: 1, max: 12 }),
          volatility: fc.double({ min: 0.05, max: 0.8, noNaN: true }),
          cost: fc.constantFrom(0, 0.001, 0.01),
          drift: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
          seed: fc.integer({ min: 0, max: 2 ** 40 }),
        }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 12 * 5, maxLength: 12 * 5 }),
        async (market, episode, draws) => {
          const paths = 5;
          // On a spot of 1 (the books are the same in any currency unit; the tolerance below is for spot 1).
          const env = await HedgingEnv.create({ config: { ...market, maturity: 0.25, spot: 1 }, paths });
          try {
            env.reset(episode);
            const holdings: number[][] = Array.from({ length: paths }, () => []);
            const total = new Float64Array(paths);
            const current = new Float32Array(paths);
            for (let t = 0; t < market.steps; t++) {
              const actions = Float32Array.from({ length: paths }, (_, p) => Math.fround(draws[t * paths + p] - current[p] * 0.5));
              const step = env.step(actions);
              for (let p = 0; p < paths; p++) {
                current[p] = Math.fround(current[p] + actions[p]);
                holdings[p].push(current[p]);
                total[p] += step.reward[p];
                expect(step.reward[p]).toBeCloseTo(step.optionPnl[p] + step.hedgePnl[p] - step.cost[p], 6);
              }
              expect(step.done).toBe(t === market.steps - 1);
            }
            for (let p = 0; p < paths; p++) {
              expect(Math.abs(total[p] - books(env, env.spots(p), holdings[p]))).toBeLessThan(2e-5);
            }
          } finally {
            env.dispose();
          }
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
  });

  /** The engine's own forward pass over the first `count` test paths: its hedges and PnL - Z (unit scale). */
  async function engineForward(config: ReturnType<typeof resolveConfig>, params: Float32Array, count: number) {
    const ex = new WebAssembly.Instance(await engineModule(preferredBuild()), {}).exports as any;
    configureInstance(ex, config, count, 0);
    ex.simulate(0, Stream.Test);
    new Float32Array(ex.memory.buffer, ex.paramsPointer(), params.length).set(params);
    ex.forwardAll();
    const L = ex.lanes();
    const y = new Float32Array(ex.memory.buffer, ex.pnlPointer(), count).slice();
    const deltas = new Float32Array(ex.memory.buffer, ex.deltaPointer(), Math.ceil(count / L) * L * config.steps).slice();
    const hedge = (p: number, k: number) => deltas[(Math.floor(p / L) * config.steps + k) * L + (p % L)];
    return { y, hedge };
  }

  test("the network's hedges as actions reproduce the engine's PnL - Z plus the price", async () => {
    const config = resolveConfig({ cost: 0.004, steps: 20, testPaths: 64, hidden: 8, seed: 3, spot: 1, strike: 1 });
    const params = initialParams(config.hidden, 99);
    const { y, hedge } = await engineForward(config, params, 64);

    const env = await makeEnv({ config, paths: 64, stream: 1 });
    env.reset(0);
    const total = new Float64Array(64);
    for (let t = 0; t < config.steps; t++) {
      const actions = Float32Array.from({ length: 64 }, (_, p) => hedge(p, t) - (t > 0 ? hedge(p, t - 1) : 0));
      const r = env.step(actions).reward;
      for (let p = 0; p < 64; p++) total[p] += r[p];
    }
    let worst = 0;
    for (let p = 0; p < 64; p++) worst = Math.max(worst, Math.abs(total[p] - (y[p] + env.bsPrice)));
    expect(worst).toBeLessThan(1e-5);
  });

  test.each(['log-moneyness', 'spot'] as const)(
    "a network fed the environment's observations (networkInputs) hedges as the engine does, in currency (%s)",
    async (features) => {
      const config = resolveConfig({ cost: 0.004, steps: 12, testPaths: 32, hidden: 8, seed: 3, spot: 50, strike: 52, features });
      const params = initialParams(config.hidden, 99);
      const { y, hedge } = await engineForward(config, params, 32);
      const env = await makeEnv({ config, paths: 32, stream: 1 });
      let obs = env.reset(0);
      const total = new Float64Array(32);
      let worstHedge = 0;
      while (!env.done) {
        const x = env.networkInputs(obs);
        expect(x).toHaveLength(32 * NETWORK_INPUTS.length);
        const actions = Float32Array.from({ length: 32 }, (_, p) => {
          const h = hedgeOf(params, config.hidden, x[3 * p], x[3 * p + 1], x[3 * p + 2]);
          worstHedge = Math.max(worstHedge, Math.abs(h - hedge(p, env.t)));
          return h - obs[p * OBSERVATION_SIZE + 2];
        });
        const s = env.step(actions);
        obs = s.observation;
        for (let p = 0; p < 32; p++) total[p] += s.reward[p];
      }
      expect(worstHedge).toBeLessThan(1e-5); // f64 against the engine's f32
      // Rewards in currency: the books are the engine's unit-scale PnL - Z times the spot, plus the price.
      for (let p = 0; p < 32; p++) expect(Math.abs(total[p] - (50 * y[p] + env.bsPrice))).toBeLessThan(50 * 2e-5);
    },
  );

  test('a Black-Scholes delta policy reproduces the engine baseline', async () => {
    const config = resolveConfig({ cost: 0.002, steps: 15, testPaths: 32, spot: 1, strike: 1 });
    const env = await makeEnv({ config, paths: 32, stream: 1 });
    let obs = env.reset(0);
    const spots = Array.from({ length: 32 }, (_, p) => env.spots(p));
    const total = new Float64Array(32);
    while (!env.done) {
      const actions = Float32Array.from({ length: 32 }, (_, p) => obs[p * OBSERVATION_SIZE + 4] - obs[p * OBSERVATION_SIZE + 2]);
      const s = env.step(actions);
      obs = s.observation;
      for (let p = 0; p < 32; p++) total[p] += s.reward[p];
    }
    const spot = new Float32Array(32 * 16);
    spots.forEach((s, p) => spot.set(s, p * 16));
    const baseline = baselineOutcomes(config, { count: 32, steps: 15, spot }).bsDelta.y;
    for (let p = 0; p < 32; p++) expect(Math.abs(total[p] - env.bsPrice - baseline[p])).toBeLessThan(2e-5);
  });

  test('observations: time left, spot, holding, Black-Scholes value and delta', async () => {
    const env = await makeEnv({ config: { steps: 4 }, paths: 3 });
    const o = env.reset(7);
    expect(o).toHaveLength(3 * OBSERVATION_SIZE);
    expect(Array.from(o.slice(0, 3))).toEqual([1, 100, 0]); // spot in currency (default 100)
    expect(env.bsPrice).toBeCloseTo(2.2872, 4);
    expect(o[3]).toBeCloseTo(env.bsPrice, 4); // 6 digits on a spot of 1
    expect(o[4]).toBeCloseTo(0.5114, 3);
    const s = env.step([0.5, 0.5, 0.5]);
    expect(s.observation[0]).toBeCloseTo(0.75, 7);
    expect(s.observation[2]).toBe(0.5);
  });

  test('bad actions and finished episodes throw and change nothing', async () => {
    const a = await makeEnv({ config: { steps: 3, cost: 0.01 }, paths: 2, maxHolding: 2 });
    const b = await makeEnv({ config: { steps: 3, cost: 0.01 }, paths: 2, maxHolding: 2 });
    expect(() => a.step([0, 0])).toThrow(/before reset/);
    a.reset(1);
    b.reset(1);
    expect(() => a.step([0.1, NaN])).toThrow(/action 1 is NaN/);
    expect(() => a.step([0.1])).toThrow(/expected 2 actions/);
    expect(() => a.step([0.1, 2.5])).toThrow(/action 1 = 2.5 would hold 2.5 shares; holdings are limited to \+-2/);
    expect(a.t).toBe(0);
    const ra = [a.step([0.3, -0.2]), a.step([0.1, 0.1]), a.step([-0.4, 0.1])];
    const rb = [b.step([0.3, -0.2]), b.step([0.1, 0.1]), b.step([-0.4, 0.1])];
    expect(ra.map((r) => Array.from(r.reward))).toEqual(rb.map((r) => Array.from(r.reward)));
    expect(() => a.step([0, 0])).toThrow(/finished after 3 steps; call reset/);
    await expect(HedgingEnv.create({ paths: 0 })).rejects.toThrow(/paths = 0: an integer from 1/);
    await expect(HedgingEnv.create({ config: { cost: 2 } })).rejects.toThrow(/cost = 2/);
  });
});

describe('replay buffer', () => {
  test('stores transitions, overwrites the oldest, and samples uniformly', () => {
    const buf = new ReplayBuffer(100, 2, 5);
    for (let i = 0; i < 150; i++) {
      buf.add({ observation: [i, -i], action: [i], reward: [i * 2], gamma: 0.5, nextObservation: [i + 1, -i - 1] });
    }
    expect(buf.size).toBe(100);
    const s = buf.sample(20000);
    const counts = new Map<number, number>();
    for (let r = 0; r < 20000; r++) {
      const a = s.action[r];
      expect(a).toBeGreaterThanOrEqual(50); // the first 50 were overwritten
      expect(s.reward[r]).toBe(2 * a);
      expect(Array.from(s.observation.subarray(2 * r, 2 * r + 2))).toEqual([a, -a]);
      expect(s.nextObservation[2 * r]).toBe(a + 1);
      expect(s.gamma[r]).toBe(0.5);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    expect(counts.size).toBe(100);
    // Uniform: chi-square over 100 cells with 99 degrees of freedom stays far below 160.
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - 200) ** 2 / 200;
    expect(chi2).toBeLessThan(160);
  });

  test('takes whole environment steps and rejects mismatched shapes', async () => {
    const env = await makeEnv({ paths: 8, config: { steps: 2 } });
    const buf = new ReplayBuffer(64);
    const o = env.reset();
    const actions = new Float32Array(8).fill(0.5);
    const s = env.step(actions);
    buf.add({ observation: o, action: actions, reward: s.reward, gamma: s.gamma, nextObservation: s.observation });
    expect(buf.size).toBe(8);
    expect(() => buf.add({ observation: o, action: [1], reward: [1, 2], gamma: 1, nextObservation: o })).toThrow(/reward has 2 entries/);
    expect(() => new ReplayBuffer(0)).toThrow(/capacity/);
    expect(() => new ReplayBuffer(4).sample(1)).toThrow(/empty/);
  });
});
