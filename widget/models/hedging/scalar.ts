// The hedging module's scalar build, for the headless API where WASM SIMD may be missing and for the
// benchmarks (imported for its side effect; the element bundle leaves it out).
import { SCALAR_ENGINE_BASE64 } from './generated/engine-scalar-binary.js';
import { hedgingBuilds } from './module.js';

hedgingBuilds.registerScalar(SCALAR_ENGINE_BASE64);
