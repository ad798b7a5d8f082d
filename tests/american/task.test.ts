// The American pricing run as the page's worker steps it: the lattice at once, LSM in turns, the same
// numbers as priceAmerican, done when both are priced, and a run abandoned mid-way releases cleanly.
import { describe, expect, test } from 'vitest';
import { AmericanPricingTask } from '../../widget/models/american/task.js';
import { priceAmerican } from '../../widget/models/american/price.js';
import { ConfigError } from '../../widget/shared/config-schema.js';

const CONFIG = { steps: 2000, paths: 40_000, dualPaths: 2048 };

describe('AmericanPricingTask', () => {
  test('prices the lattice when created, then LSM over several steps, matching priceAmerican', async () => {
    const task = await AmericanPricingTask.create(CONFIG);
    expect(task.report.methods.lattice?.price).toBeGreaterThan(4);
    expect(task.report.methods.lsm).toBeUndefined();
    expect(task.report.curve?.value.length).toBeGreaterThan(10);
    expect(task.reference.lattice).toBe(task.report.methods.lattice!.price);
    const first = await task.step();
    expect(first.lsmFraction).toBe(0);
    let steps = 0;
    const fractions: number[] = [];
    while (!task.finished) {
      fractions.push((await task.step()).lsmFraction);
      steps++;
      expect(steps).toBeLessThan(1000);
    }
    expect(steps).toBeGreaterThan(3);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    const direct = await priceAmerican(CONFIG);
    const report = await task.evaluate();
    expect(report.methods.lattice!.price).toBe(direct.methods.lattice!.price);
    expect(report.methods.lsm!.lower).toBe(direct.methods.lsm!.lower);
    expect(report.methods.lsm!.upper).toBe(direct.methods.lsm!.upper);
    expect(report.earlyExercisePremium).toBe(direct.earlyExercisePremium);
    // Done: further steps change nothing.
    await task.step();
    expect(task.report.methods.lsm!.lower).toBe(direct.methods.lsm!.lower);
    task.dispose();
  });

  test('a run disposed between chunks is abandoned without an error', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    const task = await AmericanPricingTask.create(CONFIG);
    await task.step();
    await task.step();
    expect(task.progress().lsmFraction).toBeGreaterThan(0);
    task.dispose();
    await new Promise((r) => setTimeout(r, 50));
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
    expect(task.finished).toBeNull();
    expect(task.report.methods.lsm).toBeUndefined();
  });

  test('a bad configuration names the key', async () => {
    await expect(AmericanPricingTask.create({ volatility: -0.2 })).rejects.toThrow(ConfigError);
    await expect(AmericanPricingTask.create({ dates: 10 })).rejects.toThrow(/dates/);
  });
});
