// A fixed-capacity replay buffer of transitions (O_t, A_t, R_t, gamma_t, O_{t+1}) in typed arrays,
// overwriting the oldest when full, with uniform sampling from a seeded Philox stream.
import { philox4x32, seedKey, uniformOf } from '../../shared/philox.js';

export interface Transitions {
  /** n x observationSize, row-major. */
  observation: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  gamma: Float32Array;
  nextObservation: Float32Array;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly observationSize: number;
  private readonly obs: Float32Array;
  private readonly next: Float32Array;
  private readonly action: Float32Array;
  private readonly reward: Float32Array;
  private readonly gamma: Float32Array;
  private count = 0;
  private head = 0;
  private draws = 0;
  private readonly key: [number, number];

  constructor(capacity: number, observationSize = 5, seed = 0) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 26) {
      throw new RangeError(`ReplayBuffer: capacity must be an integer from 1 to ${1 << 26}, got ${capacity}`);
    }
    if (!Number.isInteger(observationSize) || observationSize < 1) {
      throw new RangeError(`ReplayBuffer: observationSize must be a positive integer, got ${observationSize}`);
    }
    this.capacity = capacity;
    this.observationSize = observationSize;
    this.obs = new Float32Array(capacity * observationSize);
    this.next = new Float32Array(capacity * observationSize);
    this.action = new Float32Array(capacity);
    this.reward = new Float32Array(capacity);
    this.gamma = new Float32Array(capacity);
    this.key = seedKey(seed);
  }

  get size(): number {
    return this.count;
  }

  /** Adds n transitions (n = action.length); gamma is one number for all or one per transition. */
  add(t: { observation: ArrayLike<number>; action: ArrayLike<number>; reward: ArrayLike<number>; gamma: number | ArrayLike<number>; nextObservation: ArrayLike<number> }): void {
    const n = t.action.length;
    const d = this.observationSize;
    const problems: string[] = [];
    if (t.reward.length !== n) problems.push(`reward has ${t.reward.length} entries, action has ${n}`);
    if (t.observation.length !== n * d) problems.push(`observation has ${t.observation.length} entries, expected ${n} x ${d}`);
    if (t.nextObservation.length !== n * d) problems.push(`nextObservation has ${t.nextObservation.length} entries, expected ${n} x ${d}`);
    if (typeof t.gamma !== 'number' && t.gamma.length !== n) problems.push(`gamma has ${t.gamma.length} entries, action has ${n}`);
    if (problems.length) throw new RangeError('ReplayBuffer.add: ' + problems.join('; '));
    for (let i = 0; i < n; i++) {
      const at = this.head;
      for (let f = 0; f < d; f++) {
        this.obs[at * d + f] = t.observation[i * d + f];
        this.next[at * d + f] = t.nextObservation[i * d + f];
      }
      this.action[at] = t.action[i];
      this.reward[at] = t.reward[i];
      this.gamma[at] = typeof t.gamma === 'number' ? t.gamma : t.gamma[i];
      this.head = (this.head + 1) % this.capacity;
      this.count = Math.min(this.count + 1, this.capacity);
    }
  }

  /** n transitions drawn uniformly, with replacement, from what the buffer holds. */
  sample(n: number): Transitions {
    if (this.count === 0) throw new RangeError('ReplayBuffer.sample: the buffer is empty');
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`ReplayBuffer.sample: n must be a positive integer, got ${n}`);
    const d = this.observationSize;
    const out: Transitions = {
      observation: new Float32Array(n * d),
      action: new Float32Array(n),
      reward: new Float32Array(n),
      gamma: new Float32Array(n),
      nextObservation: new Float32Array(n * d),
    };
    for (let i = 0; i < n; i += 4) {
      const words = philox4x32(this.draws++, 1, 0, 2, this.key[0], this.key[1]); // stream 2, iteration 1: apart from the initial weights
      for (let q = 0; q < 4 && i + q < n; q++) {
        const j = Math.min(this.count - 1, Math.floor(uniformOf(words[q]) * this.count));
        const r = i + q;
        out.observation.set(this.obs.subarray(j * d, j * d + d), r * d);
        out.nextObservation.set(this.next.subarray(j * d, j * d + d), r * d);
        out.action[r] = this.action[j];
        out.reward[r] = this.reward[j];
        out.gamma[r] = this.gamma[j];
      }
    }
    return out;
  }
}
