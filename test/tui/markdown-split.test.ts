// splitStreaming: which part of a streamed message is finished. Fed the way the TUI feeds it (only the open
// tail plus each new delta), the parts must add up to the message and fall between top-level blocks.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMarkdown, markdownModules } from '../../src/tui/markdown/load.js';
import { splitStreaming } from '../../src/tui/markdown/split-streaming.js';

beforeAll(() => loadMarkdown());

/** Streams `text` in chunks of `size` as the TUI does and returns the parts moved to the transcript, then the rest. */
function stream(text: string, size: number): { parts: string[]; rest: string } {
  const parts: string[] = [];
  let rest = '';
  for (let i = 0; i < text.length; i += size) {
    const split = splitStreaming(rest + text.slice(i, i + size));
    if (split.done !== '') parts.push(split.done);
    rest = split.rest;
  }
  return { parts, rest };
}

const lex = (s: string): string[] => markdownModules()!.lex(s).filter((t) => t.type !== 'space').map((t) => t.type);

describe('splitStreaming', () => {
  it('keeps a lone paragraph open, even after a blank line', () => {
    expect(splitStreaming('Hello, this is')).toEqual({ done: '', rest: 'Hello, this is' });
    expect(splitStreaming('Hello.\n\n')).toEqual({ done: '', rest: 'Hello.\n\n' });
  });

  it('finishes a paragraph once the next block starts', () => {
    expect(splitStreaming('First.\n\nSecond')).toEqual({ done: 'First.\n\n', rest: 'Second' });
    expect(splitStreaming('# Title\nText')).toEqual({ done: '# Title\n', rest: 'Text' });
  });

  it('never splits an unclosed fence, even at blank lines inside it', () => {
    const open = 'Intro.\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n\n# not a heading\n';
    expect(splitStreaming(open)).toEqual({ done: 'Intro.\n\n', rest: '```ts\nconst a = 1;\n\n\nconst b = 2;\n\n# not a heading\n' });
    expect(splitStreaming('```ts\nconst a = 1;\n\n\nconst b = 2;\n').done).toBe('');
    // A closed fence is done once anything follows.
    expect(splitStreaming('```ts\nconst a = 1;\n```\n')).toEqual({ done: '', rest: '```ts\nconst a = 1;\n```\n' });
    expect(splitStreaming('```ts\nconst a = 1;\n```\nAfter')).toEqual({ done: '```ts\nconst a = 1;\n```\n', rest: 'After' });
  });

  it('keeps a list growing across blank lines between items until a non-list block starts', () => {
    expect(splitStreaming('- one\n\n- two\n\n').done).toBe('');
    expect(splitStreaming('- one\n\n- two\n\n  more of two\n\n').done).toBe('');
    expect(splitStreaming('1. one\n2. two\n   - nested\n\n3. three').done).toBe('');
    expect(splitStreaming('- one\n- two\n\nAfter the list')).toEqual({ done: '- one\n- two\n\n', rest: 'After the list' });
  });

  it('keeps a table open while rows arrive', () => {
    expect(splitStreaming('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 |').done).toBe('');
    expect(splitStreaming('| a | b |\n|---|---|\n| 1 | 2 |\n\nDone.')).toEqual({ done: '| a | b |\n|---|---|\n| 1 | 2 |\n\n', rest: 'Done.' });
  });

  it('leaves leading blank lines with the block that follows them', () => {
    expect(splitStreaming('\n\nText')).toEqual({ done: '', rest: '\n\nText' });
  });

  it('reads CRLF as LF', () => {
    expect(splitStreaming('One.\r\n\r\nTwo')).toEqual({ done: 'One.\n\n', rest: 'Two' });
  });

  const message = [
    '# Plan',
    '',
    'I will change **two** files:',
    '',
    '- `src/a.ts`: add the flag',
    '',
    '- `src/b.ts`: read it',
    '  - and test it',
    '',
    '```ts',
    'export const flag = true;',
    '',
    '',
    'export function read(): boolean {',
    '  return flag;',
    '}',
    '```',
    '',
    '| file | change |',
    '|------|--------|',
    '| a.ts | flag   |',
    '',
    '> note: nothing else changes',
    '',
    'Done, without a trailing newline',
  ].join('\n');

  for (const size of [1, 3, 7, 64, message.length]) {
    it(`adds up to the message, split only between its blocks (chunks of ${size})`, () => {
      const { parts, rest } = stream(message, size);
      expect(parts.join('') + rest).toBe(message);
      // Each part is whole blocks: lexed alone, the parts give the same blocks as the message.
      expect([...parts, rest].flatMap(lex)).toEqual(lex(message));
      expect(rest).toBe('Done, without a trailing newline');
      if (size < message.length) expect(parts.length).toBeGreaterThan(3);
    });
  }

  it('does not lex a megabyte-long open block again on every delta', () => {
    // Lexing a 2 MB list takes about half a second; 300 deltas must not each do that.
    const item = '- an item with `code` and *emphasis* in it, and some more words\n';
    const lexStarted = performance.now();
    let rest = splitStreaming('Intro.\n\n' + item.repeat(32_000)).rest;
    // One whole lex, measured under the same load as the deltas (no absolute time: the machine may be busy).
    const oneLex = performance.now() - lexStarted;
    expect(rest.length).toBeGreaterThan(2_000_000);
    const started = performance.now();
    for (let i = 0; i < 300; i += 1) {
      const split = splitStreaming(rest + item);
      expect(split.done).toBe('');
      rest = split.rest;
    }
    // Lexing again on every delta would cost ~300 whole lexes.
    expect(performance.now() - started).toBeLessThan(oneLex * 30);
    // Once a paragraph follows, the list is split off: by the next checkpoint at the latest.
    let after = splitStreaming(rest + '\nAfter the list.');
    const more = ' More text.'.repeat(400);
    for (let i = 0; after.done === '' && i < 1_000; i += 1) after = splitStreaming(after.rest + more);
    expect(after.done.startsWith('- an item')).toBe(true);
    expect(after.done.endsWith(item + '\n')).toBe(true);
    expect(after.rest.startsWith('After the list.')).toBe(true);
  });
});
