// Where a byte buffer can be cut without splitting a UTF-8 character.

/** Length of the longest prefix of `buf[0..end)` that does not end inside a multi-byte character. */
export function utf8SafeEnd(buf: Uint8Array, end = buf.length): number {
  // Look back at most 3 bytes for the lead byte of the last character.
  for (let i = end - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const b = buf[i]!;
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return end - i >= need ? end : i;
    }
  }
  // Only continuation bytes (not UTF-8 text): any cut is as good as another.
  return end;
}

/** First index at or after `start` that begins a character (skips continuation bytes, at most 3). */
export function utf8SafeStart(buf: Uint8Array, start: number): number {
  let i = start;
  while (i < buf.length && i < start + 3 && (buf[i]! & 0xc0) === 0x80) i++;
  return i;
}
