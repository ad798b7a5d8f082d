// Makes the neural dual available to priceBounds (the headless API's entry imports this; the page's worker
// does not, so its bundle carries neither the networks' WASM module nor their WGSL).
import { NEURAL_GRID_MAX_CELLS } from './neural/dual.js';
import { solveNeural } from './neural/report.js';
import { registerNeuralSolver } from './solve.js';

registerNeuralSolver({ solve: solveNeural, gridMaxCells: NEURAL_GRID_MAX_CELLS });
