// The uPlot charts inside one element: each created on its first drawable data, sized to its box, and
// redrawn in the new colours when the colour scheme changes.
import uPlot from 'uplot';
import { hasValues, type Aligned } from './chart-data.js';
import { CHART_HEIGHT } from './theme.js';
import type { Palette } from './uplot.js';

/** A chart's own uPlot options; the set adds the size and turns off uPlot's legend and cursor. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

const CHROME = {
  legend: { show: false },
  // No hover cursor: the element draws its own legends, and the cursor's composited layers cost more
  // per frame than they give here.
  cursor: { show: false, drag: { x: false, y: false, setScale: false } },
  padding: [8, 6, 0, 0] as uPlot.Padding,
};

interface Size {
  width: number;
  height: number;
}

export class ChartSet {
  /** The uPlot instances by chart id (tests read their data). */
  readonly charts = new Map<string, uPlot>();
  private last = new Map<string, Aligned>();
  private palette: Palette;
  private resizer: ResizeObserver;
  /** Box sizes read in one go before any chart changes the DOM (one layout, not one per chart). */
  private sizes = new Map<HTMLElement, Size>();

  constructor(
    private readonly readColors: () => Palette,
    private readonly options: (id: string, palette: Palette) => ChartOptions,
    private readonly boxes: () => Map<string, HTMLElement>,
  ) {
    this.palette = readColors();
    this.resizer = new ResizeObserver(() => this.resize());
  }

  private size(box: HTMLElement): Size {
    const width = Math.max(120, Math.floor(box.clientWidth));
    const height = Math.max(80, Math.floor(box.clientHeight) || CHART_HEIGHT);
    return { width, height };
  }

  /**
   * Hands `data` to chart `id` if it has something drawable. An existing chart takes it at once; a new
   * chart is created only if `create` allows (see ChartScheduler). Returns whether the chart holds the data.
   */
  update(id: string, data: Aligned, create: () => boolean = () => true): boolean {
    if (!hasValues(data)) return false;
    this.last.set(id, data);
    const chart = this.charts.get(id);
    if (chart && chart.series.length === data.length) {
      chart.setData(data as uPlot.AlignedData);
      return true;
    }
    const box = this.boxes().get(id);
    if (!box || !create()) return false;
    chart?.destroy();
    const { width, height } = this.sizes.get(box) ?? this.size(box);
    this.charts.set(id, new uPlot({ ...CHROME, ...this.options(id, this.palette), width, height }, data as uPlot.AlignedData, box));
    this.resizer.observe(box);
    return true;
  }

  measure(): void {
    this.sizes.clear();
    for (const box of this.boxes().values()) this.sizes.set(box, this.size(box));
  }

  resize(): void {
    const boxes = this.boxes();
    for (const [id, chart] of this.charts) {
      const box = boxes.get(id);
      if (!box) continue;
      const { width, height } = this.size(box);
      if (width !== chart.width || height !== chart.height) chart.setSize({ width, height });
    }
  }

  /** Re-reads the colours (after a colour-scheme change) and redraws every chart with its last data. */
  restyle(): void {
    this.palette = this.readColors();
    const last = [...this.last];
    this.clear();
    for (const [id, data] of last) this.update(id, data);
  }

  /** Removes every chart (a new configuration starts from empty charts). */
  clear(): void {
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.last.clear();
    this.resizer.disconnect();
  }
}
