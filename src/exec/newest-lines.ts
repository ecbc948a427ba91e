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

/** Bytes that change a terminal's state beyond its cursor and cells: ESC (every sequence), and SO/SI (charsets). */
const STATEFUL = [0x1b, 0x0e, 0x0f];

/** Whether the first `bytes` of `chunks` are plain text: parsed, they would only write cells and move the cursor. */
export function isPlainPrefix(chunks: readonly Uint8Array[], bytes: number): boolean {
  let left = bytes;
  for (let i = 0; i < chunks.length && left > 0; i++) {
    const chunk = chunks[i]!;
    const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
    for (const b of STATEFUL) if (part.indexOf(b) >= 0) return false;
    left -= part.length;
  }
  return true;
}
