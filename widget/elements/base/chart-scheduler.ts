// When charts draw: results mark charts dirty, and the next animation frame draws them within a budget,
// so that no frame becomes a long task however many charts and elements a page has.
import { hasValues } from './chart-data.js';
import type { ChartSet } from './chart-set.js';
import type { ChartSpec } from './types.js';

interface SchedulerHost {
  readonly isConnected: boolean;
  requestUpdate(): void;
}

/**
 * A frame creates at most one chart (a layout and a first paint) or redraws at most two; the rest wait
 * for the next frame. Creating counts as two redraws.
 */
const FRAME_BUDGET = 2;
const CREATE_COST = 2;

export class ChartScheduler {
  /** Charts that hold data (the others show their placeholder). */
  readonly drawn = new Set<string>();
  private dirty = new Set<string>();
  private frame = 0;

  constructor(
    private readonly host: SchedulerHost,
    private readonly charts: () => ChartSet,
    private readonly specs: () => readonly ChartSpec[],
  ) {}

  /** Redraws charts `ids` in a coming frame (and re-renders their legends and labels now). */
  mark(ids: readonly string[]): void {
    for (const id of ids) this.dirty.add(id);
    this.host.requestUpdate();
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Forgets what was drawn and what was due (a new configuration starts from empty charts). */
  reset(): void {
    this.dirty.clear();
    this.drawn.clear();
  }

  /** reset(), and no frame pending. */
  stop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.reset();
  }

  private draw(): void {
    this.frame = 0;
    if (!this.host.isConnected) return;
    const set = this.charts();
    const specs = new Map(this.specs().map((s) => [s.id, s]));
    const before = this.drawn.size;
    let created = false;
    let budget = FRAME_BUDGET;
    const create = () => (created ? false : (created = true));
    if (this.drawn.size < specs.size) set.measure();
    const pending = new Set<string>();
    for (const id of this.dirty) {
      const has = this.drawn.has(id);
      if (budget <= 0 || (created && !has)) {
        pending.add(id);
        continue;
      }
      const data = specs.get(id)?.data() ?? null;
      // Nothing drawable yet (no evaluation, an empty series): the chart is marked again when its data
      // arrives. It costs no budget, so it cannot keep the charts behind it waiting frame after frame.
      if (!data || !hasValues(data)) continue;
      budget -= has ? 1 : CREATE_COST;
      if (set.update(id, data, create)) this.drawn.add(id);
      else if (!has) pending.add(id);
    }
    this.dirty = pending;
    if (pending.size && (created || budget <= 0)) this.frame = requestAnimationFrame(() => this.draw());
    if (this.drawn.size !== before) this.host.requestUpdate();
  }
}
