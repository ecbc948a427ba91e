// Output waiting in order, as chunks: a large chunk is kept as the view it came in (held, chunk-lease.ts), small
// ones are copied together into pieces of our own, so a flood's bytes are not copied once more and a trickle's
// many tiny reads are not kept one entry each. A view is kept only if it covers at least half of the memory
// behind it: the memory held stays within about twice the bytes queued (and one chunk cut at the front).
// The screen's parse queue and the output tail are both one.
import { hold, letGo } from './chunk-lease.js';

/** A chunk at least this long, covering at least half of its memory, is kept as it came. */
const KEEP_AS_IS_BYTES = 4096;
/** Small chunks are copied into pieces of this size. */
const PIECE_BYTES = 16 * 1024;

export class ChunkQueue {
  /** Oldest first. */
  readonly chunks: Buffer[] = [];
  /** Bytes in `chunks`. */
  bytes = 0;
  /** Room left in the last chunk while it is a piece of our own gathering small chunks. */
  private room = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    this.bytes += chunk.length;
    if (chunk.length >= KEEP_AS_IS_BYTES && chunk.length * 2 >= chunk.buffer.byteLength) {
      hold(chunk);
      this.chunks.push(chunk);
      this.room = 0;
      return;
    }
    for (let at = 0; at < chunk.length; ) {
      if (this.room === 0) {
        this.chunks.push(Buffer.allocUnsafeSlow(PIECE_BYTES).subarray(0, 0));
        this.room = PIECE_BYTES;
      }
      // The last entry is a view on a piece we own (perhaps cut at the front): it grows in place.
      const last = this.chunks[this.chunks.length - 1]!;
      const n = Math.min(this.room, chunk.length - at);
      const grown = Buffer.from(last.buffer, last.byteOffset, last.length + n);
      chunk.copy(grown, last.length, at, at + n);
      this.chunks[this.chunks.length - 1] = grown;
      this.room -= n;
      at += n;
    }
  }

  /** Takes the oldest chunk out; the caller lets it go when done with it. */
  shift(): Buffer {
    const chunk = this.chunks.shift()!;
    this.bytes -= chunk.length;
    if (this.chunks.length === 0) this.room = 0;
    return chunk;
  }

  /** Drops the oldest chunk; returns its length (counted before it is let go: a batch given back reads as empty). */
  dropOldest(): number {
    const chunk = this.shift();
    const length = chunk.length;
    letGo(chunk);
    return length;
  }

  /** Keeps the newest `keep` bytes, cutting into the oldest kept chunk; returns how many were dropped. */
  keepNewest(keep: number): number {
    let dropped = 0;
    while (this.chunks.length > 0 && this.bytes - this.chunks[0]!.length >= keep) dropped += this.dropOldest();
    const excess = this.bytes - keep;
    if (excess > 0) {
      // A view further into the same memory: a gathering last entry can still grow in place.
      this.chunks[0] = this.chunks[0]!.subarray(excess);
      this.bytes -= excess;
      dropped += excess;
    }
    return dropped;
  }

  /** Drops everything, giving back what it holds. */
  clear(): void {
    for (const chunk of this.chunks) letGo(chunk);
    this.chunks.length = 0;
    this.bytes = 0;
    this.room = 0;
  }
}
