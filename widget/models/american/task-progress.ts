// What the American pricing task reports between its turns (widget/models/american/task.ts), as plain data
// the element can import without pulling in the WASM module.
import type { TrainingProgress } from '../../runtime/training/trainer.js';
import type { NetworkMethodResult } from './network/report.js';
import type { AmericanReport } from './price.js';

/** The task's report: the lattice, LSM once priced, and the value network once trained and evaluated. */
export type AmericanTaskReport = AmericanReport & { methods: AmericanReport['methods'] & { network?: NetworkMethodResult } };

/** LSM's phases in the order they run; `lsmPhase` in the progress is an index into this list. */
export const LSM_PHASES = ['training', 'pricing', 'dual'] as const;
export type LsmPhase = (typeof LSM_PHASES)[number];

/**
 * The task's progress: the lattice's price (`price`, at once), LSM's share of its work done (0 to 1) and
 * phase, the European value. `iteration` counts the value network's training iterations (0 before it
 * trains), `loss` its latest mean squared TD error and `network` its price V(0, S0) (NaN before it trains).
 */
export type AmericanTaskProgress = TrainingProgress & Record<string, number> & {
  european: number;
  lattice: number;
  lsmFraction: number;
  lsmPhase: number;
  network: number;
};
