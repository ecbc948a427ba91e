// A model that writes faster than the screen: the TUI takes its text in bounded pieces (no flush moves more
// than 8 KB of new text to the transcript), and the whole answer still reaches the transcript once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import type { Cell } from '../../src/tui/cells.js';
import { reply, text } from '../helpers/model-server.js';
import { loadMarkdown } from '../../src/tui/markdown/load.js';
import { waitUntil } from '../helpers/os.js';
import { startAppWithModel } from './app-harness.js';

let running: Awaited<ReturnType<typeof startAppWithModel>> | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('a stream faster than the screen', () => {
  it('is moved to the transcript in bounded pieces, all of it, once, in order', async () => {
    await loadMarkdown(); // blocks are told apart by the Markdown lexer, loaded lazily
    running = await startAppWithModel('never');
    const { app, model } = running;
    const paragraphs = Array.from({ length: 120 }, (_, i) => `Paragraph ${i}: ${'words of the answer '.repeat(20).trim()}.`);
    const answer = paragraphs.join('\n\n');
    // Three deltas of ~25 KB each, far more than one flush may take, then the stream stays open a while (the
    // end of a message takes in whatever is left at once).
    const third = Math.ceil(answer.length / 3);
    model.enqueue(reply([text(answer.slice(0, third)), text(answer.slice(third, 2 * third)), text(answer.slice(2 * third))], { stallMs: 2000 }));

    const printed: Cell[][] = [];
    const append = app.state.append.bind(app.state);
    app.state.append = (...cells: Cell[]) => {
      printed.push(cells);
      append(...cells);
    };
    await app.type('go\r');
    expect(await waitUntil(() => app.state.status.get().turn === null && printed.flat().some((c) => c.kind === 'agent' && c.markdown.includes('Paragraph 119')), 20_000)).toBe(true);

    const parts = printed.flat().filter((c): c is Extract<Cell, { kind: 'agent' }> => c.kind === 'agent');
    expect(parts.length).toBeGreaterThanOrEqual(3);
    // Each part is whole paragraphs, and none came from more than one flush's worth of text (plus the block it completed).
    for (const p of parts.slice(0, -1)) expect(p.markdown.length).toBeLessThanOrEqual(8 * 1024 + 1024);
    expect(parts.map((p) => p.markdown.trim()).join('\n\n')).toBe(answer);
  });
});
