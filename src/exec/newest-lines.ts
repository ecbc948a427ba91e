// How much of the newest output holds its last lines: a flooding screen is redrawn from just what fills it.

const NEWLINE = 0x0a;

/**
 * Bytes counted back from the end of `chunks` to its `count`-th newline from the end, that newline included (the
 * lines after it are whole); `bound` if that newline is further back than `bound` bytes, or not there.
 */
export function bytesForNewestLines(chunks: readonly Uint8Array[], count: number, bound: number): number {
  let after = 0; // bytes in the chunks after the one searched
  let found = 0;
  for (let i = chunks.length - 1; i >= 0; i--) {
    const chunk = chunks[i]!;
    for (let from = chunk.length - 1; from >= 0; ) {
      const at = chunk.lastIndexOf(NEWLINE, from);
      if (at < 0) break;
      const bytes = after + chunk.length - at;
      if (bytes > bound) return bound;
      if (++found === count) return bytes;
      from = at - 1;
    }
    after += chunk.length;
    if (after >= bound) return bound;
  }
  return bound;
}
