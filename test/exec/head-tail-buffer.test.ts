import { describe, expect, it } from 'vitest';
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
