// The American-option module's exports (docs/numerics.md): the CRR lattice, least-squares Monte Carlo
// with its dual upper bound, and the value network's passes. The host reads results at `resultsPointer()`;
// see widget/models/american/.
import { LANES } from "../core/lane";
import { resultsPtr } from "./layout";

export { latticeInit, latticeLevels, latticeBoundaryPointer } from "./lattice";
export {
  lsmConfigure, lsmSimulate, lsmFitStart, lsmFitDate, lsmFitEnd, lsmResetSums, lsmPrice, lsmDual, lsmCoefficientPointer, lsmValidPointer,
} from "./lsm";
export {
  vnConfigure, vnParamsPointer, vnTargetPointer, vnGradientPointer, vnParameterCount, vnTrain, vnLoad, vnStopping, vnStoppingSumSq,
} from "./value-network";

export function lanes(): i32 { return LANES; }
export function resultsPointer(): usize { return resultsPtr(); }
