// The neural dual as the training runtime sees it: its engines (WASM passes, WGSL on WebGPU), chosen by
// the runtime's selectEngine from the bounds configuration's `backend`, and its parameter count. The
// engines' configuration is built by ./dual.ts from the validated bounds configuration (BOUNDS_SCHEMA), so
// the schema here only names the keys in messages.
import type { TrainingEngine } from '../../../runtime/training/engine.js';
import type { TrainableModel } from '../../../runtime/training/model.js';
import { selectEngine } from '../../../runtime/training/select.js';
import type { ConfigSchema } from '../../../shared/config-schema.js';
import { BOUNDS_SCHEMA } from '../config.js';
import { dualLayout, dualShape } from './network.js';
import type { NeuralDualConfig } from './setup.js';
import { NeuralWasmEngine, type NeuralWeights } from './wasm-engine.js';
import { NeuralWebGpuEngine } from './webgpu/webgpu-engine.js';

export const neuralDualModel: TrainableModel<NeuralDualConfig, NeuralWeights, Record<string, number>> = {
  name: 'bounds-neural',
  schema: BOUNDS_SCHEMA as unknown as ConfigSchema<NeuralDualConfig>,
  createEngine: (config, options) =>
    selectEngine<TrainingEngine<NeuralDualConfig, NeuralWeights>>(options?.wasm ? 'wasm' : config.backend, {
      wasm: () => NeuralWasmEngine.create(config),
      webgpu: () => NeuralWebGpuEngine.create(config),
    }),
  parameterCount: (config) => dualLayout(config.hidden).count,
  shape: dualShape,
  // Path-steps: every date of every sampled path, one forward and (where violated) one backward.
  pathStepsPerIteration: (config) => config.batch * config.setup.dates,
  reference: () => ({}),
};
