// The American module's scalar build, for the headless API where WASM SIMD may be missing (imported by
// widget/index.ts for its side effect; the element bundle leaves it out).
import { SCALAR_AMERICAN_BASE64 } from './generated/american-scalar-binary.js';
import { americanBuilds } from './wasm.js';

americanBuilds.registerScalar(SCALAR_AMERICAN_BASE64);
