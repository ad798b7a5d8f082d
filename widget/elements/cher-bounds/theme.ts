// <cher-bounds>'s series colours (public --cher-bounds-<suffix>, light and dark); the card's own colours
// are base/theme.ts's. The lower bound's colour also draws its coupling and sub-replication, the upper's
// its coupling and super-replication.
import type { Theme } from '../base/theme.js';

export const BOUNDS_COLORS = {
  lower: ['lower-color', '#1d4ed8', '#60a5fa'],
  upper: ['upper-color', '#c2410c', '#fb923c'],
  model: ['model-color', '#047857', '#34d399'],
  plan: ['plan-color', '#6b7280', '#9ca3af'],
  law: ['marginal-color', '#7c3aed', '#c4b5fd'],
  martingale: ['martingale-color', '#be185d', '#f472b6'],
} as const satisfies Theme;

export type BoundsColor = keyof typeof BOUNDS_COLORS;
