// <cher-bounds> as the build sees it too: its tag, model and configuration schema (the bounds schema of
// the headless API and CLI). Plain data (no Lit, no DOM), so the manifest step can load it in Node.
import { BOUNDS_SCHEMA, type BoundsConfig } from '../../models/bounds/config.js';
import type { ElementDescriptor } from '../base/types.js';

/** No bounds key collides with an HTML attribute. */
export const BOUNDS_RENAMED = {} as const;

export const BOUNDS_ELEMENT: ElementDescriptor<BoundsConfig> = {
  tag: 'cher-bounds',
  model: 'bounds',
  schema: BOUNDS_SCHEMA,
  renamed: BOUNDS_RENAMED,
  // The neural dual's keys: the element runs the entropic solver (the neural dual is the headless API's).
  omitted: ['beta', 'neuralIterations', 'batch', 'hiddenUnits', 'seed'],
};
