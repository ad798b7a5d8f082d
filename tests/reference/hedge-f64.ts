// An independent f64 reference of the deep-hedging training loss (docs/numerics.md) and of its exact
// gradient, by hand-written backpropagation through time. The engines compute in f32; tests compare
// them with this file, and this file with central finite differences.
import { pathNormals } from '../../widget/shared/philox.js';
import { paramLayout, type ParamLayout } from '../../widget/models/hedging/network.js';
import { riskLoss, riskUpstream, type RiskParams } from '../../widget/models/hedging/risk.js';
import type { FeatureMode, PremiumMode } from '../../widget/models/hedging/config.js';

type Params = ArrayLike<number>;

export interface PathOptions {
  seed: number;
  steps: number;
  maturity: number;
  drift: number;
  volatility: number;
  paths: number;
  iteration: number;
  stream: number;
  /** Index of the first path's Philox counter (default 0). */
  firstPath?: number;
}

/** The hedging problem on given (unit-scale) paths: claim, cost rate, decision steps and the network's spot input. */
export interface HedgeConfig {
  strike: number;
  put: boolean;
  cost: number;
  steps: number;
  features: FeatureMode;
  volatility: number;
  maturity: number;
}

/** The network's spot input, written out from docs/numerics.md in f64 (independently of widget/models/hedging/network.ts). */
export function spotInputF64(cfg: HedgeConfig, s: number): number {
  return cfg.features === 'spot' ? s : Math.log(s / cfg.strike) / (cfg.volatility * Math.sqrt(cfg.maturity));
}

export interface LossConfig extends HedgeConfig, RiskParams {
  premium: PremiumMode;
}

export interface PathResult {
  /** delta[k], k = 0 .. N-1. */
  deltas: Float64Array;
  pnl: number;
  payoff: number;
  /** PnL - Z. */
  y: number;
  /** Transaction costs paid, kappa * (sum |trade| * price), liquidation included. */
  cost: number;
}

export type BpttMode = 'full' | 'per-depth';

/** Spot paths S[0..N] under GBM with S0 = 1 and the the contract's Philox normals. */
export function simulatePathsF64(o: PathOptions): Float64Array[] {
  const N = o.steps;
  const dt = o.maturity / N;
  const drift = (o.drift - 0.5 * o.volatility * o.volatility) * dt;
  const diffusion = o.volatility * Math.sqrt(dt);
  const first = o.firstPath ?? 0;
  const out: Float64Array[] = [];
  for (let p = 0; p < o.paths; p++) {
    const z = pathNormals(o.seed, first + p, o.iteration, o.stream, N);
    const s = new Float64Array(N + 1);
    s[0] = 1;
    for (let k = 0; k < N; k++) s[k + 1] = s[k] * Math.exp(drift + diffusion * z[k]);
    out.push(s);
  }
  return out;
}

/** One decision step's activations, kept for the backward pass. */
interface StepCache {
  tau: number;
  spot: number;
  prev: number;
  z1: Float64Array;
  h1: Float64Array;
  z2: Float64Array;
  h2: Float64Array;
  delta: number;
}

function stepForward(p: Params, L: ParamLayout, tau: number, spot: number, prev: number): StepCache {
  const H = L.hidden;
  const z1 = new Float64Array(H);
  const h1 = new Float64Array(H);
  const z2 = new Float64Array(H);
  const h2 = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const row = L.w1 + 3 * j;
    z1[j] = p[row] * tau + p[row + 1] * spot + p[row + 2] * prev + p[L.b1 + j];
    h1[j] = z1[j] > 0 ? z1[j] : 0;
  }
  let z3 = p[L.b3];
  for (let j = 0; j < H; j++) {
    let z = p[L.b2 + j];
    for (let i = 0; i < H; i++) z += p[L.w2 + j * H + i] * h1[i];
    z2[j] = z;
    h2[j] = z > 0 ? z : 0;
    z3 += p[L.w3 + j] * h2[j];
  }
  return { tau, spot, prev, z1, h1, z2, h2, delta: Math.tanh(z3) };
}

/**
 * Backward through one step with upstream dLoss/d delta = `up`: adds the step's local parameter
 * gradient (its own weights, input prev held fixed) into `grad` and returns dLoss/d prev.
 * ReLU'(0) is taken as 0.
 */
function stepBackward(p: Params, L: ParamLayout, c: StepCache, up: number, grad: Float64Array): number {
  const H = L.hidden;
  const dz3 = up * (1 - c.delta * c.delta);
  grad[L.b3] += dz3;
  const dz2 = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    grad[L.w3 + j] += dz3 * c.h2[j];
    dz2[j] = c.z2[j] > 0 ? dz3 * p[L.w3 + j] : 0;
  }
  let dPrev = 0;
  for (let i = 0; i < H; i++) {
    let dh1 = 0;
    for (let j = 0; j < H; j++) dh1 += p[L.w2 + j * H + i] * dz2[j];
    const dz1 = c.z1[i] > 0 ? dh1 : 0;
    const row = L.w1 + 3 * i;
    grad[row] += dz1 * c.tau;
    grad[row + 1] += dz1 * c.spot;
    grad[row + 2] += dz1 * c.prev;
    grad[L.b1 + i] += dz1;
    dPrev += p[row + 2] * dz1;
  }
  for (let j = 0; j < H; j++) {
    grad[L.b2 + j] += dz2[j];
    for (let i = 0; i < H; i++) grad[L.w2 + j * H + i] += dz2[j] * c.h1[i];
  }
  return dPrev;
}

/**
 * A probe for the per-depth split: the recurrent input of step k becomes
 * base[k-1] + lambda * (delta[k-1] - base[k-1]). At params whose deltas are `base` the loss is unchanged,
 * and its gradient is sum_j lambda^j * depth_j, so finite differences at a few lambdas check every depth.
 */
interface RecurrentProbe {
  base: Float64Array[];
  lambda: number;
}

function forwardPath(
  p: Params, L: ParamLayout, s: Float64Array, cfg: HedgeConfig, probe?: RecurrentProbe, pathIndex = 0,
): { result: PathResult; caches: StepCache[] } {
  const N = cfg.steps;
  const kappa = cfg.cost;
  const deltas = new Float64Array(N);
  const caches: StepCache[] = [];
  let prev = 0;
  let pnl = 0;
  let cost = 0;
  for (let k = 0; k < N; k++) {
    let input = prev;
    if (probe && k > 0) {
      const b = probe.base[pathIndex][k - 1];
      input = b + probe.lambda * (prev - b);
    }
    const c = stepForward(p, L, 1 - k / N, spotInputF64(cfg, s[k]), input);
    caches.push(c);
    deltas[k] = c.delta;
    pnl += c.delta * (s[k + 1] - s[k]);
    cost += kappa * Math.abs(c.delta - prev) * s[k];
    prev = c.delta;
  }
  cost += kappa * Math.abs(prev) * s[N];
  pnl -= cost;
  const payoff = Math.max(cfg.put ? cfg.strike - s[N] : s[N] - cfg.strike, 0);
  return { result: { deltas, pnl, payoff, y: pnl - payoff, cost }, caches };
}

/** Deltas, PnL, payoff, y = PnL - Z and costs of every path. */
export function forwardF64(params: Params, H: number, paths: Float64Array[], cfg: HedgeConfig): PathResult[] {
  const L = paramLayout(H);
  return paths.map((s) => forwardPath(params, L, s, cfg).result);
}

function premiumOf(params: Params, L: ParamLayout, cfg: LossConfig): number {
  return cfg.risk === 'mse' && cfg.premium === 'learned' ? params[L.p0] : 0;
}

function lossOf(params: Params, H: number, paths: Float64Array[], cfg: LossConfig, probe?: RecurrentProbe): number {
  const L = paramLayout(H);
  const y = Float64Array.from(paths, (s, i) => forwardPath(params, L, s, cfg, probe, i).result.y);
  return riskLoss(cfg, y, premiumOf(params, L, cfg));
}

/** The batch loss of docs/numerics.md (risk measure of y = PnL - Z, with the learned premium for mse). */
export function lossF64(params: Params, H: number, paths: Float64Array[], cfg: LossConfig): number {
  return lossOf(params, H, paths, cfg);
}

/** The loss with the recurrent input re-routed as in RecurrentProbe (for checking the per-depth split). */
export function depthProbeLossF64(
  params: Params, H: number, paths: Float64Array[], cfg: LossConfig, base: Float64Array[], lambda: number,
): number {
  return lossOf(params, H, paths, cfg, { base, lambda });
}

/** dPnL/d delta[k] holding the other deltas fixed (delta[-1] = delta[N] = 0, sign(0) = 0). */
function directPnlGradient(s: Float64Array, deltas: Float64Array, kappa: number): Float64Array {
  const N = deltas.length;
  const g = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    const before = k > 0 ? deltas[k - 1] : 0;
    const after = k + 1 < N ? deltas[k + 1] : 0;
    g[k] = s[k + 1] - s[k] - kappa * Math.sign(deltas[k] - before) * s[k] + kappa * Math.sign(after - deltas[k]) * s[k + 1];
  }
  return g;
}

export function gradientF64(params: Params, H: number, paths: Float64Array[], cfg: LossConfig, bptt: 'full'): Float64Array;
export function gradientF64(params: Params, H: number, paths: Float64Array[], cfg: LossConfig, bptt: 'per-depth'): Float64Array[];
export function gradientF64(params: Params, H: number, paths: Float64Array[], cfg: LossConfig, bptt: BpttMode): Float64Array | Float64Array[];
/**
 * The exact gradient of lossF64. 'full': one vector (standard BPTT, adjoint carried backwards through
 * the recurrent input). 'per-depth': N vectors, depth j = the direct loss terms of step k+j carried back
 * to step k's local weights through j recurrent links; the premium gradient is in depth 0.
 */
export function gradientF64(
  params: Params, H: number, paths: Float64Array[], cfg: LossConfig, bptt: BpttMode,
): Float64Array | Float64Array[] {
  const L = paramLayout(H);
  const N = cfg.steps;
  const forwards = paths.map((s) => forwardPath(params, L, s, cfg));
  const y = Float64Array.from(forwards, (f) => f.result.y);
  const p0 = premiumOf(params, L, cfg);
  const upstream = new Float64Array(paths.length);
  riskUpstream(cfg, y, upstream, p0);
  let premiumGrad = 0;
  if (cfg.risk === 'mse' && cfg.premium === 'learned') for (let i = 0; i < paths.length; i++) premiumGrad += upstream[i];

  if (bptt === 'full') {
    const grad = new Float64Array(L.count);
    forwards.forEach(({ result, caches }, i) => {
      const g = directPnlGradient(paths[i], result.deltas, cfg.cost);
      let carried = 0;
      for (let k = N - 1; k >= 0; k--) carried = stepBackward(params, L, caches[k], upstream[i] * g[k] + carried, grad);
    });
    grad[L.p0] = premiumGrad;
    return grad;
  }

  // Per depth: step k's local gradient v_k and recurrent Jacobian J_k for a unit upstream; the term of
  // step k+j reaches step k with weight g[k+j] * J[k+1] * ... * J[k+j].
  const depths = Array.from({ length: N }, () => new Float64Array(L.count));
  forwards.forEach(({ result, caches }, i) => {
    const g = directPnlGradient(paths[i], result.deltas, cfg.cost);
    const local: Float64Array[] = [];
    const jac = new Float64Array(N);
    for (let k = 0; k < N; k++) {
      local.push(new Float64Array(L.count));
      jac[k] = stepBackward(params, L, caches[k], 1, local[k]);
    }
    for (let k = 0; k < N; k++) {
      let chain = 1;
      for (let j = 0; k + j < N; j++) {
        if (j > 0) chain *= jac[k + j];
        const w = upstream[i] * g[k + j] * chain;
        const d = depths[j];
        const v = local[k];
        for (let q = 0; q < L.count; q++) d[q] += w * v[q];
      }
    }
  });
  depths[0][L.p0] = premiumGrad;
  return depths;
}

/** Central difference of lossF64 in parameter `index` with step h. */
export function finiteDifferenceF64(
  params: Params, H: number, paths: Float64Array[], cfg: LossConfig, index: number, h: number,
): number {
  const p = Float64Array.from(params);
  const x = p[index];
  p[index] = x + h;
  const up = lossF64(p, H, paths, cfg);
  p[index] = x - h;
  const down = lossF64(p, H, paths, cfg);
  return (up - down) / (2 * h);
}
