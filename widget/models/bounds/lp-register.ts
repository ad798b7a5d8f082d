// Makes the exact LP and the interior method available to priceBounds (the headless API's entry imports
// this; the page's worker does not, so its bundle carries no LP code).
import { LP_MAX_CELLS, solveLp } from './lp.js';
import { registerLpSolver } from './solve.js';

registerLpSolver({ solve: solveLp, maxCells: LP_MAX_CELLS });
