// The keys <cher-hedger>'s parameter panel offers (with the `controls` attribute).
import type { HedgerConfig } from '../../models/hedging/config.js';
import type { ControlField } from '../base/controls.js';

export const HEDGER_FIELDS: readonly ControlField<HedgerConfig>[] = [
  { key: 'option', label: 'Option' },
  { key: 'risk', label: 'Risk' },
  { key: 'strike', label: 'Strike', step: '1' },
  { key: 'volatility', label: 'Volatility', step: '0.05' },
  { key: 'cost', label: 'Cost rate', step: '0.001' },
  { key: 'steps', label: 'Steps', step: '1' },
  { key: 'batch', label: 'Batch', step: '256' },
  { key: 'lr', label: 'Learning rate', step: '0.001' },
];
