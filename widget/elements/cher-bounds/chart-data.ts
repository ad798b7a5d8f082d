// <cher-bounds>'s chart data: series from the worker and the solver's report turned into uPlot's aligned
// arrays, each through align() (base/chart-data.ts), so nothing non-finite reaches a chart.
import type { Marginal } from '../../models/bounds/solve.js';
import { align, finite, type Aligned } from '../base/chart-data.js';
import type { SeriesData } from '../worker/protocol.js';

/** Mass left out of each tail of the spot range shown (the tree's far atoms would squash the picture). */
const TAIL_MASS = 1e-3;
/** Most cells per side of a coupling's heatmap: finer laws are grouped into bands of atoms. */
export const HEATMAP_CELLS = 120;

/** Several series on the union of their x values (gaps where one has no point). */
export function mergeSeries(series: readonly SeriesData[], options: { positive?: boolean } = {}): Aligned {
  const rows = new Map<number, (number | null)[]>();
  series.forEach((s, j) =>
    s.x.forEach((x, i) => {
      let row = rows.get(x);
      if (!row) rows.set(x, (row = series.map(() => null)));
      row[j] = s.y[i];
    }),
  );
  const x = [...rows.keys()];
  const values = [...rows.values()];
  return align(x, series.map((_, j) => values.map((r) => r[j])), options);
}

/** Bounds known so far, the plan's E[f] and the model's price (a constant line) by sweep. */
export function intervalData(lower: SeriesData, upper: SeriesData, primal: SeriesData, model: number): Aligned {
  const [x, ...cols] = mergeSeries([lower, upper, primal]);
  return align(x, [...cols, x.map(() => (finite(model) ? model : null))]);
}

/** The spot range holding all but TAIL_MASS of every marginal at each end, padded by 5%. */
export function spotRange(marginals: readonly Marginal[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of marginals) {
    const n = m.atoms.length;
    for (let a = 0, c = 0; a < n; a++) if ((c += m.weights[a]) > TAIL_MASS) {
      lo = Math.min(lo, m.atoms[a]);
      break;
    }
    for (let a = n - 1, c = 0; a >= 0; a--) if ((c += m.weights[a]) > TAIL_MASS) {
      hi = Math.max(hi, m.atoms[a]);
      break;
    }
  }
  if (!finite(lo) || !finite(hi) || hi <= lo) return finite(lo) ? [lo - 1, lo + 1] : [0, 1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

const inRange = (x: number, [lo, hi]: [number, number]) => x >= lo && x <= hi;

/** Each date's law on the union of the atoms in range: probability at its atoms, gaps elsewhere. */
export function marginalsData(marginals: readonly Marginal[], range: [number, number]): Aligned {
  return atomColumns(marginals, range, marginals.map((m) => m.weights));
}

/** Values on each date's atoms (in range), on the union of those atoms. */
function atomColumns(marginals: readonly Marginal[], range: [number, number], values: readonly ArrayLike<number>[]): Aligned {
  return mergeSeries(
    marginals.map((m, i) => {
      const s: SeriesData = { x: [], y: [] };
      for (let a = 0; a < m.atoms.length; a++) {
        if (!inRange(m.atoms[a], range)) continue;
        s.x.push(m.atoms[a]);
        s.y.push(values[i][a]);
      }
      return s;
    }),
  );
}

/**
 * The static positions u_i of the super-replication (upper), then of the sub-replication (lower). Only
 * their total is determined (u_1 + c with u_n - c replicates as well), so each is shown with its mean
 * under mu_i moved to the last date: every earlier position costs 0, the last one costs the bound.
 */
export function strategyData(marginals: readonly Marginal[], range: [number, number], upper: readonly ArrayLike<number>[], lower: readonly ArrayLike<number>[]): Aligned {
  return atomColumns([...marginals, ...marginals], range, [...centred(marginals, upper), ...centred(marginals, lower)]);
}

function centred(marginals: readonly Marginal[], u: readonly ArrayLike<number>[]): Float64Array[] {
  const n = marginals.length;
  const means = marginals.map((m, i) => m.weights.reduce((s, w, a) => s + w * u[i][a], 0));
  const moved = means.slice(0, n - 1).reduce((s, v) => s + v, 0);
  return u.map((ui, i) => Float64Array.from(ui, (v) => (i < n - 1 ? v - means[i] : v + moved)));
}

/** E[X_2 | X_1 = x] under a coupling [atom of X_1][atom of X_2], at the atoms of X_1 in range with mass. */
export function conditionalMeanData(first: Marginal, second: Marginal, coupling: readonly (readonly number[])[], range: [number, number]): Aligned {
  const x: number[] = [];
  const y: (number | null)[] = [];
  coupling.forEach((row, a) => {
    const s = first.atoms[a];
    if (!inRange(s, range)) return;
    let mass = 0;
    let sum = 0;
    row.forEach((w, b) => {
      if (!(w > 0)) return;
      mass += w;
      sum += w * second.atoms[b];
    });
    x.push(s);
    y.push(mass > 1e-12 ? sum / mass : null);
  });
  return align(x, [y]);
}

/** A heatmap cell: its spot intervals on both axes and its mass. */
export interface Cell {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  mass: number;
}

/**
 * Bands of consecutive atoms (in range) of one law, at most HEATMAP_CELLS: each band's atom indices and
 * its edges halfway to the neighbouring atoms.
 */
function bands(atoms: ArrayLike<number>, range: [number, number]): { from: number; to: number; lo: number; hi: number }[] {
  const inside: number[] = [];
  for (let a = 0; a < atoms.length; a++) if (inRange(atoms[a], range)) inside.push(a);
  if (!inside.length) return [];
  const per = Math.ceil(inside.length / HEATMAP_CELLS);
  // Halfway to the neighbour on `side`; at either end, as far as to the neighbour on the other side.
  const edge = (a: number, side: -1 | 1) => {
    const b = a + side;
    if (b >= 0 && b < atoms.length) return (atoms[a] + atoms[b]) / 2;
    const other = atoms[a - side];
    return atoms[a] + (side * (other === undefined ? 1 : Math.abs(atoms[a] - other))) / 2;
  };
  const out = [];
  for (let k = 0; k < inside.length; k += per) {
    const from = inside[k];
    const to = inside[Math.min(k + per, inside.length) - 1];
    out.push({ from, to, lo: edge(from, -1), hi: edge(to, 1) });
  }
  return out;
}

/** The coupling's mass grouped into heatmap cells (empty cells left out; masses finite and positive). */
export function heatmapCells(first: Marginal, second: Marginal, coupling: readonly (readonly number[])[], range: [number, number]): Cell[] {
  const rows = bands(first.atoms, range);
  const cols = bands(second.atoms, range);
  const cells: Cell[] = [];
  for (const r of rows) {
    for (const c of cols) {
      let mass = 0;
      for (let a = r.from; a <= r.to; a++) for (let b = c.from; b <= c.to; b++) {
        const w = coupling[a]?.[b];
        if (finite(w) && w > 0) mass += w;
      }
      if (mass > 0) cells.push({ x0: r.lo, x1: r.hi, y0: c.lo, y1: c.hi, mass });
    }
  }
  return cells;
}
