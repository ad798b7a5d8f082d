// The master programme of the decomposition solver (./decomposition.ts): a small LP over martingale trees,
// solved by a revised primal simplex with a dense basis inverse. Written here rather than taken from HiGHS:
// the master has one row per first-date atom and per later atom (about 120 for the 3-date Asian), gains a
// column per first-date atom at every step and changes its costs when the box moves, so the previous basis
// stays feasible and a few pivots re-optimise it, where HiGHS would rebuild and re-solve from nothing.
//
//   max  sum_k cost_k lambda_k + sum_j (c_j - delta) r+_j - (c_j + delta) r-_j
//   s.t. sum_{k of root r} lambda_k = mu_1(r)                   (one row per first-date atom)
//        sum_k a_kj lambda_k + r+_j - r-_j = mu(j)              (one row per later atom kept)
//        lambda, r+, r- >= 0
//
// Its dual is the cutting-plane model of the semi-dual minimised over the box |u - c| <= delta: the duals of
// the later rows are the next trial static positions.

/** Entering columns need a reduced cost above this (relative to the costs' scale). */
const OPTIMALITY_TOLERANCE = 1e-11;
/** Pivots on entries below this are refused (the ratio test's tolerance). */
const PIVOT_TOLERANCE = 1e-11;
/** The basis inverse is recomputed from the basis every this many pivots (or 2 m for m rows: a refactorisation costs m^3, an update m^2), against drift. */
const REFACTOR_EVERY = 200;

export class TreeMaster {
  readonly rows: number;
  readonly roots: number;
  /** Later rows (rows - roots), each with its two slack columns r+ and r-. */
  private readonly later: number;
  private readonly rhs: Float64Array;
  private readonly center: Float64Array;
  private delta = 1;
  private readonly costScale: number;
  // Tree columns, sparse, in growing arrays.
  private columns = 0;
  private start = new Int32Array(256);
  private entryRow = new Int32Array(2048);
  private entryValue = new Float64Array(2048);
  private cost = new Float64Array(256);
  private treeBasic = new Uint8Array(256);
  /** The caller's name for each column (kept through pruning). */
  private tag = new Int32Array(256);
  private readonly slackBasic: Uint8Array;
  // Basis: the variable of each row (slacks 0..2*later-1, trees after), its inverse and values.
  private readonly basic: Int32Array;
  private readonly inverse: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly alpha: Float64Array;
  private readonly dense: Float64Array;
  private readonly rowNonzeros: Int32Array;
  private pivots = 0;
  private started = false;

  constructor(roots: number, rhs: Float64Array, costScale: number) {
    this.rows = rhs.length;
    this.roots = roots;
    this.later = rhs.length - roots;
    this.rhs = Float64Array.from(rhs);
    this.center = new Float64Array(this.later);
    this.costScale = costScale;
    const m = this.rows;
    this.slackBasic = new Uint8Array(2 * this.later);
    this.basic = new Int32Array(m);
    this.inverse = new Float64Array(m * m);
    this.x = new Float64Array(m);
    this.y = new Float64Array(m);
    this.alpha = new Float64Array(m);
    this.dense = new Float64Array(m * m);
    this.rowNonzeros = new Int32Array(m);
  }

  /** The box: the later rows' duals are kept within delta of center. */
  setBox(center: ArrayLike<number>, delta: number): void {
    this.center.set(center);
    this.delta = delta;
  }

  /** Adds a tree column: its root's row, its entries in the later rows (row indices >= roots), its cost. */
  addColumn(root: number, rows: ArrayLike<number>, values: ArrayLike<number>, count: number, cost: number, tag: number): void {
    if (this.columns + 1 >= this.start.length) {
      this.start = grow(this.start, this.start.length * 2);
      this.cost = grow(this.cost, this.cost.length * 2);
      this.treeBasic = grow(this.treeBasic, this.treeBasic.length * 2);
      this.tag = grow(this.tag, this.tag.length * 2);
    }
    const at = this.start[this.columns];
    if (at + count + 1 > this.entryRow.length) {
      this.entryRow = grow(this.entryRow, 2 * (at + count + 1));
      this.entryValue = grow(this.entryValue, 2 * (at + count + 1));
    }
    this.entryRow[at] = root;
    this.entryValue[at] = 1;
    for (let e = 0; e < count; e++) {
      this.entryRow[at + 1 + e] = rows[e];
      this.entryValue[at + 1 + e] = values[e];
    }
    this.cost[this.columns] = cost;
    this.tag[this.columns] = tag;
    this.treeBasic[this.columns] = 0;
    this.columns++;
    this.start[this.columns] = at + count + 1;
  }

  /**
   * The first basis: column `first[r]` carries root r's mass, and each later row's residual sits on its
   * r+ or r- slack. Feasible by construction.
   */
  startFrom(first: ArrayLike<number>): void {
    const m = this.rows;
    const residual = Float64Array.from(this.rhs);
    for (let r = 0; r < this.roots; r++) {
      const k = first[r];
      for (let e = this.start[k] + 1; e < this.start[k + 1]; e++) residual[this.entryRow[e]] -= this.entryValue[e] * this.rhs[r];
      this.basic[r] = 2 * this.later + k;
    }
    for (let j = 0; j < this.later; j++) this.basic[this.roots + j] = residual[this.roots + j] >= 0 ? j : this.later + j;
    this.slackBasic.fill(0);
    this.treeBasic.fill(0);
    for (let i = 0; i < m; i++) this.flag(this.basic[i], 1);
    this.refactor();
    this.started = true;
  }

  /**
   * Re-optimises from the current basis (costs may have moved with the box). Returns the optimal value
   * and leaves the duals in `duals()`; `converged` is false if the pivot budget ran out.
   */
  solve(maxPivots = 100 * this.rows): { value: number; converged: boolean } {
    if (!this.started) throw new Error('TreeMaster.solve before startFrom');
    const m = this.rows;
    const tolD = OPTIMALITY_TOLERANCE * this.costScale;
    let degenerate = 0;
    this.computeDuals();
    for (let it = 0; it < maxPivots; it++) {
      // Dantzig's rule; Bland's (the first improving column, the lowest index on ties) after a run of
      // degenerate pivots, which cannot cycle.
      const bland = degenerate > m;
      const enter = this.chooseEntering(tolD, bland);
      if (enter < 0) return { value: this.objective(), converged: true };
      this.column(enter, this.alpha);
      let leave = -1;
      let theta = Infinity;
      for (let i = 0; i < m; i++) {
        const a = this.alpha[i];
        if (a <= PIVOT_TOLERANCE) continue;
        const t = Math.max(this.x[i], 0) / a;
        if (t < theta || (t === theta && (bland ? this.basic[i] < this.basic[leave] : a > this.alpha[leave]))) {
          theta = t;
          leave = i;
        }
      }
      if (leave < 0) throw new Error('the decomposition master is unbounded: the marginals may not be in convex order');
      degenerate = theta === 0 ? degenerate + 1 : 0;
      this.pivot(enter, leave, theta, this.reducedCost(enter));
    }
    return { value: this.objective(), converged: false };
  }

  /** The entering variable, or -1 at optimality: Dantzig's rule, or Bland's (the first improving) if asked. */
  private chooseEntering(tolD: number, bland: boolean): number {
    let enter = -1;
    let best = tolD;
    for (let v = 0, total = 2 * this.later + this.columns; v < total; v++) {
      if (this.isBasic(v)) continue;
      const d = this.reducedCost(v);
      if (d > best) {
        best = d;
        enter = v;
        if (bland) break;
      }
    }
    return enter;
  }

  /** The duals of the last solve: roots' rows first, then the later rows (the trial static positions). */
  duals(): Float64Array {
    return this.y;
  }

  /** The masses lambda of the tree columns in the current basis, by tag (0 for the others), into `out`. */
  treeWeights(out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < this.rows; i++) {
      const v = this.basic[i] - 2 * this.later;
      if (v >= 0) out[this.tag[v]] = Math.max(this.x[i], 0);
    }
  }

  /**
   * Drops the non-basic tree columns whose reduced cost at the current duals is below -margin: pricing
   * every pivot costs a pass over the columns, and these are unlikely to return (pricing finds them again
   * if they do). The basis and its inverse are unchanged.
   */
  prune(margin: number): void {
    const L2 = 2 * this.later;
    const newIndex = new Int32Array(this.columns).fill(-1);
    let kept = 0;
    let at = 0;
    for (let k = 0; k < this.columns; k++) {
      const basic = this.treeBasic[k] === 1;
      if (!basic && this.reducedCost(L2 + k) < -margin) continue;
      const from = this.start[k];
      const to = this.start[k + 1];
      this.start[kept] = at;
      for (let e = from; e < to; e++, at++) {
        this.entryRow[at] = this.entryRow[e];
        this.entryValue[at] = this.entryValue[e];
      }
      this.cost[kept] = this.cost[k];
      this.tag[kept] = this.tag[k];
      this.treeBasic[kept] = this.treeBasic[k];
      newIndex[k] = kept++;
    }
    this.start[kept] = at;
    this.columns = kept;
    for (let i = 0; i < this.rows; i++) if (this.basic[i] >= L2) this.basic[i] = L2 + newIndex[this.basic[i] - L2];
  }

  /** Total |r+ - r-|: how far the trees' mixture is from the marginals. */
  slackMass(): number {
    let s = 0;
    for (let i = 0; i < this.rows; i++) if (this.basic[i] < 2 * this.later) s += Math.abs(this.x[i]);
    return s;
  }

  private flag(v: number, on: 0 | 1): void {
    if (v < 2 * this.later) this.slackBasic[v] = on;
    else this.treeBasic[v - 2 * this.later] = on;
  }

  private isBasic(v: number): boolean {
    return v < 2 * this.later ? this.slackBasic[v] === 1 : this.treeBasic[v - 2 * this.later] === 1;
  }

  private costOf(v: number): number {
    const L = this.later;
    if (v < L) return this.center[v] - this.delta;
    if (v < 2 * L) return -(this.center[v - L] + this.delta);
    return this.cost[v - 2 * L];
  }

  /** c_v - y'a_v: a slack's column is +-e of its row, a tree's its entries. */
  private reducedCost(v: number): number {
    const L = this.later;
    if (v < L) return this.costOf(v) - this.y[this.roots + v];
    if (v < 2 * L) return this.costOf(v) + this.y[this.roots + v - L];
    const k = v - 2 * L;
    let d = this.cost[k];
    for (let e = this.start[k]; e < this.start[k + 1]; e++) d -= this.y[this.entryRow[e]] * this.entryValue[e];
    return d;
  }

  /** out = B^-1 a_v. */
  private column(v: number, out: Float64Array): void {
    const m = this.rows;
    const L = this.later;
    const inv = this.inverse;
    if (v < 2 * L) {
      const row = this.roots + (v < L ? v : v - L);
      const sign = v < L ? 1 : -1;
      for (let i = 0; i < m; i++) out[i] = sign * inv[i * m + row];
      return;
    }
    const k = v - 2 * L;
    out.fill(0);
    for (let e = this.start[k]; e < this.start[k + 1]; e++) {
      const row = this.entryRow[e];
      const a = this.entryValue[e];
      for (let i = 0; i < m; i++) out[i] += inv[i * m + row] * a;
    }
  }

  private computeDuals(): void {
    const m = this.rows;
    const inv = this.inverse;
    this.y.fill(0);
    for (let i = 0; i < m; i++) {
      const c = this.costOf(this.basic[i]);
      if (c === 0) continue;
      for (let j = 0; j < m; j++) this.y[j] += c * inv[i * m + j];
    }
  }

  private objective(): number {
    let v = 0;
    for (let i = 0; i < this.rows; i++) v += this.costOf(this.basic[i]) * this.x[i];
    return v;
  }

  /** Pivots `enter` (reduced cost d) into row `leave`; the duals move by d times the new inverse's row. */
  private pivot(enter: number, leave: number, theta: number, d: number): void {
    const m = this.rows;
    const inv = this.inverse;
    const alpha = this.alpha;
    for (let i = 0; i < m; i++) this.x[i] -= theta * alpha[i];
    this.x[leave] = theta;
    const ar = alpha[leave];
    const rowL = leave * m;
    // The pivot row of the inverse is about half zeros here: the update runs over its nonzeros only.
    const nz = this.rowNonzeros;
    let count = 0;
    for (let j = 0; j < m; j++) {
      if (inv[rowL + j] === 0) continue;
      inv[rowL + j] /= ar;
      nz[count++] = j;
    }
    for (let i = 0; i < m; i++) {
      if (i === leave) continue;
      const a = alpha[i];
      if (a === 0) continue;
      const rowI = i * m;
      for (let t = 0; t < count; t++) {
        const j = nz[t];
        inv[rowI + j] -= a * inv[rowL + j];
      }
    }
    for (let t = 0; t < count; t++) this.y[nz[t]] += d * inv[rowL + nz[t]];
    this.flag(this.basic[leave], 0);
    this.basic[leave] = enter;
    this.flag(enter, 1);
    if (++this.pivots % Math.max(REFACTOR_EVERY, 2 * m) === 0) {
      this.refactor();
      this.computeDuals();
    }
  }

  /** Recomputes B^-1 (Gauss-Jordan, partial pivoting) and x = B^-1 b from the basis. */
  private refactor(): void {
    const m = this.rows;
    const B = this.dense;
    const inv = this.inverse;
    B.fill(0);
    for (let i = 0; i < m; i++) {
      const v = this.basic[i];
      if (v < 2 * this.later) {
        const row = this.roots + (v < this.later ? v : v - this.later);
        B[row * m + i] = v < this.later ? 1 : -1;
      } else {
        const k = v - 2 * this.later;
        for (let e = this.start[k]; e < this.start[k + 1]; e++) B[this.entryRow[e] * m + i] += this.entryValue[e];
      }
    }
    inv.fill(0);
    for (let i = 0; i < m; i++) inv[i * m + i] = 1;
    for (let c = 0; c < m; c++) {
      let p = c;
      for (let r = c + 1; r < m; r++) if (Math.abs(B[r * m + c]) > Math.abs(B[p * m + c])) p = r;
      if (Math.abs(B[p * m + c]) < 1e-300) throw new Error('the decomposition master lost its basis (singular)');
      if (p !== c) {
        for (let j = 0; j < m; j++) {
          let t = B[p * m + j]; B[p * m + j] = B[c * m + j]; B[c * m + j] = t;
          t = inv[p * m + j]; inv[p * m + j] = inv[c * m + j]; inv[c * m + j] = t;
        }
      }
      const d = B[c * m + c];
      for (let j = 0; j < m; j++) {
        B[c * m + j] /= d;
        inv[c * m + j] /= d;
      }
      for (let r = 0; r < m; r++) {
        if (r === c) continue;
        const f = B[r * m + c];
        if (f === 0) continue;
        for (let j = 0; j < m; j++) {
          B[r * m + j] -= f * B[c * m + j];
          inv[r * m + j] -= f * inv[c * m + j];
        }
      }
    }
    // B^-1 maps rows to basic positions: x = B^-1 b.
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += inv[i * m + j] * this.rhs[j];
      this.x[i] = s;
    }
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
