// Model-free bounds, all solvers: the entropic solver, the exact LP and interior method (HiGHS, loaded
// on demand), and the neural dual. The page's worker imports ./solve.ts instead, without the LP or the
// neural dual.
import './lp-register.js';
import './neural-register.js';

export * from './solve.js';
