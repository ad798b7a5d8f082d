// The f64 reference of tests/reference/hedge-f64.ts against the the contract's accounting and against central
// finite differences, so that it can stand as the ground truth for the engines' gradients.
import { describe, expect, test } from 'vitest';
import { resolveConfig, type FeatureMode } from '../widget/models/hedging/config.js';
import { hedgeOf, initialParams, paramLayout, spotFeature, spotInput } from '../widget/models/hedging/network.js';
import {
  depthProbeLossF64, finiteDifferenceF64, forwardF64, gradientF64, lossF64, simulatePathsF64, spotInputF64,
  type LossConfig,
} from './reference/hedge-f64.js';
import { relativeL2 } from './reference/compare.js';

const H = 8;
const N = 6;
const L = paramLayout(H);
// A quarter-year with 30% volatility and some drift, so spots spread enough to put the strike in play.
const PATHS = simulatePathsF64({
  seed: 7, steps: N, maturity: 0.25, drift: 0.1, volatility: 0.3, paths: 64, iteration: 0, stream: 2,
});

type Risk = Pick<LossConfig, 'risk' | 'premium' | 'riskAversion' | 'cvarLevel' | 'sdWeight'>;
const BASE_RISK = { riskAversion: 1, cvarLevel: 0.95, sdWeight: 1.5, premium: 'none' } as const;
const RISKS: [string, Risk][] = [
  ['mse, learned premium', { ...BASE_RISK, risk: 'mse', premium: 'learned' }],
  ['mse, no premium', { ...BASE_RISK, risk: 'mse' }],
  ['entropic a=1', { ...BASE_RISK, risk: 'entropic', riskAversion: 1 }],
  ['entropic a=5', { ...BASE_RISK, risk: 'entropic', riskAversion: 5 }],
  ['cvar 0.95', { ...BASE_RISK, risk: 'cvar', cvarLevel: 0.95 }], // 0.95 * 64 = 60.8, not an integer
  ['cvar 0.5', { ...BASE_RISK, risk: 'cvar', cvarLevel: 0.5 }], // 0.5 * 64 = 32, an integer
  ['mean-sd 1.5', { ...BASE_RISK, risk: 'mean-sd', sdWeight: 1.5 }],
];
const PARAM_SEEDS = [1, 2, 3];
const FEATURES: FeatureMode[] = ['log-moneyness', 'spot'];
/** The market of PATHS, which the log-moneyness input is normalised by. */
const MARKET = { volatility: 0.3, maturity: 0.25 } as const;

function configOf(risk: Risk, cost: number, put = false, features: FeatureMode = 'log-moneyness'): LossConfig {
  return { strike: 1, put, cost, steps: N, features, ...MARKET, ...risk };
}

/**
 * Seeded initial weights with non-zero biases (so that ReLUs are mixed: some units on, some off,
 * depending on the path and step) and a non-zero premium. Asserts the mixing it promises.
 */
function testParams(seed: number): Float64Array {
  const p = Float64Array.from(initialParams(H, seed));
  for (let j = L.b1; j < L.w2; j++) p[j] = 0.3 * Math.sin(17 * j + seed);
  for (let j = L.b2; j < L.w3; j++) p[j] = 0.3 * Math.sin(29 * j + seed);
  p[L.b3] = 0.1;
  p[L.p0] = 0.05;
  return p;
}

/** Fraction of hidden pre-activations (both layers, all paths and steps) that are positive. */
function activeFraction(p: Float64Array, cfg: LossConfig): number {
  let on = 0;
  let all = 0;
  for (const s of PATHS) {
    let prev = 0;
    for (let k = 0; k < N; k++) {
      const h1 = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const z = p[3 * j] * (1 - k / N) + p[3 * j + 1] * spotInputF64(cfg, s[k]) + p[3 * j + 2] * prev + p[L.b1 + j];
        h1[j] = Math.max(z, 0);
        on += z > 0 ? 1 : 0;
      }
      for (let j = 0; j < H; j++) {
        let z = p[L.b2 + j];
        for (let i = 0; i < H; i++) z += p[L.w2 + j * H + i] * h1[i];
        on += z > 0 ? 1 : 0;
      }
      all += 2 * H;
      prev = hedgeOf(p, H, 1 - k / N, spotInputF64(cfg, s[k]), prev);
    }
  }
  return on / all;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}


/** The the contract's gradient check: relative L2 error against finite differences below 1e-6. */
function gradientCheck(g: ArrayLike<number>, fd: ArrayLike<number>, tolerance = 1e-6) {
  const error = relativeL2(g, fd);
  return { error, ok: error < tolerance };
}

/**
 * Central differences for every parameter with h = 1e-5 * max(1, |theta|). In f64 the truncation
 * error (h^2) and the rounding error (eps / h) both stay near 1e-9 relative at that h. The loss has
 * kinks (ReLU, |trade|, the CVaR order statistic) but is continuous across all of them, so a kink
 * inside [theta - h, theta + h] costs at most about (jump in slope) * h, roughly 1e-5 / 64 per path
 * involved: still far below 1e-6 relative, so the check does not depend on lucky seeds.
 */
function fdGradient(loss: (p: Float64Array) => number, params: Float64Array): Float64Array {
  const out = new Float64Array(params.length);
  const p = Float64Array.from(params);
  for (let i = 0; i < p.length; i++) {
    const h = 1e-5 * Math.max(1, Math.abs(params[i]));
    p[i] = params[i] + h;
    const up = loss(p);
    p[i] = params[i] - h;
    const down = loss(p);
    p[i] = params[i];
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

describe('forward pass', () => {
  test.each(FEATURES)('the test parameters mix active and inactive ReLUs (%s)', (features) => {
    for (const seed of PARAM_SEEDS) {
      const f = activeFraction(testParams(seed), configOf(RISKS[0][1], 0, false, features));
      expect(f).toBeGreaterThan(0.2);
      expect(f).toBeLessThan(0.8);
    }
  });

  test.each(FEATURES)('deltas agree with the production network (hedgeOf, spotInput) step by step (%s)', (features) => {
    const p = testParams(1);
    const cfg = { ...configOf(RISKS[0][1], 0.01, false, features), strike: 1.02 };
    // The production constants of the same problem in currency (spot 50, strike 51).
    const feature = spotFeature(resolveConfig({ ...MARKET, spot: 50, strike: 51, features }));
    forwardF64(p, H, PATHS, cfg).forEach(({ deltas }, i) => {
      let prev = 0;
      for (let k = 0; k < N; k++) {
        expect(spotInput(feature, PATHS[i][k])).toBeCloseTo(spotInputF64(cfg, PATHS[i][k]), 13);
        expect(deltas[k]).toBeCloseTo(hedgeOf(p, H, 1 - k / N, spotInput(feature, PATHS[i][k]), prev), 13);
        prev = deltas[k];
      }
    });
  });

  test('the inputs: log-moneyness is ln(S/K) / (sigma sqrt T); features "spot" is S / S0', () => {
    const lm = configOf(RISKS[0][1], 0);
    expect(spotInputF64({ ...lm, strike: 1.1 }, 1.1)).toBe(0);
    expect(spotInputF64(lm, Math.exp(0.15))).toBeCloseTo(1, 14); // sigma sqrt T = 0.3 * 0.5
    expect(spotInputF64({ ...lm, features: 'spot', strike: 1.1 }, 0.97)).toBe(0.97);
  });

  test('a constant hedge gives the the contract accounting, worked by hand', () => {
    // All weights zero, b3 = 0.4: every delta[k] = c = tanh(0.4) > 0. Trades are c at k = 0 and -c at
    // liquidation, so PnL = c (S_N - S_0) - kappa c S_0 - kappa c S_N.
    const p = new Float64Array(L.count);
    p[L.b3] = 0.4;
    const c = Math.tanh(0.4);
    const kappa = 0.01;
    for (const put of [false, true]) {
      forwardF64(p, H, PATHS, { ...configOf(RISKS[0][1], kappa, put), strike: 1.02 }).forEach((r, i) => {
        const s = PATHS[i];
        const pnl = c * (s[N] - s[0]) - kappa * c * s[0] - kappa * c * s[N];
        const payoff = Math.max(put ? 1.02 - s[N] : s[N] - 1.02, 0);
        expect(r.deltas.every((d) => d === c)).toBe(true);
        expect(r.pnl).toBeCloseTo(pnl, 14);
        expect(r.payoff).toBe(payoff);
        expect(r.y).toBeCloseTo(pnl - payoff, 14);
        expect(r.cost).toBeCloseTo(kappa * c * (s[0] + s[N]), 14);
      });
    }
  });

  test('costs lower y by exactly the cost paid, and the deltas do not depend on kappa', () => {
    const p = testParams(2);
    const free = forwardF64(p, H, PATHS, configOf(RISKS[0][1], 0));
    const paid = forwardF64(p, H, PATHS, configOf(RISKS[0][1], 0.01));
    paid.forEach((r, i) => {
      expect(free[i].cost).toBe(0);
      expect(r.cost).toBeGreaterThan(0);
      expect(r.deltas).toEqual(free[i].deltas);
      expect(r.y).toBeCloseTo(free[i].y - r.cost, 14);
    });
  });

  test('the learned premium enters mse only', () => {
    const p = testParams(3);
    const q = Float64Array.from(p);
    q[L.p0] += 0.1;
    for (const [, risk] of RISKS) {
      const cfg = configOf(risk, 0);
      const moved = lossF64(q, H, PATHS, cfg) !== lossF64(p, H, PATHS, cfg);
      expect(moved).toBe(risk.risk === 'mse' && risk.premium === 'learned');
    }
  });
});

describe.each(FEATURES)('full BPTT gradient against central finite differences (every parameter), %s', (features) => {
  for (const cost of [0, 0.01]) {
    for (const [name, risk] of RISKS) {
      test(`${name}, cost ${cost}`, () => {
        for (const seed of PARAM_SEEDS) {
          const cfg = configOf(risk, cost, seed === 2, features);
          const p = testParams(seed);
          const g = gradientF64(p, H, PATHS, cfg, 'full');
          const fd = fdGradient((q) => lossF64(q, H, PATHS, cfg), p);
          const check = gradientCheck(g, fd);
          expect(check.error, `param seed ${seed}`).toBeLessThan(1e-6);
          expect(norm(fd)).toBeGreaterThan(1e-3); // the comparison is not 0 against 0
          const premium = risk.risk === 'mse' && risk.premium === 'learned';
          expect(g[L.p0] !== 0).toBe(premium);
        }
      });
    }
  }

  test.runIf(features === 'log-moneyness')('finiteDifferenceF64 is the central difference used above', () => {
    const cfg = configOf(RISKS[4][1], 0.01);
    const p = testParams(1);
    const fd = fdGradient((q) => lossF64(q, H, PATHS, cfg), p);
    for (const i of [0, L.b1 + 3, L.w2 + 10, L.w3 + 2, L.b3]) {
      expect(finiteDifferenceF64(p, H, PATHS, cfg, i, 1e-5)).toBeCloseTo(fd[i], 9);
    }
  });
});

describe('the check can fail', () => {
  const cfg = configOf(RISKS[0][1], 0.01);
  const p = testParams(1);
  const fdOf = () => fdGradient((q) => lossF64(q, H, PATHS, cfg), p);

  test('an analytic gradient off by 1e-3 in one entry is rejected', () => {
    const fd = fdOf();
    const g = gradientF64(p, H, PATHS, cfg, 'full');
    expect(gradientCheck(g, fd).ok).toBe(true);
    const bad = Float64Array.from(g);
    bad[L.w2 + 5] += 1e-3;
    const check = gradientCheck(bad, fd);
    expect(check.ok).toBe(false);
    expect(check.error).toBeGreaterThan(1e-5);
  });

  test('the cost-free gradient is rejected against the loss with costs', () => {
    const g0 = gradientF64(p, H, PATHS, { ...cfg, cost: 0 }, 'full');
    expect(gradientCheck(g0, fdOf()).ok).toBe(false);
  });
});

describe('per-depth gradients', () => {
  const cases = PARAM_SEEDS.flatMap((seed) =>
    RISKS.flatMap(([name, risk]) => [0, 0.01].map((cost) => ({ seed, name, cost, cfg: configOf(risk, cost, seed === 2) }))));

  test('the N depths add up to the full gradient (1e-12 relative), premium in depth 0 only', () => {
    for (const { seed, name, cost, cfg } of cases) {
      const p = testParams(seed);
      const depths = gradientF64(p, H, PATHS, cfg, 'per-depth');
      const full = gradientF64(p, H, PATHS, cfg, 'full');
      expect(depths).toHaveLength(N);
      const sum = new Float64Array(L.count);
      for (const d of depths) for (let q = 0; q < L.count; q++) sum[q] += d[q];
      expect(relativeL2(sum, full), `${name}, cost ${cost}, seed ${seed}`).toBeLessThan(1e-12);
      for (let j = 1; j < N; j++) expect(depths[j][L.p0]).toBe(0);
    }
  });

  test('each depth matches finite differences of the recurrence-probe loss', () => {
    // With the recurrent input re-routed as base + lambda * (delta - base), the gradient at the base
    // point is sum_j lambda^j depth_j. Checking N distinct lambdas pins down all N depths.
    const lambdas = [0, 0.5, -0.5, 1, -1, 1.5];
    for (const { seed, cost, cfg } of cases.filter((c) => c.name === 'mse, learned premium' || c.name === 'cvar 0.95')) {
      const p = testParams(seed);
      const base = forwardF64(p, H, PATHS, cfg).map((r) => r.deltas);
      const depths = gradientF64(p, H, PATHS, cfg, 'per-depth');
      for (const lambda of lambdas) {
        const expected = new Float64Array(L.count);
        depths.forEach((d, j) => d.forEach((x, q) => (expected[q] += lambda ** j * x)));
        const fd = fdGradient((q) => depthProbeLossF64(q, H, PATHS, cfg, base, lambda), p);
        expect(relativeL2(expected, fd), `seed ${seed}, cost ${cost}, lambda ${lambda}`).toBeLessThan(1e-6);
      }
    }
  });

  test('with the recurrence on, every depth carries gradient and depth 0 alone is not the full gradient', () => {
    for (const seed of PARAM_SEEDS) {
      const cfg = configOf(RISKS[1][1], 0);
      const p = testParams(seed);
      const depths = gradientF64(p, H, PATHS, cfg, 'per-depth');
      const full = gradientF64(p, H, PATHS, cfg, 'full');
      for (let j = 0; j < N; j++) expect(norm(depths[j])).toBeGreaterThan(1e-9 * norm(full));
      expect(relativeL2(depths[0], full)).toBeGreaterThan(1e-3);
    }
  });

  test('without the recurrent input (prev-hedge weights zero) depths 1.. vanish and depth 0 is the gradient', () => {
    const p = testParams(1);
    for (let j = 0; j < H; j++) p[L.w1 + 3 * j + 2] = 0;
    const cfg = configOf(RISKS[4][1], 0.01);
    const depths = gradientF64(p, H, PATHS, cfg, 'per-depth');
    for (let j = 1; j < N; j++) expect(norm(depths[j])).toBe(0);
    expect(relativeL2(depths[0], gradientF64(p, H, PATHS, cfg, 'full'))).toBeLessThan(1e-12);
  });

  test('with a single step there is one depth, equal to the full gradient', () => {
    const paths = simulatePathsF64({ seed: 7, steps: 1, maturity: 0.25, drift: 0, volatility: 0.3, paths: 64, iteration: 0, stream: 2 });
    const cfg = { ...configOf(RISKS[0][1], 0.01), steps: 1 };
    const p = testParams(2);
    const depths = gradientF64(p, H, paths, cfg, 'per-depth');
    expect(depths).toHaveLength(1);
    expect(relativeL2(depths[0], gradientF64(p, H, paths, cfg, 'full'))).toBeLessThan(1e-12);
  });
});
