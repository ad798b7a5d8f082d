// What the value network reports (docs/numerics.md): its price V_theta(0, S0), and separately the value of the
// stopping rule it induces on independent paths, an honest lower bound with its standard error.
import type { AmericanConfig } from '../config.js';
import { payoff, type ExerciseBoundary } from '../price.js';
import { continuationOf, networkBoundary, networkDates, networkPrice } from './network.js';

export interface NetworkReport {
  /** V_theta(0, S0): the network's own price. */
  price: number;
  /**
   * The stopping rule's value (exercise at the first date where the payoff is positive and reaches the network's
   * continuation value) on `paths` independent paths (stream 1): biased low, an honest lower bound.
   */
  lower: number;
  /** Standard error of `lower`. */
  stdError: number;
  /** True when the rule exercises an American option today (then `lower` is the payoff, exactly). */
  exerciseToday: boolean;
  /** Exercise dates of the grid the network trains and exercises on. */
  dates: number;
  /** Paths `lower` is estimated on. */
  paths: number;
  /** Training iterations behind these weights. */
  iteration: number;
  /** Where the payoff meets the network's continuation value, at each date. */
  boundary: ExerciseBoundary;
  /** Seconds this evaluation took. */
  seconds: number;
}

/** The report from the engines' sums of the stopping rule's discounted payoffs (and their squares). */
export function stoppingReport(
  c: AmericanConfig, params: ArrayLike<number>, iteration: number, sum: number, sumSq: number, seconds: number,
): NetworkReport {
  const n = c.paths;
  let lower = sum / n;
  let stdError = Math.sqrt((Math.max(sumSq / n - lower * lower, 0) * (n / Math.max(n - 1, 1))) / n);
  const today = payoff(c, c.spot);
  const exerciseToday = c.exercise === 'american' && today > 0 && today >= continuationOf(c, params, 0, c.spot);
  if (exerciseToday) {
    lower = today;
    stdError = 0;
  }
  return {
    price: networkPrice(c, params), lower, stdError, exerciseToday, dates: networkDates(c), paths: n, iteration,
    boundary: networkBoundary(c, params), seconds,
  };
}

/** The value network's result in a report: its evaluation, with training and evaluation time and the last loss. */
export interface NetworkMethodResult extends NetworkReport {
  /** Seconds of training and evaluation. */
  seconds: number;
  /** The training loss (mean squared TD error) of the last iteration. */
  loss: number;
}
