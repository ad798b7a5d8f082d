// The decomposition solver (docs/numerics.md, "Decomposition"): the exact LP by Dantzig-Wolfe over
// martingale trees, stabilised by a box (a bundle method on the semi-dual). Every martingale law from a
// first-date atom is a mixture of trees that split each history in two around its last atom, so the LP is a
// master over trees: one row per atom. Given static positions u_2..u_n, the envelopes of ./envelope.ts give
// at once the semi-dual's value (a valid bound) and, per first-date atom, the tree of greatest reduced cost
// (their contact points): the column to add. Atoms of negligible mass (the tree's far tails, down to 1e-19)
// are kept out of the master, priced at a fixed high position, so the master stays well scaled; the final
// strategy is enveloped and rounded on every path of the full problem, so each bound is valid regardless.
import { roundStrategy, payoffScale } from './entropic.js';
import { envelopeStrategy, envelopeWork, semiDual, type EnvelopeWork } from './envelope.js';
import type { SideSolution } from './lp.js';
import type { Problem } from './problem.js';
import { TreeMaster } from './tree-master.js';

/** Later atoms lighter than this stay out of the master (their rows would be under any LP tolerance). */
const NEGLIGIBLE_MASS = 1e-10;
/** Stop when the model's predicted decrease falls below this, relative to the payoff's scale. */
const DECOMPOSITION_TOLERANCE = 1e-6;
/** Evaluations of the semi-dual at most per side. */
const MAX_EVALUATIONS = 3000;
/** The box's half-width at the start, relative to the payoff's scale, and its bounds. */
const BOX_START = 0.5;
const BOX_MIN = 1e-6;
/** A trial that achieves this fraction of the predicted decrease moves the centre (a serious step). */
const SERIOUS_FRACTION = 0.1;
/** The box grows by BOX_GROW after a serious step on its edge that achieved half the prediction, and shrinks by BOX_SHRINK after NULL_STEPS_TO_SHRINK null steps. */
const BOX_GROW = 2;
const BOX_SHRINK = 0.7;
const NULL_STEPS_TO_SHRINK = 2;
/** Every PRUNE_EVERY evaluations, tree columns priced below -PRUNE_MARGIN (relative to the payoff's scale) leave the master. */
const PRUNE_EVERY = 10;
const PRUNE_MARGIN = 0.05;
/** The box of the final solve for the plan, relative to the payoff's scale: wide enough never to bind. */
const PLAN_BOX = 1e4;
/** Rows of the master above which the method is refused (its basis inverse is dense). */
const DECOMPOSITION_MAX_ROWS = 2500;

export interface DecompositionProgress {
  side: 1 | -1;
  evaluations: number;
  /** The best bound so far (valid) and the master's estimate of the optimum. */
  bound: number;
  model: number;
}

/** The problem as the master sees it: which later atoms have rows, and where. */
interface MasterLayout {
  /** Per date (0-based, date 0 unused), per atom: the master row, or -1 for an atom kept out. */
  row: Int32Array[];
  rows: number;
  rhs: Float64Array;
  /** The fixed position of the atoms kept out, side-signed, and their total cost mu * position. */
  outside: number;
  outsideCost: number;
}

function masterLayout(p: Problem, f: Float64Array): MasterLayout {
  const rhs: number[] = Array.from(p.marginals[0].weights);
  let excluded = 0;
  const row = p.marginals.map((m, i) =>
    Int32Array.from(m.weights, (w) => {
      if (i === 0) return -1;
      if (w < NEGLIGIBLE_MASS) {
        excluded += w;
        return -1;
      }
      rhs.push(w);
      return rhs.length - 1;
    }),
  );
  // High enough that a tree rarely reaches these atoms: they never lower a bound, only cost their mass.
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < p.cells; c++) {
    lo = Math.min(lo, f[c]);
    hi = Math.max(hi, f[c]);
  }
  const outside = 2 * (hi - lo) + 1;
  return { row, rows: rhs.length, rhs: Float64Array.from(rhs), outside, outsideCost: outside * excluded };
}

/** Trees found by pricing, kept as paths so the final mixture gives the coupling. */
class TreeStore {
  count = 0;
  start = [0];
  cells: number[] = [];
  mass: number[] = [];
  add(cells: ArrayLike<number>, mass: ArrayLike<number>, leaves: number): void {
    for (let l = 0; l < leaves; l++) {
      this.cells.push(cells[l]);
      this.mass.push(mass[l]);
    }
    this.count++;
    this.start.push(this.cells.length);
  }
}

/** Scratch of the pricing, allocated once per side. */
interface Pricing {
  work: EnvelopeWork;
  grad: Float64Array[];
  /** Two frontiers of a tree, level by level: histories and their masses (at the end, the leaves). */
  front: [Int32Array, Int32Array];
  frontMass: [Float64Array, Float64Array];
  /** A column's mass per master row, the rows it touches, and its values on them. */
  entryMass: Float64Array;
  touched: Int32Array;
  entryValues: Float64Array;
}

/**
 * The semi-dual at U (side-signed positions on every atom, U[0] unused) and, for each first-date atom, its
 * tree of contact points added to the master and the store. Returns the semi-dual's value.
 */
function price(p: Problem, f: Float64Array, U: Float64Array[], side: 1 | -1, layout: MasterLayout, s: Pricing, master: TreeMaster, store: TreeStore): number {
  const value = semiDual(p, U, side, s.grad, s.work);
  const n = p.sizes.length;
  const { lo, hi, lambda } = s.work;
  for (let r = 0; r < p.sizes[0]; r++) {
    // The tree from root r, level by level (at most 2^(n-1) leaves): each history splits at its two
    // contact points, in two frontiers that take turns.
    let from = 0;
    let count = 1;
    s.front[0][0] = r;
    s.frontMass[0][0] = 1;
    for (let level = 0; level < n - 1; level++) {
      const m = p.sizes[level + 1];
      const q = s.front[from];
      const w = s.frontMass[from];
      const nq = s.front[1 - from];
      const nw = s.frontMass[1 - from];
      let next = 0;
      for (let t = 0; t < count; t++) {
        const l = lambda[level][q[t]];
        if (l > 0) {
          nq[next] = q[t] * m + lo[level][q[t]];
          nw[next++] = w[t] * l;
        }
        if (l < 1) {
          nq[next] = q[t] * m + hi[level][q[t]];
          nw[next++] = w[t] * (1 - l);
        }
      }
      from = 1 - from;
      count = next;
    }
    const leafCell = s.front[from];
    const leafMass = s.frontMass[from];
    let cost = 0;
    let touched = 0;
    for (let t = 0; t < count; t++) {
      const c = leafCell[t];
      const w = leafMass[t];
      cost += w * f[c];
      for (let i = 1; i < n; i++) {
        const atom = Math.floor(c / p.below[i]) % p.sizes[i];
        const row = layout.row[i][atom];
        if (row < 0) {
          cost -= w * layout.outside;
          continue;
        }
        if (s.entryMass[row] === 0) s.touched[touched++] = row;
        s.entryMass[row] += w;
      }
    }
    for (let e = 0; e < touched; e++) {
      s.entryValues[e] = s.entryMass[s.touched[e]];
      s.entryMass[s.touched[e]] = 0;
    }
    master.addColumn(r, s.touched, s.entryValues, touched, cost, store.count);
    store.add(leafCell, leafMass, count);
  }
  return value;
}

/**
 * One side of the bounds by decomposition: +1 the upper bound (the cheapest super-replication), -1 the
 * lower. The bound is the cost of a strategy valid on every path.
 */
export function solveDecompositionSide(p: Problem, side: 1 | -1, onProgress?: (e: DecompositionProgress) => void): SideSolution & { evaluations: number } {
  const n = p.sizes.length;
  const f = Float64Array.from(p.payoff, (v) => side * v);
  const layout = masterLayout(p, f);
  if (layout.rows > DECOMPOSITION_MAX_ROWS) {
    throw new Error(
      `the decomposition solver's master would have ${layout.rows} rows (one per atom), above its ${DECOMPOSITION_MAX_ROWS}: fewer atoms (tree steps, grid points or strikes), or the lp solver`,
    );
  }
  const scale = payoffScale(p);
  const roots = p.sizes[0];
  const master = new TreeMaster(roots, layout.rhs, scale);
  const store = new TreeStore();
  const maxLeaves = 2 ** (n - 1);
  const pricing: Pricing = {
    work: envelopeWork(p),
    grad: p.sizes.map((m) => new Float64Array(m)),
    front: [new Int32Array(maxLeaves), new Int32Array(maxLeaves)],
    frontMass: [new Float64Array(maxLeaves), new Float64Array(maxLeaves)],
    entryMass: new Float64Array(layout.rows),
    touched: new Int32Array(layout.rows),
    entryValues: new Float64Array(layout.rows),
  };
  // Positions on every atom: the master's rows, or the fixed position of atoms kept out.
  const later = layout.rows - roots;
  const U = p.sizes.map((m, i) => new Float64Array(m).fill(i === 0 ? 0 : layout.outside));
  const load = (u: ArrayLike<number>): void => {
    for (let i = 1; i < n; i++) for (let a = 0; a < p.sizes[i]; a++) if (layout.row[i][a] >= 0) U[i][a] = u[layout.row[i][a] - roots];
  };
  const center = new Float64Array(later);
  const trial = new Float64Array(later);
  load(center);
  let fc = price(p, f, U, side, layout, pricing, master, store);
  master.startFrom(Array.from({ length: roots }, (_, r) => r));
  let delta = BOX_START * scale;
  master.setBox(center, delta);
  let evaluations = 1;
  let nulls = 0;
  for (;;) {
    const model = master.solve().value + layout.outsideCost;
    const predicted = fc - model;
    onProgress?.({ side, evaluations, bound: side * fc, model: side * model });
    const y = master.duals();
    let step = 0;
    for (let j = 0; j < later; j++) {
      trial[j] = y[roots + j];
      step = Math.max(step, Math.abs(trial[j] - center[j]));
    }
    if (evaluations >= MAX_EVALUATIONS) break;
    if (predicted <= DECOMPOSITION_TOLERANCE * scale) {
      // The model promises nothing more inside the box: optimal if the box does not bind, else widen it.
      if (step < 0.999 * delta || delta >= PLAN_BOX * scale) break;
      delta *= BOX_GROW;
      master.setBox(center, delta);
      continue;
    }
    if (evaluations % PRUNE_EVERY === 0) master.prune(PRUNE_MARGIN * scale);
    load(trial);
    const ft = price(p, f, U, side, layout, pricing, master, store);
    evaluations++;
    if (ft <= fc - SERIOUS_FRACTION * predicted) {
      // A serious step: the centre moves; a step that reached the box's edge and kept half its promise
      // says the box is too small.
      if (step >= 0.999 * delta && ft <= fc - 0.5 * predicted) delta *= BOX_GROW;
      center.set(trial);
      fc = ft;
      nulls = 0;
    } else if (++nulls >= NULL_STEPS_TO_SHRINK) {
      delta = Math.max(delta * BOX_SHRINK, BOX_MIN * scale);
      nulls = 0;
    }
    master.setBox(center, delta);
  }
  // The centre's strategy on the full problem: envelopes, then the c-transform rounding in f64.
  load(center);
  const enveloped = envelopeStrategy(p, { u: U.map((u) => Float64Array.from(u, (v) => side * v)), h: [] }, side);
  const { strategy, bound } = roundStrategy(p, side, enveloped);
  // The plan: the master once more with a box too wide to bind, so its slack leaves the marginals
  // wherever the trees found can carry them; then its E[f] is a feasible price and the gap is certified.
  master.setBox(center, PLAN_BOX * scale);
  master.solve();
  const weights = new Float64Array(store.count);
  master.treeWeights(weights);
  const coupling = new Float64Array(p.cells);
  for (let k = 0; k < store.count; k++) {
    if (weights[k] === 0) continue;
    for (let e = store.start[k]; e < store.start[k + 1]; e++) coupling[store.cells[e]] += weights[k] * store.mass[e];
  }
  let primal = 0;
  for (let c = 0; c < p.cells; c++) primal += coupling[c] * p.payoff[c];
  return { value: bound, primal, coupling, strategy, gap: side * (bound - primal), evaluations, marginalViolation: master.slackMass() };
}
