// <cher-american> as the build sees it too: its tag, model and configuration schema. Plain data (no Lit,
// no DOM), so the manifest step can load it in Node.
import { AMERICAN_SCHEMA, type AmericanConfig } from '../../models/american/config.js';
import type { ElementDescriptor } from '../base/types.js';

/**
 * `hidden` (units per hidden layer of the value network) would collide with the global HTML `hidden`
 * attribute, so the element spells it `hidden-units`, as <cher-hedger> does.
 */
export const AMERICAN_RENAMED = { hidden: 'hiddenUnits' } as const;

export const AMERICAN_ELEMENT: ElementDescriptor<AmericanConfig> = {
  tag: 'cher-american',
  model: 'american',
  schema: AMERICAN_SCHEMA,
  renamed: AMERICAN_RENAMED,
};
