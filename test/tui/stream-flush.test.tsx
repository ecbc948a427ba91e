// A model that writes faster than the screen: the TUI takes its text in bounded pieces (no flush moves more
// than 8 KB of new text to the transcript), and the whole answer still reaches the transcript once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../src/core/model/create-provider.js';
import type { AgentSettings } from '../../src/core/session.js';
import type { Cell } from '../../src/tui/cells.js';
import { type ModelServer, reply, startModelServer, text } from '../helpers/model-server.js';
import { loadMarkdown } from '../../src/tui/markdown/load.js';
import { waitUntil } from '../helpers/os.js';
import { startApp } from './app-harness.js';

let app: Awaited<ReturnType<typeof startApp>> | null = null;
let model: ModelServer | null = null;
afterEach(async () => {
  await app?.close();
  await model?.close();
  app = null;
  model = null;
});

describe('a stream faster than the screen', () => {
  it('is moved to the transcript in bounded pieces, all of it, once, in order', async () => {
    await loadMarkdown(); // blocks are told apart by the Markdown lexer, loaded lazily
    model = await startModelServer();
    const provider = createProvider(
      { id: 'scripted', name: 'Scripted', baseUrl: model.baseUrl, envKey: null, wireApi: 'chat', queryParams: {}, httpHeaders: {}, requestMaxRetries: 0, streamIdleTimeoutMs: 10_000 },
      {},
    );
    const agent: AgentSettings = { binding: { model: 'scripted-model', providerId: 'scripted', provider }, approvalPolicy: 'never', instructions: () => Promise.resolve('test') };
    app = await startApp({ agent });
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
    expect(await waitUntil(() => app!.state.status.get().turn === null && printed.flat().some((c) => c.kind === 'agent' && c.markdown.includes('Paragraph 119')), 20_000)).toBe(true);

    const parts = printed.flat().filter((c): c is Extract<Cell, { kind: 'agent' }> => c.kind === 'agent');
    expect(parts.length).toBeGreaterThanOrEqual(3);
    // Each part is whole paragraphs, and none came from more than one flush's worth of text (plus the block it completed).
    for (const p of parts.slice(0, -1)) expect(p.markdown.length).toBeLessThanOrEqual(8 * 1024 + 1024);
    expect(parts.map((p) => p.markdown.trim()).join('\n\n')).toBe(answer);
  });
});
