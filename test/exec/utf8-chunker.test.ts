import { describe, expect, it } from 'vitest';
import { MAX_DELTA_BYTES, Utf8Chunker } from '../../src/exec/utf8-chunker.js';

function run(chunks: Buffer[], max?: number): Buffer[] {
  const c = new Utf8Chunker(max);
  const out: Buffer[] = [];
  for (const chunk of chunks) c.push(chunk, (p) => out.push(Buffer.from(p)));
  c.flush((p) => out.push(Buffer.from(p)));
  return out;
}

describe('Utf8Chunker', () => {
  it('holds back a multi-byte character split across reads', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const out = run([Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]), Buffer.concat([euro.subarray(1), Buffer.from('b')])]);
    expect(out.map((b) => b.toString())).toEqual(['a', '€b']);
  });

  it('never emits a piece that splits a character, and loses nothing', () => {
    const text = 'añ€😀'.repeat(5000);
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; ) {
      const n = 1 + ((i * 7919) % 5000);
      chunks.push(bytes.subarray(i, i + n));
      i += n;
    }
    const out = run(chunks);
    for (const piece of out) {
      expect(piece.length).toBeLessThanOrEqual(MAX_DELTA_BYTES);
      expect(Buffer.from(piece.toString('utf8')).equals(piece)).toBe(true);
    }
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
  });

  it('skips reads nobody wants but keeps a character they split for the next piece', () => {
    const text = 'añ€😀'.repeat(3000);
    const bytes = Buffer.from(text);
    for (const cut of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      for (const tiny of [1, 2, 3]) {
        // Skipped: the first `cut` bytes, then `tiny` more; pushed: the rest, which starts mid-character.
        const c = new Utf8Chunker();
        const out: Buffer[] = [];
        c.skip(bytes.subarray(0, cut));
        c.skip(bytes.subarray(cut, cut + tiny));
        c.push(bytes.subarray(cut + tiny), (p) => out.push(Buffer.from(p)));
        const got = Buffer.concat(out);
        expect(Buffer.from(got.toString('utf8')).equals(got)).toBe(true); // whole characters only
        expect(text.endsWith(got.toString('utf8'))).toBe(true);
        expect(got.length).toBeGreaterThan(bytes.length - cut - tiny - 4);
      }
    }
  });

  it('splits a large read into pieces of at most the maximum', () => {
    const out = run([Buffer.alloc(20_000, 0x61)]);
    expect(out.map((b) => b.length)).toEqual([8192, 8192, 3616]);
  });

  it('makes progress on bytes that are not UTF-8', () => {
    const junk = Buffer.alloc(100, 0x80);
    const out = run([junk], 16);
    expect(Buffer.concat(out).equals(junk)).toBe(true);
  });

  it('emits an incomplete character at the end of the stream', () => {
    const out = run([Buffer.from([0x61, 0xe2, 0x82])]);
    expect(Buffer.concat(out)).toEqual(Buffer.from([0x61, 0xe2, 0x82]));
  });
});
