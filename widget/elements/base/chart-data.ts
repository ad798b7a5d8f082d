// The one gate between an element's numbers and uPlot: non-finite values become gaps (null), points
// without a finite x are dropped, and log-scale series lose non-positive values. Every chart's data
// builder ends in align(), so no chart ever receives NaN.

export type Column = (number | null)[];
/** uPlot's aligned data: x values, then one column per series. */
export type Aligned = [number[], ...Column[]];

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Aligns columns to `x`, dropping points whose x is not finite and turning bad y values into gaps. */
export function align(x: ArrayLike<number>, columns: ArrayLike<number | null | undefined>[], options: { positive?: boolean } = {}): Aligned {
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (finite(x[i])) keep.push(i);
  // uPlot needs ascending x; sort indices if the source is not.
  let sorted = true;
  for (let j = 1; j < keep.length; j++) if (x[keep[j]] < x[keep[j - 1]]) sorted = false;
  if (!sorted) keep.sort((a, b) => x[a] - x[b]);
  const xs = keep.map((i) => x[i]);
  const cols = columns.map((c) =>
    keep.map((i) => {
      const v = i < c.length ? c[i] : null;
      return finite(v) && (!options.positive || v > 0) ? v : null;
    }),
  );
  return [xs, ...cols];
}

/** True when some series has at least one drawable value. */
export function hasValues(data: Aligned): boolean {
  return data[0].length > 0 && data.slice(1).some((c) => (c as Column).some((v) => v !== null));
}
