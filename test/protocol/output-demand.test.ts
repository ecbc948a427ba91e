// A flood is cut into 8 KiB deltas only while some client takes them: the TUI draws screens and takes none.
import { expect, it } from 'vitest';
import { CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { InProcessClient } from '../../src/protocol/client.js';
import { waitUntil } from '../helpers/os.js';

it('cuts command output into deltas only while a client listens for them', async () => {
  const manager = new ProcessManager({ home: null, graceMs: 300 });
  const session = new CorralSession(manager, { terminals: { foreground_window_ms: 10_000, stop_grace_ms: 300 } });
  const client = new InProcessClient(session);
  try {
    const { thread } = await client.request('thread/start', {});
    const completed: unknown[] = [];
    client.on('item/completed', (p) => completed.push(p));
    expect(manager.events.wanted('output')).toBe(false);
    await client.request('thread/shellCommand', { threadId: thread.id, command: 'echo unseen' });
    await waitUntil(() => completed.length === 1, 5000);

    const deltas: string[] = [];
    const off = client.on('item/commandExecution/outputDelta', (p) => deltas.push(p.delta));
    expect(manager.events.wanted('output')).toBe(true);
    await client.request('thread/shellCommand', { threadId: thread.id, command: 'echo seen' });
    await waitUntil(() => completed.length === 2, 5000);
    expect(deltas.join('')).toBe('seen\r\n'); // `!` commands run in a terminal

    off();
    expect(manager.events.wanted('output')).toBe(false);
  } finally {
    client.close();
    await session.shutdown();
  }
});
