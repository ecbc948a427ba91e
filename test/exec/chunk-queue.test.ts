import { describe, expect, it } from 'vitest';
import { lend, letGo } from '../../src/exec/chunk-lease.js';
import { ChunkQueue } from '../../src/exec/chunk-queue.js';

const text = (n: number, offset = 0): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i + offset) % 26))).join(''));

describe('ChunkQueue', () => {
  /** A queue kept to the newest `capacity` bytes, as the output tail keeps it; `push` returns what it dropped. */
  const tailOf = (capacity: number) => {
    const queue = new ChunkQueue();
    return {
      queue,
      push: (c: Uint8Array): number => {
        queue.push(c);
        return queue.bytes > capacity ? queue.keepNewest(capacity) : 0;
      },
    };
  };

  /** A chunk as a reader hands it over: a view of `len` bytes at the start of memory of `backing` bytes. */
  const chunk = (bytes: Buffer, backing: number): Buffer => {
    const b = Buffer.from(new ArrayBuffer(Math.max(backing, bytes.length)), 0, bytes.length);
    bytes.copy(b);
    return b;
  };

  it('keeps exactly the newest bytes through chunks of every size, views and copies alike', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (const capacity of [1, 100, 5000, 64 * 1024]) {
      const tail = tailOf(capacity);
      const all: Buffer[] = [];
      let dropped = 0;
      const push = (len: number, small: boolean, i: number): void => {
        const data = text(len, i);
        // Small views of large memory are copied, so the reader may reuse that memory at once; chunks that fill
        // their memory are kept as they came when large.
        const c = chunk(data, small ? len * 3 + 64 : len);
        all.push(data);
        dropped += tail.push(c);
        if (small) c.fill(0);
      };
      for (let i = 0; i < 400; i++) push([0, 1, 7, 300, 4096, 5000, 20_000, 70_000][random(8)]!, random(2) === 1, i);
      for (let i = 0; i < 20; i++) push(4096 + i, true, i); // the newest are copies
      const whole = Buffer.concat(all);
      const { queue } = tail;
      expect(queue.bytes).toBe(Math.min(capacity, whole.length));
      expect(dropped).toBe(whole.length - queue.bytes);
      expect(Buffer.concat(queue.chunks).equals(whole.subarray(whole.length - queue.bytes))).toBe(true);
    }
  });

  it('gives back a lent chunk once it has been pushed out, and all of them on clear', () => {
    const back: ArrayBuffer[] = [];
    const lent = (): Buffer => {
      const bytes = new ArrayBuffer(8192);
      lend(bytes, (b) => back.push(b));
      const view = Buffer.from(bytes);
      view.fill(0x61);
      return view;
    };
    const tail = tailOf(10_000);
    const first = lent();
    tail.push(first);
    letGo(first); // the lender is done with it: the tail still holds it
    expect(back).toHaveLength(0);
    const second = lent();
    tail.push(second);
    letGo(second);
    const third = lent();
    tail.push(third); // 24 KiB pushed into 10 KB: the first is out
    letGo(third);
    expect(back).toEqual([first.buffer]);
    tail.queue.clear();
    expect(back).toEqual([first.buffer, second.buffer, third.buffer]);
  });

  it('holds at most about twice its capacity in memory, whatever the chunks', () => {
    const tail = tailOf(64 * 1024);
    const kept = new Set<ArrayBufferLike>();
    const views: Buffer[] = [];
    for (let i = 0; i < 100; i++) tail.push(chunk(text(9000, i), 9000));
    for (let i = 0; i < 300; i++) {
      // Small views of large memory: keeping the newest of them would hold dozens of 256 KiB.
      const c = chunk(text(100 + ((i * 37) % 5000), i), 256 * 1024);
      views.push(c);
      tail.push(c);
    }
    for (const c of tail.queue.chunks) kept.add(c.buffer);
    const held = [...kept].reduce((n, b) => n + b.byteLength, 0);
    expect(held).toBeLessThanOrEqual(2 * 64 * 1024 + 16 * 1024);
    expect(views.some((v) => kept.has(v.buffer))).toBe(false);
  });
});
