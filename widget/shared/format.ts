// Number formatting shared by the CLI and the elements' status lines.

/** 8.47e6 as "8.47M"; "–" for what is not a positive finite rate. */
export function formatRate(perSecond: number): string {
  const r = perSecond;
  if (!(r > 0) || !Number.isFinite(r)) return '–';
  if (r >= 1e9) return `${(r / 1e9).toFixed(2)}G`;
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k`;
  return r.toFixed(0);
}
