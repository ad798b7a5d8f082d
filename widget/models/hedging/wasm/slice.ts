// One configured WASM engine instance (a shard) working on paths first .. first + size - 1, and where
// its buffers are in its linear memory.
import type { HedgerConfig } from '../config.js';
import { paramLayout, spotFeature } from '../network.js';
import { seedKey } from '../../../shared/philox.js';
import { gbmStep } from '../market.js';
import { unitConfig } from '../units.js';
import type { Shard } from '../../../runtime/wasm/shard.js';

export interface Pointers {
  params: number;
  grad: number;
  pnl: number;
  cost: number;
  upstream: number;
  spot: number;
  delta: number;
  lanes: number;
}

/**
 * The engine's configuration block: f64 slots in this order (assembly/hedging/state.ts reads them by the same
 * names), written before `configure()`. The parameter offsets are the layout's (network.ts), computed once.
 */
export const CONFIG_SLOTS = [
  'hidden', 'steps', 'batch', 'firstPath', 'seedLo', 'seedHi', 'driftDt', 'volSqrtDt', 'strike', 'put', 'cost',
  'perDepth', 'logMoneyness', 'logStrike', 'featureScale', 'offB1', 'offW2', 'offB2', 'offW3', 'offB3', 'offP0',
  'paramCount',
] as const;

/** The block for paths first .. first + size - 1: the problem on the unit scale and the spot input's constants. */
export function configBlock(config: HedgerConfig, size: number, first: number): Float64Array {
  const u = unitConfig(config);
  const [seedLo, seedHi] = seedKey(u.seed);
  const { driftDt, volSqrtDt } = gbmStep(u);
  const f = spotFeature(u);
  const L = paramLayout(u.hidden);
  const values: Record<(typeof CONFIG_SLOTS)[number], number> = {
    hidden: u.hidden, steps: u.steps, batch: size, firstPath: first, seedLo, seedHi, driftDt, volSqrtDt,
    strike: u.strike, put: u.option === 'put' ? 1 : 0, cost: u.cost, perDepth: u.bptt === 'per-depth' ? 1 : 0,
    logMoneyness: f.logMoneyness ? 1 : 0, logStrike: f.logStrike, featureScale: f.scale,
    offB1: L.b1, offW2: L.w2, offB2: L.b2, offW3: L.w3, offB3: L.b3, offP0: L.p0, paramCount: L.count,
  };
  return Float64Array.from(CONFIG_SLOTS, (name) => values[name]);
}

/** Configures an instance of the engine in this thread: 0, or -1 if its memory could not grow. */
export function configureInstance(exports: any, config: HedgerConfig, size: number, first: number): number {
  new Float64Array(exports.memory.buffer, exports.configBlockPointer(), CONFIG_SLOTS.length).set(configBlock(config, size, first));
  return exports.configure();
}

export class Slice {
  constructor(
    readonly shard: Shard,
    readonly first: number,
    readonly size: number,
    readonly ptr: Pointers,
  ) {}

  static async open(shard: Shard, config: HedgerConfig, first: number, size: number): Promise<Slice> {
    const [block] = (await shard.run([{ call: 'configBlockPointer' }])) as number[];
    const r = await shard.run([
      { write: block, data: configBlock(config, size, first) },
      { call: 'configure' },
      { call: 'paramsPointer' }, { call: 'gradientPointer' }, { call: 'pnlPointer' }, { call: 'costPointer' },
      { call: 'upstreamPointer' }, { call: 'spotPointer' }, { call: 'deltaPointer' }, { call: 'lanes' },
    ]);
    if (r[0] !== 0) throw new Error(`the WASM engine could not reserve memory for ${size} paths of ${config.steps} steps`);
    const [params, grad, pnl, cost, upstream, spot, delta, lanes] = r.slice(1) as number[];
    return new Slice(shard, first, size, { params, grad, pnl, cost, upstream, spot, delta, lanes });
  }
}

