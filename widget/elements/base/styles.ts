// Every training element's styles: the card, header, buttons, message, controls, chart grid, legends
// and stats table. Public CSS custom properties (--<tag>-*) feed private ones (--_*) whose defaults
// follow prefers-color-scheme; the charts read the private ones when they draw (readPalette).
import { css, unsafeCSS, type CSSResult } from 'lit';
import { CHART_HEIGHT, CHROME_COLORS, SHADES, type Theme } from './theme.js';

/** Sizes, by private name: public suffix and default. */
const LAYOUT: Readonly<Record<string, readonly [suffix: string, value: string]>> = {
  radius: ['radius', '8px'],
  'chart-height': ['chart-height', `${CHART_HEIGHT}px`],
  'chart-min-width': ['chart-min-width', '230px'],
};

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const FONT_SIZE = '14px';

/** The custom properties of element `tag` with its series colours, and a legend swatch class per colour. */
function themeStyles(tag: string, series: Theme): CSSResult {
  const colors = Object.entries({ ...CHROME_COLORS, ...series });
  const vars = (scheme: 1 | 2) => colors.map(([name, c]) => `--_${name}: var(--${tag}-${c[0]}, ${c[scheme]});`).join('\n');
  const sizes = Object.entries(LAYOUT).map(([name, [suffix, value]]) => `--_${name}: var(--${tag}-${suffix}, ${value});`).join('\n');
  const swatches = ['text', ...Object.keys(series)].map((name) => `.swatch.${name} { color: var(--_${name}); }`).join('\n');
  const shades = SHADES.map((alpha, i) => `.swatch.shade-${i} { opacity: ${alpha}; }`).join('\n');
  return unsafeCSS(`
    :host {
      ${vars(1)}
      ${sizes}
      font-family: var(--${tag}-font-family, ${FONT_FAMILY});
      font-size: var(--${tag}-font-size, ${FONT_SIZE});
    }
    @media (prefers-color-scheme: dark) {
      :host { ${vars(2)} }
    }
    ${swatches}
    ${shades}`);
}

/** An element's styles: uPlot's, the theme for `tag` with its `series` colours, and the shared layout. */
export function elementStyles(tag: string, series: Theme): CSSResult[] {
  return [uplot, themeStyles(tag, series), layout];
}

/** The parts of uPlot's stylesheet the charts need (legend and title are drawn by the element). */
const uplot = css`
  .uplot, .uplot *, .uplot *::before, .uplot *::after { box-sizing: border-box; }
  .uplot { font-family: inherit; line-height: 1.5; width: min-content; }
  .u-wrap { position: relative; user-select: none; }
  .u-over, .u-under { position: absolute; }
  .u-under { overflow: hidden; }
  .uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
  .u-axis { position: absolute; }
  .u-select { background: rgba(127, 127, 127, 0.1); position: absolute; pointer-events: none; }
  .u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; will-change: transform; }
  .u-hz .u-cursor-x, .u-vt .u-cursor-y { height: 100%; border-right: 1px dashed var(--_muted); }
  .u-hz .u-cursor-y, .u-vt .u-cursor-x { width: 100%; border-bottom: 1px dashed var(--_muted); }
  .u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; border: 0 solid; pointer-events: none;
    will-change: transform; background-clip: padding-box !important; }
  .u-axis.u-off, .u-select.u-off, .u-cursor-x.u-off, .u-cursor-y.u-off, .u-cursor-pt.u-off { display: none; }
`;

const layout = css`
  :host {
    display: block;
    contain: content;
    container-type: inline-size;
    line-height: 1.4;
    color: var(--_text);
    color-scheme: light dark;
  }
  :host([hidden]) { display: none; }
  * { box-sizing: border-box; }
  .base {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 12px 14px 10px;
  }
  header { display: flex; align-items: flex-start; gap: 10px; }
  .heading { flex: 1; min-width: 0; }
  .title { margin: 0; font-size: 1em; font-weight: 600; }
  .status { margin: 2px 0 0; color: var(--_muted); font-size: 0.86em; font-variant-numeric: tabular-nums; }
  .status span + span::before { content: ' · '; }
  .actions { display: flex; gap: 6px; flex-shrink: 0; }
  button {
    font: inherit; font-size: 0.86em; font-weight: 600;
    border-radius: 6px; padding: 4px 12px; min-height: 30px; cursor: pointer;
    border: 1px solid var(--_accent); background: var(--_accent); color: var(--_accent-text);
  }
  button.secondary { background: transparent; color: var(--_accent); }
  button:disabled { opacity: 0.5; cursor: not-allowed; }
  button:focus-visible, select:focus-visible, input:focus-visible, .plot:focus-visible {
    outline: 2px solid var(--_accent); outline-offset: 2px;
  }
  .message {
    margin: 10px 0 0; padding: 8px 10px; border-radius: 6px;
    border: 1px solid var(--_error); background: var(--_error-bg); color: var(--_text);
  }
  .message.note { border-color: var(--_border); background: transparent; }
  .message strong { color: var(--_error); }
  .message.note strong { color: inherit; }
  .message ul { margin: 4px 0 0; padding-left: 1.2em; }
  .message code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92em; }
  .controls {
    display: grid; grid-template-columns: repeat(auto-fit, minmax(92px, 1fr)); gap: 6px 8px;
    margin: 10px 0 0; padding: 8px 0 0; border-top: 1px solid var(--_border);
  }
  .field { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
  .field label { font-size: 0.78em; color: var(--_muted); }
  .field input, .field select {
    font: inherit; font-size: 0.86em; width: 100%; min-height: 28px; padding: 2px 6px;
    color: var(--_text); background: var(--_bg); border: 1px solid var(--_border); border-radius: 5px;
  }
  .charts {
    display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--_chart-min-width)), 1fr));
    gap: 12px 16px; margin-top: 10px;
  }
  /* Waiting charts show dashed placeholders; no opacity, which would take their text below WCAG AA contrast. */
  figure { margin: 0; min-width: 0; }
  figcaption { font-size: 0.8em; font-weight: 600; margin-bottom: 2px; }
  .plot { height: var(--_chart-height); min-width: 0; overflow: hidden; position: relative; border-radius: 4px; contain: strict; }
  .plot .empty {
    position: absolute; inset: 0; display: grid; place-items: center;
    color: var(--_muted); font-size: 0.8em; border: 1px dashed var(--_border); border-radius: 4px;
  }
  .legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 2px 0 0; padding: 0; list-style: none;
    font-size: 0.74em; color: var(--_muted); font-variant-numeric: tabular-nums; }
  .legend li { display: inline-flex; align-items: center; gap: 4px; }
  .swatch { display: inline-block; width: 14px; height: 0; border-top: 2px solid currentColor; }
  .swatch.dashed { border-top-style: dashed; }
  .swatch.block { width: 10px; height: 9px; border: 0; border-radius: 1px; background: currentColor; opacity: 0.8; }
  .stats { width: 100%; border-collapse: collapse; font-size: 0.76em; font-variant-numeric: tabular-nums; margin-top: 4px; }
  .stats th, .stats td { padding: 3px 4px; text-align: right; border-bottom: 1px solid var(--_grid); white-space: nowrap; }
  .stats th:first-child { text-align: left; }
  .stats thead th { color: var(--_muted); font-weight: 600; }
  .stats tbody th { font-weight: 500; }
  .note { font-size: 0.74em; color: var(--_muted); margin: 6px 0 0; }
  .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
    clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
  }
  @container (max-width: 420px) {
    header { flex-direction: column; }
    /* A table of seven columns still fits 360 px. */
    .stats th, .stats td { padding: 3px 2px; }
  }
`;
