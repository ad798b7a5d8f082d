// The keys <cher-american>'s parameter panel offers (with the `controls` attribute). `dates` is left to
// the attribute: its "auto" does not fit a number field, and it needs exercise = bermudan.
import type { AmericanConfig } from '../../models/american/config.js';
import type { ControlField } from '../base/controls.js';

export const AMERICAN_FIELDS: readonly ControlField<AmericanConfig>[] = [
  { key: 'option', label: 'Option' },
  { key: 'exercise', label: 'Exercise' },
  { key: 'spot', label: 'Spot', step: '1' },
  { key: 'strike', label: 'Strike', step: '1' },
  { key: 'rate', label: 'Rate', step: '0.01' },
  { key: 'dividend', label: 'Dividend yield', step: '0.01' },
  { key: 'volatility', label: 'Volatility', step: '0.05' },
  { key: 'maturity', label: 'Maturity (years)', step: '0.25' },
  { key: 'steps', label: 'Lattice steps', step: '1000' },
  { key: 'paths', label: 'LSM paths', step: '10000' },
];
