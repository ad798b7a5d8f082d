// uPlot helpers every element's charts use: the palette read from the element's styles, colours at an
// opacity, axes and lines in the card's look, and a log-scale axis labelled at decades only.
import type uPlot from 'uplot';
import { CHROME_COLORS, type Theme } from './theme.js';

/** The colours a chart draws with, as the element's styles currently resolve them (they follow prefers-color-scheme). */
export type Palette<Series extends string = string> = { text: string; muted: string; grid: string; font: string } & Record<Series, string>;

/** Reads the card's text colours and every series colour of `series` off the host's computed style. */
export function readPalette<T extends Theme>(host: HTMLElement, series: T): Palette<keyof T & string> {
  const s = getComputedStyle(host);
  const theme: Theme = { ...CHROME_COLORS, ...series };
  const palette: Record<string, string> = {};
  for (const name of ['text', 'muted', 'grid', ...Object.keys(series)]) palette[name] = s.getPropertyValue(`--_${name}`).trim() || theme[name][1];
  palette.font = s.fontFamily || 'system-ui, sans-serif';
  return palette as Palette<keyof T & string>;
}

let probe: CanvasRenderingContext2D | null = null;
/** `color` at `alpha` opacity as rgba(), whatever CSS colour syntax it came in. */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(c);
  if (rgba) {
    const [r, g, b] = rgba[1].split(',').map((x) => x.trim());
    return `rgba(${r},${g},${b},${alpha})`;
  }
  return color;
}

/** An axis in the card's muted colour and grid. */
export function axis(p: Palette, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: p.muted,
    font: `11px ${p.font}`,
    labelFont: `11px ${p.font}`,
    grid: { stroke: p.grid, width: 1 },
    ticks: { stroke: p.grid, width: 1, size: 4 },
    size: 42,
    gap: 3,
    ...extra,
  };
}

/** A line series without point markers, bridging gaps. */
export const line = (stroke: string, extra: uPlot.Series = {}): uPlot.Series => ({
  stroke, width: 1.5, points: { show: false }, spanGaps: true, ...extra,
});

const decades = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-6 ? v : null));

/** 1e-3 as "0.001", 1e-5 as "1e-5". */
function formatDecade(v: number): string {
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 3 ? String(Number(v.toPrecision(1))) : `1e${e}`;
}

/** A y axis for a log scale (`distr: 3`): label, tick and grid line at 1e-3, 1e-2, ..., not at every minor step. */
export function logAxis(p: Palette, extra: uPlot.Axis = {}): uPlot.Axis {
  return axis(p, {
    filter: decades,
    grid: { stroke: p.grid, width: 1, filter: decades },
    ticks: { stroke: p.grid, width: 1, size: 4, filter: decades },
    values: (_u, splits) => splits.map((v) => (v == null ? '' : formatDecade(v))),
    ...extra,
  });
}
