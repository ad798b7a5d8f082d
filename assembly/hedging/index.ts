// The engine's exports. The host lays out memory with `configure`, writes parameters at
// `paramsPointer()`, and reads results at the other pointers; see widget/engine/wasm/.
import { LANES } from "../core/lane";
import { philox, word0, word1, word2, word3 } from "../core/philox";
import * as state from "./state";

export { configure, configBlockPointer } from "./state";
export { simulate, normalsProbe } from "./market";
export { forwardAll, trainMse, backwardAll } from "./network";

export function lanes(): i32 { return LANES; }
export function parameterCount(): i32 { return state.paramCount; }
export function paramsPointer(): usize { return state.paramsPtr; }
export function gradientPointer(): usize { return state.gradPtr; }
export function spotPointer(): usize { return state.spotPtr; }
export function deltaPointer(): usize { return state.deltaPtr; }
export function pnlPointer(): usize { return state.pnlPtr; }
export function costPointer(): usize { return state.costPtr; }
export function upstreamPointer(): usize { return state.upstreamPtr; }
export function scratchPointer(): usize { return state.scratchPtr; }

/** Test probe: Philox4x32-10 of one counter and key, four words written to the scratch area. */
export function philoxProbe(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox(c0, c1, c2, c3, k0, k1);
  const at = state.scratchPtr;
  store<u32>(at, word0); store<u32>(at, word1, 4); store<u32>(at, word2, 8); store<u32>(at, word3, 12);
}


export { configureEnv, envReset, envStep } from "./env";
import * as env from "./env";
export function actionPointer(): usize { return env.actionPtr; }
export function rewardPointer(): usize { return env.rewardPtr; }
export function optionPnlPointer(): usize { return env.optionPnlPtr; }
export function hedgePnlPointer(): usize { return env.hedgePnlPtr; }
export function stepCostPointer(): usize { return env.stepCostPtr; }
export function observationPointer(): usize { return env.observationPtr; }
