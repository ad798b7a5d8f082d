// Model-free bounds, all solvers: the entropic solver, and the exact LP and interior method (HiGHS, loaded
// on demand). The page's worker imports ./solve.ts instead, without the LP.
import './lp-register.js';

export * from './solve.js';
