import { describe, expect, test } from 'vitest';
import {
  ConfigError, DEFAULT_CONFIG, parseConfigStrings, resolveConfig, describeAllowed, CONFIG_KEYS, kebabCase, camelCase,
} from '../widget/models/hedging/config.js';
import { createTrainer } from '../widget/models/hedging/model.js';

function problemsOf(input: Record<string, unknown>) {
  try {
    resolveConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  test('defaults are the documented demo: 30-day ATM call, 30 daily steps, volatility 0.2', () => {
    const c = resolveConfig();
    expect(c).toMatchObject({ option: 'call', spot: 100, strike: 100, features: 'log-moneyness', steps: 30, volatility: 0.2, cost: 0, risk: 'mse' });
    expect(c.maturity).toBeCloseTo(30 / 365, 12);
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('every bad key is named with its value and what is allowed', () => {
    const problems = problemsOf({ batch: 0, risk: 'var', volatility: NaN, strike: '1', colour: 'red', hidden: 10 });
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual(['batch', 'colour', 'hidden', 'risk', 'strike', 'volatility']);
    expect(byKey.risk.allowed).toBe('one of mse, entropic, cvar, mean-sd');
    expect(byKey.batch.allowed).toMatch(/integer from 1/);
    expect(byKey.hidden.allowed).toMatch(/multiple of 4/);
    expect(byKey.colour.allowed).toMatch(/not a configuration key/);
    expect(Number.isNaN(byKey.volatility.value)).toBe(true);
  });

  test('the message lists each problem', () => {
    expect(() => resolveConfig({ cvarLevel: 1, cost: -0.1 })).toThrow(/cvarLevel = 1: a number greater than 0 and less than 1[\s\S]*cost = -0.1/);
  });

  test('a batch too large for memory is rejected with the limit', () => {
    const problems = problemsOf({ batch: 4_000_000, steps: 500 });
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe('batch');
    expect(problems[0].allowed).toMatch(/at most \d+ with steps = 500/);
  });

  test('spot, strike and features: currency keys and the network input, with clear messages', () => {
    expect(resolveConfig({ spot: 50, strike: 55, features: 'spot' })).toMatchObject({ spot: 50, strike: 55, features: 'spot' });
    const problems = problemsOf({ spot: 0, features: 'moneyness' });
    expect(Object.fromEntries(problems.map((p) => [p.key, p.allowed]))).toEqual({
      spot: 'a number greater than 0 and at most 1000000',
      features: 'one of log-moneyness, spot',
    });
    // The engines simulate in units of the spot: the strike may be at most ten times it.
    expect(() => resolveConfig({ spot: 10, strike: 101 })).toThrow(/strike = 101: at most 10 times the spot \(spot = 10, so at most 100\)/);
    expect(resolveConfig({ spot: 10, strike: 100 }).strike).toBe(100);
  });

  test('non-object input is rejected', () => {
    expect(() => resolveConfig(42 as never)).toThrow(ConfigError);
    expect(() => resolveConfig(['batch'] as never)).toThrow(ConfigError);
  });

  test('workers accepts auto or an integer', () => {
    expect(resolveConfig({ workers: 'auto' }).workers).toBe('auto');
    expect(resolveConfig({ workers: 3 }).workers).toBe(3);
    expect(problemsOf({ workers: 'many' })[0].allowed).toBe('"auto" or an integer from 1 to 16');
  });

  test('strings from attributes and flags parse to typed values, bad numbers stay visible', () => {
    const parsed = parseConfigStrings({ 'risk-aversion': '2.5', option: 'put', workers: 'auto', batch: '12x', 'no-such': '1' });
    expect(parsed).toEqual({ riskAversion: 2.5, option: 'put', workers: 'auto', batch: '12x', 'no-such': '1' });
    const problems = problemsOf(parsed);
    expect(problems.map((p) => p.key).sort()).toEqual(['batch', 'no-such']);
    expect(problems.find((p) => p.key === 'batch')!.value).toBe('12x');
  });

  test('kebab and camel case round-trip for every key', () => {
    for (const k of CONFIG_KEYS) {
      expect(camelCase(kebabCase(k))).toBe(k);
      expect(describeAllowed(k).length).toBeGreaterThan(5);
    }
    expect(kebabCase('lrDecaySteps')).toBe('lr-decay-steps');
  });

  test('defaults pass their own validator', () => {
    expect(resolveConfig({ ...DEFAULT_CONFIG })).toEqual(DEFAULT_CONFIG);
  });

  test('createTrainer rejects a bad configuration before starting anything', async () => {
    await expect(createTrainer({ steps: 0 })).rejects.toThrow(/steps = 0: an integer from 1 to 1000/);
  });
});
