// The American pricing run as the page's worker steps it: the lattice at once, LSM in turns, the same
// numbers as priceAmerican, then the value network trained in turns and evaluated, done when it is; a run
// abandoned mid-way releases cleanly.
import { describe, expect, test } from 'vitest';
import { AmericanPricingTask } from '../../widget/models/american/task.js';
import { priceAmerican } from '../../widget/models/american/price.js';
import { ConfigError } from '../../widget/shared/config-schema.js';

const CONFIG = { steps: 2000, paths: 40_000, dualPaths: 2048 };

describe('AmericanPricingTask', () => {
  test('prices the lattice when created, then LSM over several steps, matching priceAmerican', async () => {
    const task = await AmericanPricingTask.create(CONFIG, { iterations: 2 });
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

  test('after LSM, trains the value network in turns to the worker\'s until and evaluates it', async () => {
    const config = { steps: 500, paths: 4096, dualPaths: 256, batch: 64 };
    const task = await AmericanPricingTask.create(config);
    task.setUntil(40);
    expect(task.target).toBe(40);
    let steps = 0;
    const losses: number[] = [];
    while (!task.finished) {
      const p = await task.step(7);
      if (p.iteration) {
        expect(p.iteration).toBeLessThanOrEqual(40);
        expect(Number.isFinite(p.network)).toBe(true);
        losses.push(p.loss);
      } else expect(p.network).toBeNaN();
      // Before the network is evaluated, the report has no network.
      if (!task.finished) expect((await task.evaluate()).methods.network).toBeUndefined();
      expect(++steps).toBeLessThan(1000);
    }
    expect(task.iteration).toBe(40);
    expect(task.losses.length).toBe(40);
    expect(losses.length).toBeGreaterThan(3);
    expect(losses.every((l) => Number.isFinite(l) && l >= 0)).toBe(true);
    expect(task.finished).toMatch(/network/);
    const report = await task.evaluate();
    const net = report.methods.network!;
    expect(report.methods.lsm).toBeDefined();
    expect(net.iteration).toBe(40);
    expect(Number.isFinite(net.price) && net.price > 0).toBe(true);
    expect(Number.isFinite(net.lower) && net.lower > 0).toBe(true);
    expect(Number.isFinite(net.stdError) && net.stdError >= 0).toBe(true);
    expect(net.paths).toBe(4096);
    expect(net.seconds).toBeGreaterThan(0);
    // The stopping rule's value is a lower bound: not far above the lattice's price.
    expect(net.lower).toBeLessThan(report.methods.lattice!.price + 4 * net.stdError + 1e-9);
    task.dispose();
    expect(task.iteration).toBe(0);
  });

  test('a worker stopping the network below its target gets the network evaluated at that iteration', async () => {
    const task = await AmericanPricingTask.create({ steps: 500, paths: 2048, dualPaths: 256, batch: 32 }, { iterations: 100 });
    while (task.iteration < 12) await task.step(12);
    expect((await task.evaluate()).methods.network).toBeUndefined();
    task.setUntil(12);
    expect((await task.evaluate()).methods.network?.iteration).toBe(12);
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
