import { describe, expect, it } from 'vitest';
import { ByteTail } from '../../src/exec/byte-tail.js';
import { lend, letGo } from '../../src/exec/chunk-lease.js';
import { HeadTailBuffer, omittedMarker } from '../../src/exec/head-tail-buffer.js';

const text = (n: number, offset = 0): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i + offset) % 26))).join(''));

describe('HeadTailBuffer', () => {
  it('keeps everything while under capacity', () => {
    const b = new HeadTailBuffer(100);
    b.append(Buffer.from('hello '));
    b.append(Buffer.from('world'));
    expect(b.drain()).toEqual({ bytes: Buffer.from('hello world'), omittedBytes: 0 });
  });

  it('keeps the first and last halves and counts the middle', () => {
    const b = new HeadTailBuffer(20);
    const all = text(100);
    for (let i = 0; i < all.length; i += 7) b.append(all.subarray(i, i + 7));
    const d = b.drain();
    expect(d.omittedBytes).toBe(80);
    expect(d.bytes.toString()).toBe(`${all.subarray(0, 10).toString()}${omittedMarker(80)}${all.subarray(90).toString()}`);
    expect(d.bytes.toString()).toContain('... 80 bytes omitted ...');
  });

  it('handles a single chunk larger than the whole capacity', () => {
    const b = new HeadTailBuffer(10);
    const all = text(1000);
    b.append(all);
    const d = b.drain();
    expect(d.omittedBytes).toBe(990);
    expect(d.bytes.toString()).toBe(`${all.subarray(0, 5).toString()}${omittedMarker(990)}${all.subarray(995).toString()}`);
  });

  it('never stores more than its capacity', () => {
    const b = new HeadTailBuffer(1024);
    for (let i = 0; i < 10_000; i++) b.append(text(333, i));
    expect(b.storedBytes).toBeLessThanOrEqual(1024);
    expect(b.omittedBytes).toBe(10_000 * 333 - 1024);
  });

  it('is empty after a drain and starts a new head', () => {
    const b = new HeadTailBuffer(8);
    b.append(Buffer.from('0123456789'));
    b.drain();
    expect(b.drain()).toEqual({ bytes: Buffer.alloc(0), omittedBytes: 0 });
    b.append(Buffer.from('ab'));
    expect(b.drain().bytes.toString()).toBe('ab');
  });

  it('cuts on character boundaries so both halves decode cleanly', () => {
    const b = new HeadTailBuffer(12);
    b.append(Buffer.from('€'.repeat(20))); // 3 bytes each
    const d = b.drain();
    const s = d.bytes.toString('utf8');
    expect(s).not.toContain('\ufffd');
    expect(s.startsWith('€€')).toBe(true);
    expect(s.endsWith('€€')).toBe(true);
    expect(d.omittedBytes + Buffer.byteLength(s.replace(omittedMarker(d.omittedBytes), ''))).toBe(60);
  });
});

describe('ByteTail', () => {
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
      const tail = new ByteTail(capacity);
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
      expect(tail.length).toBe(Math.min(capacity, whole.length));
      expect(dropped).toBe(whole.length - tail.length);
      expect(tail.bytes().equals(whole.subarray(whole.length - tail.length))).toBe(true);
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
    const tail = new ByteTail(10_000);
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
    tail.clear();
    expect(back).toEqual([first.buffer, second.buffer, third.buffer]);
  });

  it('holds at most about twice its capacity in memory, whatever the chunks', () => {
    const tail = new ByteTail(64 * 1024);
    const kept = new Set<ArrayBufferLike>();
    const views: Buffer[] = [];
    for (let i = 0; i < 100; i++) tail.push(chunk(text(9000, i), 9000));
    for (let i = 0; i < 300; i++) {
      // Small views of large memory: keeping the newest of them would hold dozens of 256 KiB.
      const c = chunk(text(100 + ((i * 37) % 5000), i), 256 * 1024);
      views.push(c);
      tail.push(c);
    }
    // What the tail refers to: reach into it only to measure.
    const segments = (tail as unknown as { segments: { view: Uint8Array }[] }).segments;
    for (const s of segments) kept.add(s.view.buffer);
    const held = [...kept].reduce((n, b) => n + b.byteLength, 0);
    expect(held).toBeLessThanOrEqual(2 * 64 * 1024 + 16 * 1024);
    expect(views.some((v) => kept.has(v.buffer))).toBe(false);
  });
});
