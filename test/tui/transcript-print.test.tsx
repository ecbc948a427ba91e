// The transcript as a terminal receives it: Ink writing into a stream that records every write (through the
// same stdout wrapper as the TUI's), cells printed as text in place of Ink's placeholders, in order, each once,
// however many there are.
import { Writable } from 'node:stream';
import { render, renderToString } from 'ink';
import React from 'react';
import stripAnsi from 'strip-ansi';
import { beforeAll, describe, expect, it } from 'vitest';
import { CellView } from '../../components/CellView.js';
import { Transcript } from '../../components/Transcript.js';
import type { Cell } from '../../src/tui/cells.js';
import { loadMarkdown } from '../../src/tui/markdown/load.js';
import { PrintChannel } from '../../src/tui/print-channel.js';
import { guardReflow } from '../../src/tui/reflow-guard.js';
import { TuiState } from '../../src/tui/state.js';
import { waitUntil } from '../helpers/os.js';

class Terminal extends Writable {
  columns = 80;
  rows = 24;
  isTTY = true;
  raw = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.raw += chunk.toString();
    done();
  }
  /** Everything written, without escape sequences. */
  text(): string {
    return stripAnsi(this.raw);
  }
}

function printTranscript(): { state: TuiState; term: Terminal; unmount: () => void } {
  const term = new Terminal();
  const state = new TuiState('thread');
  const channel = new PrintChannel();
  const ink = render(<Transcript state={state} width={80} channel={channel} />, {
    stdout: guardReflow(term as unknown as NodeJS.WriteStream, channel),
    patchConsole: false,
    exitOnCtrlC: false,
  });
  return { state, term, unmount: () => ink.unmount() };
}

const info = (text: string): Cell => ({ kind: 'info', id: `info-${text}`, text });
const agent = (markdown: string, first = false): Cell => ({ kind: 'agent', id: `agent-${markdown.slice(0, 20)}-${Math.random()}`, markdown, first });

const RICH = [
  '## A heading',
  'Some *emphasis*, **strong** text, `code` and a [link](https://example.com).',
  '- one\n- two\n  - nested',
  '1. first\n2. second',
  '```ts\nconst x: number = 1; // a comment\nexport function f() { return "s"; }\n```',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '> a quote',
].join('\n\n');

beforeAll(async () => {
  await loadMarkdown();
});

describe('the printed transcript', () => {
  const LONG = 'a message long enough to wrap over more than one row of the terminal, with words of several lengths, twice over: '.repeat(2);
  const printedAsText: [string, Cell][] = [
    ['an agent message', agent(RICH, true)],
    ['a typed message', { kind: 'user', id: 'u', text: `${LONG}\nand a second line` }],
    ['a note', { kind: 'info', id: 'i', text: LONG }],
    ['an error', { kind: 'error', id: 'e', text: LONG }],
    ['a thinking line', { kind: 'reasoning', id: 'r', summary: LONG }],
  ];
  it.each(printedAsText)('prints %s as its component shows it', async (_, cell) => {
    const { state, term, unmount } = printTranscript();
    state.append(cell);
    expect(await waitUntil(() => state.transcript.get().pending.length === 0)).toBe(true);
    unmount();
    const shown = renderToString(<CellView cell={cell} width={80} />, { columns: 80 });
    const norm = (s: string): string => s.split('\n').map((l) => l.trimEnd()).join('\n').trim();
    expect(norm(term.text())).toBe(norm(stripAnsi(shown)));
    expect(term.raw.includes('\x1b[')).toBe(true); // styled, not plain
  });

  it('keeps the order of cells printed by Ink and cells printed as text, each once', async () => {
    const { state, term, unmount } = printTranscript();
    state.append(info('first'), agent('second'), agent('third'));
    state.append(info('fourth'));
    state.append(agent('fifth'), info('sixth'));
    expect(await waitUntil(() => state.transcript.get().pending.length === 0)).toBe(true);
    unmount();
    const words = term.text().match(/\b(first|second|third|fourth|fifth|sixth)\b/g);
    expect(words).toEqual(['first', 'second', 'third', 'fourth', 'fifth', 'sixth']);
  });

  it('prints every cell of a long conversation, not only the newest ones', async () => {
    const { state, term, unmount } = printTranscript();
    // One burst (as a resumed thread redraws its history), then many small appends.
    state.append(...Array.from({ length: 1200 }, (_, i) => (i % 2 ? agent(`cell ${i}`) : info(`cell ${i}`))));
    for (let i = 1200; i < 1800; i++) state.append(i % 2 ? agent(`cell ${i}`) : info(`cell ${i}`));
    expect(await waitUntil(() => state.transcript.get().pending.length === 0, 20_000)).toBe(true);
    unmount();
    const seen = term.text().match(/cell \d+/g) ?? [];
    expect(seen).toHaveLength(1800);
    expect(seen.map((s) => Number(s.slice(5)))).toEqual(Array.from({ length: 1800 }, (_, i) => i));
  });

  it('clears the screen and its scrollback on /clear, before what comes after', async () => {
    const { state, term, unmount } = printTranscript();
    state.append(info('before'));
    expect(await waitUntil(() => state.transcript.get().pending.length === 0)).toBe(true);
    state.clear();
    state.append(info('after'));
    expect(await waitUntil(() => state.transcript.get().pending.length === 0 && !state.transcript.get().clearScreen)).toBe(true);
    unmount();
    const clearAt = term.raw.indexOf('\x1b[2J\x1b[3J');
    expect(clearAt).toBeGreaterThan(term.raw.indexOf('before'));
    expect(term.raw.indexOf('after')).toBeGreaterThan(clearAt);
  });
});
