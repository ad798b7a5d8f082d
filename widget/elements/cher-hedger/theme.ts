// <cher-hedger>'s series colours (public --cher-hedger-<suffix>, light and dark); the card's own
// colours are base/theme.ts's.
import type { Theme } from '../base/theme.js';

export const HEDGER_COLORS = {
  network: ['network-color', '#2563eb', '#60a5fa'],
  bs: ['bs-color', '#c2410c', '#fb923c'],
  nohedge: ['no-hedge-color', '#9ca3af', '#6b7280'],
  spot: ['spot-color', '#059669', '#34d399'],
  cost: ['cost-color', '#9333ea', '#c084fc'],
} as const satisfies Theme;

export type HedgerColor = keyof typeof HEDGER_COLORS;
