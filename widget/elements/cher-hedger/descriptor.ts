// <cher-hedger> as the build sees it too: its tag, model and configuration schema. Plain data (no Lit,
// no DOM), so the manifest step can load it in Node.
import { HEDGER_SCHEMA, type HedgerConfig } from '../../models/hedging/config.js';
import { readSettingsWith, type ElementSettings } from '../base/attributes.js';
import type { ElementDescriptor } from '../base/types.js';

/** `hidden` (units per hidden layer) would collide with the global HTML attribute and HTMLElement.hidden. */
export const HEDGER_RENAMED = { hidden: 'hiddenUnits' } as const;

export const HEDGER_ELEMENT: ElementDescriptor<HedgerConfig> = {
  tag: 'cher-hedger',
  model: 'hedging',
  schema: HEDGER_SCHEMA,
  renamed: HEDGER_RENAMED,
};

/** The element's configuration and `iterations`, read off its properties and validated at once. */
export function readSettings(source: Record<string, unknown>, defaults: Partial<HedgerConfig> = {}): ElementSettings<HedgerConfig> {
  return readSettingsWith(HEDGER_ELEMENT, source, defaults);
}
