import { describe, expect, it } from 'vitest';
import * as edit from '../../src/tui/composer-editing.js';

const at = (text: string, cursor = text.length): edit.Edit => ({ text, cursor });

describe('composer editing', () => {
  it('inserts at the cursor', () => {
    expect(edit.insert(at('hllo', 1), 'e')).toEqual(at('hello', 2));
  });

  it('deletes whole graphemes backwards and forwards', () => {
    expect(edit.backspace(at('a👨‍👩‍👧b', 'a👨‍👩‍👧'.length))).toEqual(at('ab', 1));
    expect(edit.deleteForward(at('a👍b', 1))).toEqual(at('ab', 1));
    expect(edit.backspace(at('abc', 0))).toEqual(at('abc', 0));
    expect(edit.deleteForward(at('abc'))).toEqual(at('abc'));
  });

  it('moves by graphemes', () => {
    const e = at('x日本', 0);
    expect(edit.right(e).cursor).toBe(1);
    expect(edit.right(edit.right(e)).cursor).toBe(2);
    expect(edit.left(at('é', 2)).cursor).toBe(0); // e + combining accent is one grapheme
    expect(edit.home(at('abc')).cursor).toBe(0);
    expect(edit.end(at('abc', 0)).cursor).toBe(3);
  });

  it('kills before and after the cursor, and words', () => {
    expect(edit.killBefore(at('hello world', 6))).toEqual(at('world', 0));
    expect(edit.killAfter(at('hello world', 5))).toEqual(at('hello', 5));
    expect(edit.deleteWordBefore(at('run npm test  '))).toEqual(at('run npm ', 8));
    expect(edit.deleteWordBefore(at('one', 3))).toEqual(at('', 0));
  });
});
