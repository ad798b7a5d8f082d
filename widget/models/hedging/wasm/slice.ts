// One configured WASM engine instance (a shard) working on paths first .. first + size - 1, and where
// its buffers are in its linear memory.
import type { HedgerConfig } from '../config.js';
import { seedKey } from '../../../shared/philox.js';
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

export class Slice {
  constructor(
    readonly shard: Shard,
    readonly first: number,
    readonly size: number,
    readonly ptr: Pointers,
  ) {}

  static async open(shard: Shard, config: HedgerConfig, first: number, size: number): Promise<Slice> {
    const dt = config.maturity / config.steps;
    const [lo, hi] = seedKey(config.seed);
    const sigma = config.volatility;
    const r = await shard.run([
      {
        call: 'configure',
        args: [
          config.hidden, config.steps, size, first, lo, hi,
          (config.drift - 0.5 * sigma * sigma) * dt, sigma * Math.sqrt(dt),
          config.strike, config.option === 'put' ? 1 : 0, config.cost, config.bptt === 'per-depth' ? 1 : 0,
        ],
      },
      { call: 'paramsPointer' }, { call: 'gradientPointer' }, { call: 'pnlPointer' }, { call: 'costPointer' },
      { call: 'upstreamPointer' }, { call: 'spotPointer' }, { call: 'deltaPointer' }, { call: 'lanes' },
    ]);
    if (r[0] !== 0) throw new Error(`the WASM engine could not reserve memory for ${size} paths of ${config.steps} steps`);
    const [params, grad, pnl, cost, upstream, spot, delta, lanes] = r.slice(1) as number[];
    return new Slice(shard, first, size, { params, grad, pnl, cost, upstream, spot, delta, lanes });
  }
}

