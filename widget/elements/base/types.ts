// What every training element shares in its public API (states, event details) and what a concrete
// element declares to the base (its descriptor and its charts).
import type { TemplateResult } from 'lit';
import type { ConfigSchema } from '../../shared/config-schema.js';
import type { ModelName, SharedResources } from '../worker/protocol.js';
import type { AttributeProblem } from './attributes.js';
import type { Aligned } from './chart-data.js';
import type { ChartOptions } from './chart-set.js';
import type { Palette } from './uplot.js';

/** What the element is doing, reflected to its `state` attribute (read-only). */
export type ElementState = 'idle' | 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'diverged' | 'invalid' | 'error';

export interface CherErrorDetail {
  /** `config`: an attribute is invalid; `diverged`: training stopped on a non-finite loss (the last good
   * weights were restored); `worker`: the engine failed; `import`: importWeights was given bad weights. */
  kind: 'config' | 'diverged' | 'worker' | 'import';
  message: string;
  /** For `config`: every invalid attribute, its value and what it allows. */
  problems?: AttributeProblem[];
}

export interface CherBackendDetail {
  /** `webgpu` or `wasm`. */
  backend: string;
  /** SIMD/scalar for WASM, the adapter for WebGPU. */
  detail: string;
  /** Threads this element's engine trains on. */
  workers: number;
  /** What every element on the page shares: the one worker's WASM threads and GPU devices. */
  shared: SharedResources;
}

/**
 * An element as the build sees it too (custom-elements.json): plain data, no Lit and no DOM, so the
 * manifest step can load it in Node.
 */
export interface ElementDescriptor<C extends object> {
  /** The element's tag; also the prefix of its CSS custom properties and of its messages. */
  tag: string;
  /** The model the worker trains for it. */
  model: ModelName;
  schema: ConfigSchema<C>;
  /** Keys spelt differently as properties (and so attributes), where the key collides with HTML (`hidden`). */
  renamed: Partial<Record<keyof C & string, string>>;
  /** Keys the element does not offer as attributes (they configure something it does not run); defaults apply. */
  omitted?: readonly (keyof C & string)[];
}

/** One chart of an element: its figure, caption, legend and screen-reader text, and its data. */
export interface ChartSpec {
  /** Also its part name, `chart-<id>`. */
  id: string;
  title: string;
  /** uPlot options (series, scales, axes) in the current palette; size, legend and cursor are the base's. */
  options(palette: Palette): ChartOptions;
  /** The chart's data through align() (no NaN), or null when there is nothing to draw yet. */
  data(): Aligned | null;
  /** The legend's items (legendItem). */
  legend(): TemplateResult[];
  /** What the chart shows, for screen readers. */
  label(): string;
}

/** `riskAversion` as `risk-aversion`, at the type level (attribute names). */
export type KebabCase<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${KebabCase<T>}`
  : S;

type PropertyName<K extends string, Renamed> = K extends keyof Renamed ? Renamed[K] & string : K;

/** An element's configuration properties: each key (renamed where it collides with HTML), typed or as attribute text. */
export type ConfigProperties<C, Renamed = object> = { [K in keyof C & string as PropertyName<K, Renamed>]?: C[K] | string };

/** An element's configuration attributes as JSX sees them: kebab-case, enumerations keeping their values. */
export type ConfigAttributes<C, Renamed = object> = {
  [K in keyof C & string as KebabCase<PropertyName<K, Renamed>>]?: C[K] extends string ? C[K] : C[K] | string;
};
