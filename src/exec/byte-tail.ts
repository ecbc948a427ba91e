// The newest bytes of a stream, up to a capacity, kept without copying each one: a large chunk is kept as the
// view it arrived in (held, chunk-lease.ts), small ones are copied together into pieces. Copying every chunk
// into a ring cost a 270 MB pipe flood about 3.5% of its speed.
//
// A kept view holds the memory behind it, so only a view covering at least half of that memory is kept; the
// memory held is then at most about twice the capacity, whatever the chunks are.
import { hold, letGo } from './chunk-lease.js';

/** A chunk at least this long, covering at least half of its memory, is kept as it came. */
const KEEP_AS_IS_BYTES = 4096;
/** Small chunks are copied into pieces of this size. */
const PIECE_BYTES = 16 * 1024;

interface Segment {
  view: Uint8Array;
  /** A held view of the chunk as it came; otherwise a piece of our own (`piece` while it is being filled). */
  held: boolean;
}

export class ByteTail {
  private segments: Segment[] = [];
  /** Bytes at the start of the first segment that were already dropped. */
  private skip = 0;
  private stored = 0;
  /** The piece small chunks are copied into, and how much of it is used. */
  private piece: { seg: Segment; buf: Buffer; used: number } | null = null;

  constructor(readonly capacity: number) {}

  /** Bytes kept. */
  get length(): number {
    return this.stored;
  }

  /** Appends `src`; returns how many of the oldest bytes (its own included) were dropped to stay within the capacity. */
  push(src: Uint8Array): number {
    let dropped = 0;
    let data = src;
    if (data.length > this.capacity) {
      dropped += data.length - this.capacity;
      data = data.subarray(data.length - this.capacity);
    }
    if (data.length === 0) return dropped;
    if (data.length >= KEEP_AS_IS_BYTES && data.length * 2 >= data.buffer.byteLength) {
      hold(data);
      this.segments.push({ view: data, held: true });
      this.piece = null;
    } else this.copy(data);
    this.stored += data.length;
    return dropped + this.trim();
  }

  private copy(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      if (!this.piece || this.piece.used === this.piece.buf.length) {
        const buf = Buffer.allocUnsafe(PIECE_BYTES);
        const seg: Segment = { view: buf.subarray(0, 0), held: false };
        this.segments.push(seg);
        this.piece = { seg, buf, used: 0 };
      }
      const p = this.piece;
      const n = Math.min(data.length - at, p.buf.length - p.used);
      p.buf.set(data.subarray(at, at + n), p.used);
      p.used += n;
      p.seg.view = p.buf.subarray(0, p.used);
      at += n;
    }
  }

  /** Drops the oldest bytes past the capacity; returns how many. */
  private trim(): number {
    let excess = this.stored - this.capacity;
    const dropped = Math.max(0, excess);
    while (excess > 0) {
      const first = this.segments[0]!;
      const left = first.view.length - this.skip;
      if (left > excess) {
        this.skip += excess;
        this.stored -= excess;
        break;
      }
      this.segments.shift();
      if (first.held) letGo(first.view);
      if (this.piece?.seg === first) this.piece = null;
      this.skip = 0;
      this.stored -= left;
      excess -= left;
    }
    return dropped;
  }

  /** A copy of the bytes kept, oldest first. */
  bytes(): Buffer {
    const parts = this.segments.map((s, i) => (i === 0 ? s.view.subarray(this.skip) : s.view));
    return Buffer.concat(parts, this.stored);
  }

  /** Forgets everything, giving back what it held. */
  clear(): void {
    for (const s of this.segments) if (s.held) letGo(s.view);
    this.segments = [];
    this.piece = null;
    this.skip = 0;
    this.stored = 0;
  }
}
