// The exact linear programme of SPEC section 6 (primal: the coupling on every path of atoms; dual: u_i on
// each marginal's atoms and h_i on each history), solved by HiGHS (the `highs` package, HiGHS compiled to
// WASM), imported only when this solver is asked for. Presolve is off: HiGHS 1.15's presolve wrongly
// reports some of these LPs infeasible (3-date payoffs under dual simplex, the 4-date Asian).
import type { Problem, Strategy } from './problem.js';

/** Paths (LP columns) above which the LP is refused before it is built: HiGHS's WASM heap is 2 GiB at most. */
export const LP_MAX_CELLS = 1_500_000;

export interface SideSolution {
  value: number;
  /** Primal: the optimal coupling's mass on every path (row-major). */
  coupling: Float64Array;
  strategy: Strategy;
  /** Primal objective minus dual objective (HiGHS's, in price units). */
  gap: number;
}

type HighsModule = typeof import('highs');
let highsLoad: Promise<Awaited<ReturnType<HighsModule['default']>>> | null = null;

function loadHighs() {
  // Once per process: the WASM runtime is 3.5 MB and reusable across models.
  highsLoad ??= import('highs').then((m) => (m.default as unknown as HighsModule['default'])());
  return highsLoad;
}

/** Row offsets: marginal rows of date i from marginalRow[i], martingale rows of level i from martingaleRow[i]. */
function rowLayout(p: Problem) {
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

/** Column-wise matrix: each path has one entry per marginal row and one per martingale row with x_{i+1} != x_i. */
function buildMatrix(p: Problem) {
  const n = p.sizes.length;
  const { marginalRow, martingaleRow, rows } = rowLayout(p);
  const perCol = 2 * n - 1;
  const starts = new Int32Array(p.cells + 1);
  const indices = new Int32Array(p.cells * perCol);
  const values = new Float64Array(p.cells * perCol);
  const k = new Int32Array(n);
  let nz = 0;
  for (let c = 0; c < p.cells; c++) {
    let rest = c;
    for (let i = n - 1; i >= 0; i--) {
      k[i] = rest % p.sizes[i];
      rest = (rest - k[i]) / p.sizes[i];
    }
    starts[c] = nz;
    for (let i = 0; i < n; i++) {
      indices[nz] = marginalRow[i] + k[i];
      values[nz++] = 1;
    }
    let prefix = 0;
    for (let i = 0; i < n - 1; i++) {
      prefix = prefix * p.sizes[i] + k[i];
      const dx = p.marginals[i + 1].atoms[k[i + 1]] - p.marginals[i].atoms[k[i]];
      if (dx !== 0) {
        indices[nz] = martingaleRow[i] + prefix;
        values[nz++] = dx;
      }
    }
  }
  starts[p.cells] = nz;
  const rhs = new Float64Array(rows);
  p.marginals.forEach((m, i) => rhs.set(m.weights, marginalRow[i]));
  return { rows, starts, indices: indices.subarray(0, nz), values: values.subarray(0, nz), rhs, marginalRow, martingaleRow };
}

/** One side of the LP: side +1 maximises E[f] (upper bound), -1 minimises it (lower bound). */
export async function solveLp(p: Problem, sides: readonly (1 | -1)[]): Promise<Map<1 | -1, SideSolution>> {
  const highs = await loadHighs();
  const m = buildMatrix(p);
  const out = new Map<1 | -1, SideSolution>();
  // HiGHS minimises c.pi; the upper bound is -min(-f.pi). Reduced costs c - A'y >= 0 make y a
  // sub-replication of c, so for the upper bound -y super-replicates f.
  for (const side of sides) {
    const colCost = new Float64Array(p.cells);
    for (let c = 0; c < p.cells; c++) colCost[c] = -side * p.payoff[c];
    const model = highs.createModel({
      numCols: p.cells,
      numRows: m.rows,
      colCost,
      colLower: new Float64Array(p.cells),
      colUpper: new Float64Array(p.cells).fill(highs.infinity),
      rowLower: m.rhs,
      rowUpper: m.rhs,
      matrix: { format: 'csc', numRows: m.rows, numCols: p.cells, starts: m.starts, indices: m.indices, values: m.values },
    });
    try {
      // Interior point then crossover: a vertex, so the duals are exact and the coupling sparse.
      model.options.set({ output_flag: false, presolve: 'off', solver: 'ipm', run_crossover: 'on' });
      model.run();
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) {
        throw new Error(`the LP solver (HiGHS) stopped with status ${status} on the ${side > 0 ? 'upper' : 'lower'} bound; the marginals may not be in convex order`);
      }
      const sol = model.getSolution();
      const y = sol.rowDual;
      const u = p.marginals.map((mu, i) => Float64Array.from(mu.weights, (_, a) => -side * y[m.marginalRow[i] + a]));
      const h = m.martingaleRow.map((r0, i) => Float64Array.from({ length: p.prefixes[i + 1] }, (_, q) => -side * y[r0 + q]));
      let primal = 0;
      for (let c = 0; c < p.cells; c++) primal += sol.colValue[c] * p.payoff[c];
      let dual = 0;
      for (let r = 0; r < m.rows; r++) dual += m.rhs[r] * y[r];
      dual *= -side;
      out.set(side, { value: primal, coupling: sol.colValue, strategy: { u, h }, gap: side * (dual - primal) });
    } finally {
      model.dispose();
    }
  }
  return out;
}
