// Picks the training engine for a configuration's `backend` key.
import type { HedgerConfig } from '../config.js';
import type { TrainingEngine } from './types.js';
import { WasmEngine } from './wasm/wasm-engine.js';

export async function createEngine(config: HedgerConfig): Promise<TrainingEngine> {
  if (config.backend === 'webgpu') {
    throw new Error('backend = "webgpu" is not available in this build; allowed here: "auto" or "wasm"');
  }
  return WasmEngine.create(config);
}
