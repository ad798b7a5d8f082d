// <cher-american> as the build sees it too: its tag, model and configuration schema. Plain data (no Lit,
// no DOM), so the manifest step can load it in Node.
import { AMERICAN_SCHEMA, type AmericanConfig } from '../../models/american/config.js';
import type { ElementDescriptor } from '../base/types.js';

/** No key of the American schema collides with an HTML attribute or an HTMLElement property. */
export const AMERICAN_RENAMED = {} as const;

export const AMERICAN_ELEMENT: ElementDescriptor<AmericanConfig> = {
  tag: 'cher-american',
  model: 'american',
  schema: AMERICAN_SCHEMA,
  renamed: AMERICAN_RENAMED,
};
