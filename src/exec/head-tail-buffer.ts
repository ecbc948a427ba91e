// Output kept for the tool API: the first half and the last half of what a process wrote since the last
// drain, with the middle counted but not stored. It stores at most the capacity (the tail may hold about as
// much again in the memory behind the chunks it keeps, chunk-queue.ts: a flood's bytes are not copied into it).
import { ChunkQueue } from './chunk-queue.js';
import { utf8SafeEnd, utf8SafeStart } from './utf8.js';

export const DEFAULT_OUTPUT_CAPACITY = 1024 * 1024;

export interface Drained {
  bytes: Buffer;
  omittedBytes: number;
}

export function omittedMarker(n: number): string {
  return `\n... ${n} bytes omitted ...\n`;
}

export class HeadTailBuffer {
  private readonly headCap: number;
  private head: Buffer = Buffer.alloc(0);
  private headLen = 0;
  private headFull = false;
  private readonly tailCap: number;
  private readonly tail = new ChunkQueue();
  private omitted = 0;

  constructor(capacity = DEFAULT_OUTPUT_CAPACITY) {
    this.headCap = Math.floor(capacity / 2);
    this.tailCap = capacity - this.headCap;
  }

  get storedBytes(): number {
    return this.headLen + this.tail.bytes;
  }

  get omittedBytes(): number {
    return this.omitted;
  }

  append(data: Uint8Array): void {
    let src = data;
    if (!this.headFull) {
      const room = this.headCap - this.headLen;
      if (src.length <= room) {
        this.ensureHead(this.headLen + src.length);
        this.head.set(src, this.headLen);
        this.headLen += src.length;
        return;
      }
      // Cut the head on a character boundary; the rest of this chunk goes to the tail.
      const cut = utf8SafeEnd(src, room);
      this.ensureHead(this.headLen + cut);
      this.head.set(src.subarray(0, cut), this.headLen);
      this.headLen += cut;
      this.headFull = true;
      src = src.subarray(cut);
    }
    if (src.length > this.tailCap) {
      this.omitted += src.length - this.tailCap;
      src = src.subarray(src.length - this.tailCap);
    }
    this.tail.push(src);
    if (this.tail.bytes > this.tailCap) this.omitted += this.tail.keepNewest(this.tailCap);
  }

  private ensureHead(size: number): void {
    if (size <= this.head.length) return;
    const next = Buffer.allocUnsafe(Math.min(this.headCap, Math.max(size, this.head.length * 2, 4096)));
    this.head.copy(next, 0, 0, this.headLen);
    this.head = next;
  }

  /** Everything stored, in order, with the omitted middle marked; the buffer is empty afterwards. */
  drain(): Drained {
    const parts: Buffer[] = [this.head.subarray(0, this.headLen)];
    let omitted = this.omitted;
    if (this.tail.bytes > 0) {
      let t = Buffer.concat(this.tail.chunks, this.tail.bytes);
      if (omitted > 0) {
        // Start the tail on a character boundary; the skipped bytes count as omitted.
        const start = utf8SafeStart(t, 0);
        omitted += start;
        t = t.subarray(start);
        parts.push(Buffer.from(omittedMarker(omitted)));
      }
      parts.push(t);
    }
    const bytes = Buffer.concat(parts);
    this.reset();
    return { bytes, omittedBytes: omitted };
  }

  /** Forgets what it stores (giving back the chunks the tail holds). */
  reset(): void {
    this.head = Buffer.alloc(0);
    this.headLen = 0;
    this.headFull = false;
    this.tail.clear();
    this.omitted = 0;
  }
}
