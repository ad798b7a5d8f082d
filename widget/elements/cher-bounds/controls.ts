// The keys <cher-bounds>'s parameter panel offers (with the `controls` attribute).
import type { BoundsConfig } from '../../models/bounds/config.js';
import type { ControlField } from '../base/controls.js';

export const BOUNDS_FIELDS: readonly ControlField<BoundsConfig>[] = [
  { key: 'payoff', label: 'Payoff' },
  { key: 'strike', label: 'Strike (asian)', step: '1' },
  { key: 'dates', label: 'Dates' },
  { key: 'marginals', label: 'Marginals' },
  { key: 'volatility', label: 'Volatility', step: '0.05' },
  { key: 'treeSteps', label: 'Tree steps', step: '10' },
  { key: 'gridSize', label: 'Grid size', step: '10' },
  { key: 'epsilon', label: 'Epsilon', step: 'any' },
];
