// The hedging market as a reinforcement-learning environment (seed: hedging-market-reward-rules.md):
// batched over many paths, stepped in WASM, on the same GBM paths, seeds and costs as the engine.
import { ConfigError, resolveConfig, type HedgerConfig } from '../config.js';
import { optionPrice } from '../market.js';
import { spotFeature, spotInput, type SpotFeature } from '../network.js';
import { moneyOf } from '../units.js';
import { configureInstance } from '../wasm/slice.js';
import { engineModule, preferredBuild, type WasmBuild } from '../module.js';

/** The five observation features, in row order. */
export const OBSERVATION_FEATURES = ['timeLeft', 'spot', 'holding', 'optionValue', 'bsDelta'] as const;
export const OBSERVATION_SIZE = OBSERVATION_FEATURES.length;
/** The network's three inputs per path, in row order (docs/numerics.md, Features). */
export const NETWORK_INPUTS = ['timeLeft', 'spotInput', 'previousHedge'] as const;

export interface EnvOptions {
  /** Market, claim and cost keys of the hedger's configuration (other keys are ignored). */
  config?: Partial<HedgerConfig>;
  /** Episodes run side by side, one path each (default 1024). */
  paths?: number;
  /** Discount gamma_t returned with every transition (default 1). */
  gamma?: number;
  /** Largest |holding| an action may reach (default 10). */
  maxHolding?: number;
  /** Philox stream of the paths: 0 training, 1 the engine's test set (with episode 0), 2 other (default). */
  stream?: 0 | 1 | 2;
  /** WASM build (default: SIMD where supported). */
  build?: WasmBuild;
}

export interface EnvStep {
  /** Step index t of the action just taken. */
  t: number;
  /** O_{t+1}, row-major: paths x OBSERVATION_SIZE. */
  observation: Float32Array;
  /** R_t for every path. */
  reward: Float32Array;
  gamma: number;
  /** True after the last step (t = N - 1); reset() starts the next episode. */
  done: boolean;
  /** The reward's parts: option P&L V_{t+1} - V_t, hedge P&L H_t (S_{t+1} - S_t), and the cost paid. */
  optionPnl: Float32Array;
  hedgePnl: Float32Array;
  cost: Float32Array;
}

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

function checkOption(name: string, value: unknown, ok: boolean, allowed: string): void {
  if (!ok) throw new ConfigError([{ key: name, value, allowed }]);
}

export class HedgingEnv {
  readonly config: HedgerConfig;
  readonly paths: number;
  readonly steps: number;
  readonly gamma: number;
  readonly maxHolding: number;
  readonly stream: number;
  /** Black-Scholes price of the option at the start: -V_0. */
  readonly bsPrice: number;
  private ex: any;
  private stepIndex = -1;
  private episodeIndex = -1;
  private holding: Float32Array;
  private readonly feature: SpotFeature;

  private constructor(config: HedgerConfig, ex: any, o: Required<Omit<EnvOptions, 'config' | 'build'>>) {
    this.config = config;
    this.ex = ex;
    this.paths = o.paths;
    this.steps = config.steps;
    this.gamma = o.gamma;
    this.maxHolding = o.maxHolding;
    this.stream = o.stream;
    this.holding = new Float32Array(o.paths);
    this.feature = spotFeature(config);
    this.bsPrice = optionPrice(config);
  }

  static async create(options: EnvOptions = {}): Promise<HedgingEnv> {
    const paths = options.paths ?? 1024;
    const gamma = options.gamma ?? 1;
    const maxHolding = options.maxHolding ?? 10;
    const stream = options.stream ?? 2;
    checkOption('paths', paths, Number.isInteger(paths) && paths >= 1 && paths <= 1 << 20, 'an integer from 1 to 1048576');
    checkOption('gamma', gamma, typeof gamma === 'number' && gamma >= 0 && gamma <= 1, 'a number from 0 to 1');
    checkOption('maxHolding', maxHolding, typeof maxHolding === 'number' && maxHolding > 0 && maxHolding <= 1e6, 'a number greater than 0 and at most 1e6');
    checkOption('stream', stream, stream === 0 || stream === 1 || stream === 2, '0 (training), 1 (test set) or 2 (other)');
    const config = resolveConfig({ ...options.config, batch: paths, workers: 1, backend: 'wasm' });
    const module = await engineModule(options.build ?? preferredBuild());
    const ex = new WebAssembly.Instance(module, {}).exports as any;
    const ok =
      configureInstance(ex, { ...config, bptt: 'full' }, paths, 0) === 0 &&
      ex.configureEnv(config.volatility, config.maturity) === 0;
    if (!ok) throw new EnvError(`not enough memory for ${paths} paths of ${config.steps} steps`);
    return new HedgingEnv(config, ex, { paths, gamma, maxHolding, stream });
  }

  private get live(): any {
    if (!this.ex) throw new EnvError('this environment has been disposed');
    return this.ex;
  }

  private view(pointer: number, length: number): Float32Array {
    return new Float32Array(this.live.memory.buffer, pointer, length);
  }

  /** A copy of unit-scale money (WASM computes with spot 1) in currency. */
  private money(pointer: number, length: number): Float32Array {
    return this.view(pointer, length).map((x) => moneyOf(this.config, x));
  }

  /** The observations in currency: spot and option value are money, the other columns are not. */
  private observation(): Float32Array {
    const o = this.view(this.live.observationPointer(), this.paths * OBSERVATION_SIZE).slice();
    for (let p = 0; p < this.paths; p++) {
      o[p * OBSERVATION_SIZE + 1] = moneyOf(this.config, o[p * OBSERVATION_SIZE + 1]);
      o[p * OBSERVATION_SIZE + 3] = moneyOf(this.config, o[p * OBSERVATION_SIZE + 3]);
    }
    return o;
  }

  /**
   * What the hedging network sees for each path of an observation: time left, the spot input of the
   * configured features (from the spot in currency), and the holding (its previous hedge); paths x 3.
   */
  networkInputs(observation: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.paths * NETWORK_INPUTS.length);
    for (let p = 0; p < this.paths; p++) {
      const row = p * OBSERVATION_SIZE;
      out[3 * p] = observation[row];
      out[3 * p + 1] = spotInput(this.feature, observation[row + 1] / this.config.spot);
      out[3 * p + 2] = observation[row + 2];
    }
    return out;
  }

  /** The current step t (the next action's index), or -1 before the first reset. */
  get t(): number {
    return this.stepIndex;
  }
  get episode(): number {
    return this.episodeIndex;
  }
  get done(): boolean {
    return this.stepIndex >= this.steps;
  }

  /** Starts episode `episode` (its paths: Philox iteration = episode) with a flat book; returns O_0. */
  reset(episode = this.episodeIndex + 1): Float32Array {
    const ex = this.live;
    if (!Number.isInteger(episode) || episode < 0 || episode > 0xffffffff) {
      throw new EnvError(`reset(episode): episode must be an integer from 0 to 4294967295, got ${episode}`);
    }
    ex.simulate(episode, this.stream);
    ex.envReset();
    this.episodeIndex = episode;
    this.stepIndex = 0;
    this.holding.fill(0);
    return this.observation();
  }

  /**
   * Takes actions A_t (one trade per path, in shares) and returns the transition's reward, discount and
   * next observation. Bad actions, or stepping a finished episode, throw and change nothing.
   */
  step(actions: ArrayLike<number>): EnvStep {
    const ex = this.live;
    if (this.stepIndex < 0) throw new EnvError('step() before reset(): call reset() to start an episode');
    if (this.stepIndex >= this.steps) throw new EnvError(`the episode finished after ${this.steps} steps; call reset() to start the next one`);
    if (!actions || typeof actions.length !== 'number' || actions.length !== this.paths) {
      throw new EnvError(`step(actions): expected ${this.paths} actions (one per path), got ${actions?.length ?? typeof actions}`);
    }
    const limit = this.maxHolding;
    for (let i = 0; i < this.paths; i++) {
      const a = actions[i];
      if (typeof a !== 'number' || !Number.isFinite(a)) {
        throw new EnvError(`step(actions): action ${i} is ${a}; actions must be finite numbers`);
      }
      const h = Math.fround(this.holding[i] + Math.fround(a));
      if (Math.abs(h) > limit) {
        throw new EnvError(`step(actions): action ${i} = ${a} would hold ${h} shares; holdings are limited to +-${limit} (maxHolding)`);
      }
    }
    this.view(ex.actionPointer(), this.paths).set(actions);
    ex.envStep(this.stepIndex);
    for (let i = 0; i < this.paths; i++) this.holding[i] = Math.fround(this.holding[i] + Math.fround(actions[i]));
    const t = this.stepIndex++;
    const n = this.paths;
    return {
      t,
      observation: this.observation(),
      reward: this.money(ex.rewardPointer(), n),
      gamma: this.gamma,
      done: this.stepIndex >= this.steps,
      optionPnl: this.money(ex.optionPnlPointer(), n),
      hedgePnl: this.money(ex.hedgePnlPointer(), n),
      cost: this.money(ex.stepCostPointer(), n),
    };
  }

  /** S_0 .. S_N of one path of the current episode, in currency. */
  spots(path: number): Float32Array {
    if (!Number.isInteger(path) || path < 0 || path >= this.paths) {
      throw new EnvError(`spots(path): path must be an integer from 0 to ${this.paths - 1}, got ${path}`);
    }
    const ex = this.live;
    const L = ex.lanes();
    const N = this.steps;
    const raw = this.view(ex.spotPointer(), Math.ceil(this.paths / L) * (N + 1) * L);
    const g = Math.floor(path / L);
    const l = path % L;
    return Float32Array.from({ length: N + 1 }, (_, k) => moneyOf(this.config, raw[(g * (N + 1) + k) * L + l]));
  }

  dispose(): void {
    this.ex = null;
  }
}
