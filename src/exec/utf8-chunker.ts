// Turns arbitrary reads into output deltas of bounded size that never split a character, so every delta
// decodes on its own.
import { utf8SafeEnd } from './utf8.js';

export const MAX_DELTA_BYTES = 8 * 1024;

export class Utf8Chunker {
  private carry: Buffer | null = null;

  constructor(private readonly maxBytes = MAX_DELTA_BYTES) {}

  /** Splits `data` (plus any bytes held back from the last call) into safe pieces. */
  push(data: Buffer, emit: (piece: Buffer) => void): void {
    let buf = data;
    if (this.carry) {
      buf = Buffer.concat([this.carry, data]);
      this.carry = null;
    }
    let pos = 0;
    while (buf.length - pos > this.maxBytes) {
      let cut = utf8SafeEnd(buf, pos + this.maxBytes);
      if (cut <= pos) cut = pos + this.maxBytes; // not text; never stall
      emit(buf.subarray(pos, cut));
      pos = cut;
    }
    const end = utf8SafeEnd(buf, buf.length);
    if (end > pos) emit(buf.subarray(pos, end));
    // Hold back an incomplete trailing character (at most 3 bytes) for the next read.
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(Math.max(end, pos)));
  }

  /** Drops `data` (nobody wants it), but holds back its incomplete trailing character, as `push` does. */
  skip(data: Buffer): void {
    // A held-back character ends within the first 3 bytes of `data`: past them only `data` counts.
    const buf = this.carry && data.length < 4 ? Buffer.concat([this.carry, data]) : data;
    const end = utf8SafeEnd(buf, buf.length);
    this.carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
  }

  /** Emits whatever is held back, complete or not: the stream has ended. */
  flush(emit: (piece: Buffer) => void): void {
    if (this.carry) emit(this.carry);
    this.carry = null;
  }
}
