// Which part of a streamed agent message is finished. The caller moves `done` to the transcript (printed once)
// and keeps only `rest`, the open block, to pass in again with the next delta; so the text lexed per call is
// normally just the block being written, however long the message gets.
//
// A block is complete once a later block has started (a paragraph after a blank line and more text, a closed
// fence followed by anything, a list followed by a non-list block). The last block is never complete: an
// unclosed fence, a list or a table keeps growing until something else starts. Splits fall between top-level
// blocks, so rendering the parts one after another (a blank row between) shows what the whole message would.
//
// When one block is huge (a long code block or list), lexing it on every delta would cost O(n) each time. Past
// EXACT_LIMIT only checkpoints of the text are lexed, spaced geometrically (each 25% longer than the last),
// and the last result is remembered: lexing work stays proportional to the text, and a block that completed
// is split off by the next checkpoint at the latest (or when the message ends).
import { markdownModules } from './load.js';

const EXACT_LIMIT = 16 * 1024;
const GROWTH = 1.25;

let memo: { source: string; done: string } | null = null;

/** The largest checkpoint length not over `n` (every length up to EXACT_LIMIT is one). */
function checkpoint(n: number): number {
  if (n <= EXACT_LIMIT) return n;
  let c = EXACT_LIMIT;
  while (Math.floor(c * GROWTH) <= n) c = Math.floor(c * GROWTH);
  return c;
}

function completePrefix(source: string, lex: (markdown: string) => { type: string; raw: string }[]): string {
  if (memo?.source === source) return memo.done;
  const tokens = lex(source);
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.type === 'space') last -= 1;
  let done = '';
  for (let i = 0; i < last; i += 1) done += tokens[i]!.raw;
  // Only blank lines done: keep them with the block that follows. A lexer that normalised the text (so its
  // pieces are not a prefix) gets no split rather than a wrong one.
  if (done.trim() === '' || !source.startsWith(done)) done = '';
  memo = { source, done };
  return done;
}

/** Splits streamed Markdown into complete top-level blocks and the open remainder (`done + rest` is the input, with CRLF as LF). */
export function splitStreaming(markdown: string): { done: string; rest: string } {
  const text = markdown.includes('\r') ? markdown.replace(/\r\n?/g, '\n') : markdown;
  const modules = markdownModules();
  if (!modules) return { done: '', rest: text };
  const done = completePrefix(text.slice(0, checkpoint(text.length)), modules.lex);
  return { done, rest: text.slice(done.length) };
}
