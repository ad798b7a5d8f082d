// Every element of the bundle, as plain data: the build (rollup.config.mjs) reads this list to add each
// element's configuration attributes to custom-elements.json. Add an element's descriptor here.
import { AMERICAN_ELEMENT } from './cher-american/descriptor.js';
import { BOUNDS_ELEMENT } from './cher-bounds/descriptor.js';
import { HEDGER_ELEMENT } from './cher-hedger/descriptor.js';
import type { ElementDescriptor } from './base/types.js';

export const ELEMENTS: readonly ElementDescriptor<object>[] = [
  HEDGER_ELEMENT as ElementDescriptor<object>,
  AMERICAN_ELEMENT as ElementDescriptor<object>,
  BOUNDS_ELEMENT as ElementDescriptor<object>,
];
