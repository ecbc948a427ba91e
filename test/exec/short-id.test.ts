import { describe, expect, it } from 'vitest';
import { compareKeys, resolveProcessArg, shortId } from '../../src/exec/short-id.js';

describe('shortId', () => {
  it('is the first six graphemes of the key', () => {
    expect(shortId('48213')).toBe('48213');
    expect(shortId('1234567890')).toBe('123456');
  });

  it('counts graphemes, not code units', () => {
    // A family emoji is one grapheme built from seven code points.
    expect(shortId('👨‍👩‍👧‍👦abcdefg')).toBe('👨‍👩‍👧‍👦abcde');
    expect(shortId('e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301')).toBe('e\u0301'.repeat(6));
  });
});

describe('resolveProcessArg', () => {
  const keys = ['1234', '12345', '48213', '48999', '7001'];

  it('resolves a unique prefix', () => {
    expect(resolveProcessArg('7', keys)).toEqual({ kind: 'unique', key: '7001' });
    expect(resolveProcessArg('482', keys)).toEqual({ kind: 'unique', key: '48213' });
  });

  it('prefers an exact match over longer keys sharing it as a prefix', () => {
    expect(resolveProcessArg('1234', keys)).toEqual({ kind: 'unique', key: '1234' });
  });

  it('reports every candidate of an ambiguous prefix, in numeric order', () => {
    expect(resolveProcessArg('48', keys)).toEqual({ kind: 'ambiguous', candidates: ['48213', '48999'] });
    expect(resolveProcessArg('123', keys)).toEqual({ kind: 'ambiguous', candidates: ['1234', '12345'] });
  });

  it('says when nothing matches', () => {
    expect(resolveProcessArg('9', keys)).toEqual({ kind: 'not-found', query: '9' });
    expect(resolveProcessArg('482130', keys)).toEqual({ kind: 'not-found', query: '482130' });
  });

  it('rejects an empty argument', () => {
    expect(resolveProcessArg('', keys)).toEqual({ kind: 'invalid' });
    expect(resolveProcessArg('   ', keys)).toEqual({ kind: 'invalid' });
  });

  it('trims surrounding whitespace', () => {
    expect(resolveProcessArg(' 7001 ', keys)).toEqual({ kind: 'unique', key: '7001' });
  });
});

describe('compareKeys', () => {
  it('orders numeric keys by value', () => {
    expect(['100000', '9', '1000'].sort(compareKeys)).toEqual(['9', '1000', '100000']);
  });
});
