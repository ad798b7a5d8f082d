// THE PLACE FOR THE NEURAL VALUE NETWORK (docs/numerics.md, American options): its TD-error curve and its price
// V_theta(0, S0) converging into LSM's [lower, upper], and its table rows (price, the induced stopping
// rule's value on independent paths, time). Nothing is drawn until the American report carries a network
// result (createAmericanTrainer, run by the worker's american task after LSM): the element never shows
// numbers it does not have. When it lands, return its chart specs and rows from here; cher-american.ts
// already appends them.
import type { AmericanReport } from '../../models/american/price.js';
import type { ChartSpec } from '../base/types.js';

/** The network's charts (TD error, price against [lower, upper]); none while the report has no network. */
export function networkCharts(): ChartSpec[] {
  return [];
}

/** The network's rows of the prices table; none while the report has no network. */
export function networkRows(_report: AmericanReport | null): [string, string[]][] {
  return [];
}
