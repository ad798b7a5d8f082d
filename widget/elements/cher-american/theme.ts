// <cher-american>'s series colours (public --cher-american-<suffix>, light and dark); the card's own
// colours are base/theme.ts's.
import type { Theme } from '../base/theme.js';

export const AMERICAN_COLORS = {
  lattice: ['lattice-color', '#2563eb', '#60a5fa'],
  lsm: ['lsm-color', '#c2410c', '#fb923c'],
  european: ['european-color', '#059669', '#34d399'],
  payoff: ['payoff-color', '#9333ea', '#c084fc'],
  network: ['network-color', '#0f766e', '#2dd4bf'],
} as const satisfies Theme;

export type AmericanColor = keyof typeof AMERICAN_COLORS;
