import { describe, expect, it } from 'vitest';
import { ThinkSplitter } from '../../src/core/model/think-splitter.js';
import type { ContentPart } from '../../src/core/model/think-splitter.js';

/** Feeds `chunks` and returns the reasoning and the answer, each joined. */
function split(chunks: string[]): { reasoning: string; text: string } {
  const splitter = new ThinkSplitter();
  const parts: ContentPart[] = [...chunks.flatMap((c) => splitter.push(c)), ...splitter.flush()];
  const join = (kind: ContentPart['kind']): string => parts.filter((p) => p.kind === kind).map((p) => p.text).join('');
  return { reasoning: join('reasoning'), text: join('text') };
}

describe('ThinkSplitter', () => {
  const whole = '<think>\nI will say hi.\n</think>\n\nHi there.';

  it('splits a leading block from the answer at every chunk boundary', () => {
    for (let i = 0; i <= whole.length; i++) {
      for (let j = i; j <= whole.length; j++) {
        expect(split([whole.slice(0, i), whole.slice(i, j), whole.slice(j)]), `cut at ${i},${j}`).toEqual({
          reasoning: 'I will say hi.\n',
          text: 'Hi there.',
        });
      }
    }
  });

  it('splits when every character is its own chunk', () => {
    expect(split([...whole])).toEqual({ reasoning: 'I will say hi.\n', text: 'Hi there.' });
  });

  it('leaves an answer without a block untouched, tags later in it included', () => {
    expect(split(['Use <thi', 'nk> tags', ' like </think>.'])).toEqual({ reasoning: '', text: 'Use <think> tags like </think>.' });
  });

  it('keeps text that only looked like the start of a tag', () => {
    expect(split(['<th', 'ere'])).toEqual({ reasoning: '', text: '<there' });
    expect(split(['<thi'])).toEqual({ reasoning: '', text: '<thi' });
  });

  it('treats an unclosed block as reasoning, a held partial close tag included', () => {
    expect(split(['<think>still thinking</thi'])).toEqual({ reasoning: 'still thinking</thi', text: '' });
  });

  it('emits reasoning as it streams, holding back only a possible closing tag', () => {
    const splitter = new ThinkSplitter();
    expect(splitter.push('<think>abc</')).toEqual([{ kind: 'reasoning', text: 'abc' }]);
    expect(splitter.push('think>x')).toEqual([{ kind: 'text', text: 'x' }]);
  });
});
