import { expect, it } from 'vitest';
import { bytesForNewestLines } from '../../src/exec/newest-lines.js';

const chunks = (...parts: string[]): Buffer[] => parts.map((p) => Buffer.from(p));

it('counts back to the n-th newline from the end, across chunks, that newline included', () => {
  const c = chunks('zero\none\ntw', 'o\nthree\n', 'four');
  expect(bytesForNewestLines(c, 1, 1000)).toBe('\nfour'.length);
  expect(bytesForNewestLines(c, 2, 1000)).toBe('\nthree\nfour'.length);
  // The newline that ends a chunk and the line that straddles two chunks.
  expect(bytesForNewestLines(c, 3, 1000)).toBe('\ntwo\nthree\nfour'.length);
  expect(bytesForNewestLines(c, 4, 1000)).toBe('\none\ntwo\nthree\nfour'.length);
  const whole = Buffer.concat(c);
  for (let n = 1; n <= 4; n++) expect(whole.subarray(whole.length - bytesForNewestLines(c, n, 1000))[0]).toBe(0x0a);
});

it('gives the bound when the lines go further back, or there are not that many', () => {
  const c = chunks('a\n', 'x'.repeat(500), '\nb\n');
  expect(bytesForNewestLines(c, 2, 1000)).toBe(3);
  expect(bytesForNewestLines(c, 3, 100)).toBe(100);
  expect(bytesForNewestLines(c, 3, 1000)).toBe(504);
  expect(bytesForNewestLines(c, 9, 1000)).toBe(1000);
  expect(bytesForNewestLines(chunks('no newline at all'), 1, 5)).toBe(5);
  expect(bytesForNewestLines([], 1, 5)).toBe(5);
});
