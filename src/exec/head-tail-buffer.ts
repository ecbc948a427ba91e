// Output kept for the tool API: the first half and the last half of what a process wrote since the last
// drain, with the middle counted but not stored. Memory never exceeds the capacity.
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
  private readonly tailCap: number;
  private head: Buffer = Buffer.alloc(0);
  private headLen = 0;
  private headFull = false;
  /** Ring buffer for the tail, allocated once the head is full. */
  private tail: Buffer | null = null;
  private tailStart = 0;
  private tailLen = 0;
  private omitted = 0;

  constructor(capacity = DEFAULT_OUTPUT_CAPACITY) {
    this.headCap = Math.floor(capacity / 2);
    this.tailCap = capacity - this.headCap;
  }

  get storedBytes(): number {
    return this.headLen + this.tailLen;
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
    this.appendTail(src);
  }

  private ensureHead(size: number): void {
    if (size <= this.head.length) return;
    const next = Buffer.allocUnsafe(Math.min(this.headCap, Math.max(size, this.head.length * 2, 4096)));
    this.head.copy(next, 0, 0, this.headLen);
    this.head = next;
  }

  private appendTail(src: Uint8Array): void {
    if (src.length === 0) return;
    if (this.tailCap === 0) {
      this.omitted += src.length;
      return;
    }
    const tail = (this.tail ??= Buffer.allocUnsafe(this.tailCap));
    if (src.length >= this.tailCap) {
      // The chunk alone overflows the tail: keep its last tailCap bytes.
      this.omitted += this.tailLen + src.length - this.tailCap;
      tail.set(src.subarray(src.length - this.tailCap));
      this.tailStart = 0;
      this.tailLen = this.tailCap;
      return;
    }
    const overflow = Math.max(0, this.tailLen + src.length - this.tailCap);
    if (overflow > 0) {
      this.tailStart = (this.tailStart + overflow) % this.tailCap;
      this.tailLen -= overflow;
      this.omitted += overflow;
    }
    const writeAt = (this.tailStart + this.tailLen) % this.tailCap;
    const first = Math.min(src.length, this.tailCap - writeAt);
    tail.set(src.subarray(0, first), writeAt);
    if (first < src.length) tail.set(src.subarray(first), 0);
    this.tailLen += src.length;
  }

  /** Everything stored, in order, with the omitted middle marked; the buffer is empty afterwards. */
  drain(): Drained {
    const parts: Buffer[] = [this.head.subarray(0, this.headLen)];
    let omitted = this.omitted;
    if (this.tail && this.tailLen > 0) {
      let t = Buffer.allocUnsafe(this.tailLen);
      const first = Math.min(this.tailLen, this.tailCap - this.tailStart);
      this.tail.copy(t, 0, this.tailStart, this.tailStart + first);
      if (first < this.tailLen) this.tail.copy(t, first, 0, this.tailLen - first);
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

  private reset(): void {
    this.head = Buffer.alloc(0);
    this.headLen = 0;
    this.headFull = false;
    this.tail = null;
    this.tailStart = 0;
    this.tailLen = 0;
    this.omitted = 0;
  }
}
