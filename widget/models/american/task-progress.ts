// What the American pricing task reports between its turns (widget/models/american/task.ts), as plain data
// the element can import without pulling in the WASM module.
import type { TrainingProgress } from '../../runtime/training/trainer.js';

/** LSM's phases in the order they run; `lsmPhase` in the progress is an index into this list. */
export const LSM_PHASES = ['training', 'pricing', 'dual'] as const;
export type LsmPhase = (typeof LSM_PHASES)[number];

/**
 * The task's progress: the lattice's price (`price`, at once), LSM's share of its work done (0 to 1) and
 * phase, the European value. `iteration` counts network training iterations (0 until there is a network).
 */
export type AmericanTaskProgress = TrainingProgress & Record<string, number> & {
  european: number;
  lattice: number;
  lsmFraction: number;
  lsmPhase: number;
};
