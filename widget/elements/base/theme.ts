// The colours every element is drawn with, in one place: the CSS (styles.ts) and the charts' palette
// (uplot.ts) both come from these tables.

/** A themable colour: its public property's suffix (`--<tag>-<suffix>`), light and dark defaults. */
export type ThemeColor = readonly [suffix: string, light: string, dark: string];
/** Colours by private name (`--_<name>`, also the legend swatch class and the palette key). */
export type Theme = Readonly<Record<string, ThemeColor>>;

/** The card's colours, common to every element; each element adds its series colours. */
export const CHROME_COLORS = {
  bg: ['background', '#ffffff', '#111827'],
  text: ['text-color', '#1f2937', '#e5e7eb'],
  muted: ['muted-color', '#4b5563', '#a7b0be'],
  border: ['border-color', '#d1d5db', '#374151'],
  grid: ['grid-color', '#eceef1', '#253041'],
  accent: ['accent-color', '#1d4ed8', '#93c5fd'],
  'accent-text': ['accent-text-color', '#ffffff', '#0b1220'],
  error: ['error-color', '#b91c1c', '#fca5a5'],
  'error-bg': ['error-background', '#fef2f2', '#3b1212'],
} as const satisfies Theme;

/** Opacities of a family of curves in one colour (e.g. one curve per previous hedge), faint to full. */
export const SHADES = [0.4, 0.7, 1] as const;

/** A chart's default height in CSS pixels (--<tag>-chart-height). */
export const CHART_HEIGHT = 150;
