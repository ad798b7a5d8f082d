// The module's fixed memory: a results area the host reads after each call, then the heap each method
// lays out for itself (one method runs at a time).
const RESULTS_BYTES: usize = 256;

@inline export function resultsPtr(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

@inline export function heapStart(): usize {
  return resultsPtr() + RESULTS_BYTES;
}
