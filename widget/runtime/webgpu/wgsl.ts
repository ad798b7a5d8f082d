// Constants for generated WGSL preludes: host numbers written so the kernels see exactly the host's f32.
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS } from '../training/adamw.js';
import adamwSource from '../../../shaders/core/adamw.wgsl?raw';

const f32Bits = new DataView(new ArrayBuffer(4));

/** An f32 constant, bit-exact: the value rounded to f32 as the host would. */
export function f32(x: number): string {
  f32Bits.setFloat32(0, x, true);
  const bits = f32Bits.getUint32(0, true);
  return `bitcast<f32>(0x${bits.toString(16).padStart(8, '0')}u)`;
}

/** Threads per quantity in the core reduction (shaders/core/reduce.wgsl), for every model's reduce kernel. */
export const REDUCE_THREADS = 64;
/** Quantities summed over a workgroup at once by the core gradient sums (shaders/core/partials.wgsl). */
export const COLUMN_CHUNK = 32;
/** Iterations of the loss-history ring every GPU training engine keeps. */
export const HISTORY = 1024;

export function u32(x: number): string {
  return `${x >>> 0}u`;
}

/**
 * shaders/core/adamw.wgsl with its constants from the one TypeScript optimiser, so both engines step with
 * the same betas and epsilon.
 */
export function adamwSourceWgsl(): string {
  return [
    `const ADAM_BETA1: f32 = ${f32(ADAM_BETA1)};`,
    `const ADAM_BETA2: f32 = ${f32(ADAM_BETA2)};`,
    `const ADAM_ONE_MINUS_BETA1: f32 = ${f32(1 - ADAM_BETA1)};`,
    `const ADAM_ONE_MINUS_BETA2: f32 = ${f32(1 - ADAM_BETA2)};`,
    `const ADAM_EPS: f32 = ${f32(ADAM_EPS)};`,
    adamwSource,
  ].join('\n');
}
