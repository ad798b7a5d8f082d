// Linear memory for the modules' buffers: 16-byte aligned reservations, and growing memory to fit them.

/** Grows memory to hold `end` bytes; false if it cannot grow. */
export function ensureMemory(end: usize): bool {
  const pagesNeeded = <i32>((end + 0xffff) >> 16);
  const pagesHave = memory.size();
  return pagesNeeded <= pagesHave || memory.grow(pagesNeeded - pagesHave) >= 0;
}

/** The next 16-byte aligned address after `bytes` bytes at `at` (a lane load needs that alignment). */
export function reserve(at: usize, bytes: usize): usize {
  return (at + bytes + 15) & ~<usize>15;
}
