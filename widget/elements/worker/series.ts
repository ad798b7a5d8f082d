// Fixed-size downsampling of a growing series: points are averaged in buckets whose width doubles
// whenever the series fills up, so a chart gets at most `max` points however long training runs.
import type { SeriesData } from './protocol.js';

export class Downsampled {
  private xs: number[] = [];
  private ys: number[] = [];
  private stride = 1;
  private sumX = 0;
  private sumY = 0;
  private count = 0;

  constructor(private readonly max = 1000) {}

  /** Adds a point; non-finite values are dropped (they never reach a chart). */
  push(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.sumX += x;
    this.sumY += y;
    if (++this.count < this.stride) return;
    this.xs.push(this.sumX / this.count);
    this.ys.push(this.sumY / this.count);
    this.sumX = this.sumY = this.count = 0;
    if (this.xs.length >= this.max) {
      const half = this.xs.length >> 1;
      for (let i = 0; i < half; i++) {
        this.xs[i] = (this.xs[2 * i] + this.xs[2 * i + 1]) / 2;
        this.ys[i] = (this.ys[2 * i] + this.ys[2 * i + 1]) / 2;
      }
      this.xs.length = this.ys.length = half;
      this.stride *= 2;
    }
  }

  /** The points so far, with the partly filled bucket as a last point. */
  data(): SeriesData {
    const x = this.xs.slice();
    const y = this.ys.slice();
    if (this.count > 0) {
      x.push(this.sumX / this.count);
      y.push(this.sumY / this.count);
    }
    return { x, y };
  }

  clear(): void {
    this.xs = [];
    this.ys = [];
    this.stride = 1;
    this.sumX = this.sumY = this.count = 0;
  }
}
