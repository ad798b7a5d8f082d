// One configured WASM engine instance (a shard) working on paths first .. first + size - 1, and where
// its buffers are in its linear memory.
import type { HedgerConfig } from '../config.js';
import { spotFeature } from '../network.js';
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
 * The arguments of the engine's `configure` export for paths first .. first + size - 1: the problem on
 * the unit scale and the spot input's host-side constants.
 */
export function configureArgs(config: HedgerConfig, size: number, first: number): number[] {
  const u = unitConfig(config);
  const [lo, hi] = seedKey(u.seed);
  const { driftDt, volSqrtDt } = gbmStep(u);
  const f = spotFeature(u);
  return [
    u.hidden, u.steps, size, first, lo, hi,
    driftDt, volSqrtDt,
    u.strike, u.option === 'put' ? 1 : 0, u.cost, u.bptt === 'per-depth' ? 1 : 0,
    f.logMoneyness ? 1 : 0, f.logStrike, f.scale,
  ];
}

export class Slice {
  constructor(
    readonly shard: Shard,
    readonly first: number,
    readonly size: number,
    readonly ptr: Pointers,
  ) {}

  static async open(shard: Shard, config: HedgerConfig, first: number, size: number): Promise<Slice> {
    const r = await shard.run([
      { call: 'configure', args: configureArgs(config, size, first) },
      { call: 'paramsPointer' }, { call: 'gradientPointer' }, { call: 'pnlPointer' }, { call: 'costPointer' },
      { call: 'upstreamPointer' }, { call: 'spotPointer' }, { call: 'deltaPointer' }, { call: 'lanes' },
    ]);
    if (r[0] !== 0) throw new Error(`the WASM engine could not reserve memory for ${size} paths of ${config.steps} steps`);
    const [params, grad, pnl, cost, upstream, spot, delta, lanes] = r.slice(1) as number[];
    return new Slice(shard, first, size, { params, grad, pnl, cost, upstream, spot, delta, lanes });
  }
}

