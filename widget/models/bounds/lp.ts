// The exact linear programme of docs/numerics.md's model-free bounds section (primal: the coupling on every path of atoms; dual: u_i on
// each marginal's atoms and h_i on each history), solved by HiGHS (the `highs` package, HiGHS compiled to
// WASM), imported only when this solver is asked for. Presolve is off: HiGHS 1.15's presolve wrongly
// reports some of these LPs infeasible (3-date payoffs under dual simplex, the 4-date Asian).
// Two methods: 'exact' (interior point then crossover: a vertex, exact duals, sparse coupling) and 'interior'
// (interior point alone, stopped at a loose tolerance: about 4x faster on the 3-date Asian, whose crossover is
// most of the time; its duals are not quite feasible, so they go through the entropic solver's c-transform
// rounding, and the bound reported is the cost of the rounded strategy, valid on every path). A third method,
// 'decomposition' (./decomposition.ts), solves the same LP without HiGHS, by Dantzig-Wolfe over trees.
import { solveDecompositionSide, type DecompositionProgress } from './decomposition.js';
import { roundStrategy } from './entropic.js';
import type { Problem, Strategy } from './problem.js';

export type LpMethod = 'exact' | 'interior' | 'decomposition';

/** The interior method's optimality tolerance: the rounded bounds stay within 2e-4 of the LP's (3-date Asian). */
const INTERIOR_TOLERANCE = 1e-6;

/** Paths (LP columns) above which the LP is refused before it is built: HiGHS's WASM heap is 2 GiB at most. */
export const LP_MAX_CELLS = 1_500_000;

export interface SideSolution {
  value: number;
  /** Primal: the optimal coupling's mass on every path (row-major). */
  coupling: Float64Array;
  strategy: Strategy;
  /** Dual cost minus primal value, side-signed (>= 0 up to HiGHS's tolerance for 'exact'). */
  gap: number;
  /** E[f] under the coupling (the same as value for 'exact'). */
  primal: number;
  /** Decomposition: how far the coupling's marginals are from the given ones (total absolute mass). */
  marginalViolation?: number;
}

type HighsModule = typeof import('highs');
let highsLoad: Promise<Awaited<ReturnType<HighsModule['default']>>> | null = null;

export function loadHighs() {
  // Once per process: the WASM runtime is 3.5 MB and reusable across models.
  highsLoad ??= import('highs').then((m) => (m.default as unknown as HighsModule['default'])());
  return highsLoad;
}

export type RowLayout = ReturnType<typeof rowLayout>;

/** Row offsets: marginal rows of date i from marginalRow[i], martingale rows of level i from martingaleRow[i]. */
export function rowLayout(p: Problem) {
  const n = p.sizes.length;
  const marginalRow: number[] = [];
  let r = 0;
  for (let i = 0; i < n; i++) {
    marginalRow.push(r);
    r += p.sizes[i];
  }
  const martingaleRow: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    martingaleRow.push(r);
    r += p.prefixes[i + 1];
  }
  return { marginalRow, martingaleRow, rows: r };
}

/**
 * The LP column of path c (digits k of its atoms, filled here): one entry per marginal row and one per
 * martingale row with x_{i+1} != x_i, written at `at`; returns the next free position.
 */
export function columnEntries(p: Problem, rows: RowLayout, c: number, k: Int32Array, indices: Int32Array, values: Float64Array, at: number): number {
  const n = p.sizes.length;
  let rest = c;
  for (let i = n - 1; i >= 0; i--) {
    k[i] = rest % p.sizes[i];
    rest = (rest - k[i]) / p.sizes[i];
  }
  let nz = at;
  for (let i = 0; i < n; i++) {
    indices[nz] = rows.marginalRow[i] + k[i];
    values[nz++] = 1;
  }
  let prefix = 0;
  for (let i = 0; i < n - 1; i++) {
    prefix = prefix * p.sizes[i] + k[i];
    const dx = p.marginals[i + 1].atoms[k[i + 1]] - p.marginals[i].atoms[k[i]];
    if (dx !== 0) {
      indices[nz] = rows.martingaleRow[i] + prefix;
      values[nz++] = dx;
    }
  }
  return nz;
}

/** The right-hand side: the marginals' weights, zeros for the martingale rows. */
export function rowBounds(p: Problem, rows: RowLayout): Float64Array {
  const rhs = new Float64Array(rows.rows);
  p.marginals.forEach((m, i) => rhs.set(m.weights, rows.marginalRow[i]));
  return rhs;
}

/** Column-wise matrix of a set of paths (all of them by default). */
export function buildMatrix(p: Problem, rows: RowLayout, paths?: ArrayLike<number>) {
  const count = paths ? paths.length : p.cells;
  const perCol = 2 * p.sizes.length - 1;
  const starts = new Int32Array(count + 1);
  const indices = new Int32Array(count * perCol);
  const values = new Float64Array(count * perCol);
  const k = new Int32Array(p.sizes.length);
  let nz = 0;
  for (let j = 0; j < count; j++) {
    starts[j] = nz;
    nz = columnEntries(p, rows, paths ? paths[j] : j, k, indices, values, nz);
  }
  starts[count] = nz;
  return { starts, indices: indices.subarray(0, nz), values: values.subarray(0, nz) };
}

/** The dual of the LP's rows as a strategy of the side's bound (see solveLp for the signs). */
export function strategyOf(p: Problem, rows: RowLayout, y: ArrayLike<number>, side: 1 | -1): Strategy {
  return {
    u: p.marginals.map((mu, i) => Float64Array.from(mu.weights, (_, a) => -side * y[rows.marginalRow[i] + a])),
    h: rows.martingaleRow.map((r0, i) => Float64Array.from({ length: p.prefixes[i + 1] }, (_, q) => -side * y[r0 + q])),
  };
}

/** One side of the LP: side +1 maximises E[f] (upper bound), -1 minimises it (lower bound). */
export async function solveLp(
  p: Problem, sides: readonly (1 | -1)[], method: LpMethod = 'exact', onDecomposition?: (e: DecompositionProgress) => void,
): Promise<Map<1 | -1, SideSolution>> {
  if (method === 'decomposition') return new Map(sides.map((side) => [side, solveDecompositionSide(p, side, onDecomposition)]));
  const highs = await loadHighs();
  const rows = rowLayout(p);
  const m = buildMatrix(p, rows);
  const rhs = rowBounds(p, rows);
  const out = new Map<1 | -1, SideSolution>();
  // HiGHS minimises c.pi; the upper bound is -min(-f.pi). Reduced costs c - A'y >= 0 make y a
  // sub-replication of c, so for the upper bound -y super-replicates f.
  for (const side of sides) {
    const colCost = new Float64Array(p.cells);
    for (let c = 0; c < p.cells; c++) colCost[c] = -side * p.payoff[c];
    const model = highs.createModel({
      numCols: p.cells,
      numRows: rows.rows,
      colCost,
      colLower: new Float64Array(p.cells),
      colUpper: new Float64Array(p.cells).fill(highs.infinity),
      rowLower: rhs,
      rowUpper: rhs,
      matrix: { format: 'csc', numRows: rows.rows, numCols: p.cells, starts: m.starts, indices: m.indices, values: m.values },
    });
    try {
      const exact = method === 'exact';
      model.options.set({
        output_flag: false, presolve: 'off', solver: 'ipm', run_crossover: exact ? 'on' : 'off',
        ...(exact ? {} : { ipm_optimality_tolerance: INTERIOR_TOLERANCE }),
      });
      model.run();
      const status = model.getModelStatus();
      // Without crossover HiGHS reports 'unknown' (15) when its interior solution is not certified to its
      // default tolerances: the rounding below makes the strategy valid whatever they are.
      const accepted = exact ? [highs.constants.modelStatus.optimal] : [highs.constants.modelStatus.optimal, highs.constants.modelStatus.unknown];
      if (!(accepted as number[]).includes(status)) {
        throw new Error(`the LP solver (HiGHS) stopped with status ${status} on the ${side > 0 ? 'upper' : 'lower'} bound; the marginals may not be in convex order`);
      }
      const sol = model.getSolution();
      const y = sol.rowDual;
      let primal = 0;
      for (let c = 0; c < p.cells; c++) primal += sol.colValue[c] * p.payoff[c];
      let dual = 0;
      for (let r = 0; r < rows.rows; r++) dual += rhs[r] * y[r];
      dual *= -side;
      if (exact) {
        out.set(side, { value: primal, primal, coupling: sol.colValue, strategy: strategyOf(p, rows, y, side), gap: side * (dual - primal) });
      } else {
        const { strategy, bound } = roundStrategy(p, side, strategyOf(p, rows, y, side));
        out.set(side, { value: bound, primal, coupling: sol.colValue, strategy, gap: side * (bound - primal) });
      }
    } finally {
      model.dispose();
    }
  }
  return out;
}
