// The American-option module's exports (SPEC section 5): the CRR lattice and least-squares Monte Carlo
// with its dual upper bound. The host reads results at `resultsPointer()`; see widget/models/american/.
import { LANES } from "../core/lane";
import { resultsPtr } from "./layout";

export { latticeInit, latticeLevels, latticeBoundaryPointer } from "./lattice";
export {
  lsmConfigure, lsmSimulate, lsmFitStart, lsmFitDate, lsmFitEnd, lsmResetSums, lsmPrice, lsmDual, lsmCoefficientPointer, lsmValidPointer,
} from "./lsm";

export function lanes(): i32 { return LANES; }
export function resultsPointer(): usize { return resultsPtr(); }
