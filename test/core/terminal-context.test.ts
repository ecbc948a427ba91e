// The model is told, with every request, which background terminals the thread has (live, from the OS) and what
// changed since the previous turn. A real scripted model server, real processes.
import { describe, expect, it } from 'vitest';
import { describeChanges, terminalsMessage, type TerminalFact } from '../../src/core/terminals/model-context.js';
import { agentBackend } from '../helpers/agent-backend.js';
import { reply, text } from '../helpers/model-server.js';
import { waitUntil } from '../helpers/os.js';

/** The newest user message of a chat request, as the model received it. */
function lastUser(body: Record<string, unknown> | null): string {
  const messages = (body?.messages ?? []) as { role: string; content: string }[];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

function fact(over: Partial<TerminalFact>): TerminalFact {
  return { processId: '1000', name: null, command: 'npm run dev', status: 'running', exitCode: null, signal: null, ports: [], url: null, waitingForInput: false, ...over };
}

describe('the terminals message', () => {
  it('lists status, ports, url and input waits, and names the changes', () => {
    const before = new Map([
      ['1000', fact({})],
      ['1001', fact({ processId: '1001', command: 'make test' })],
      ['1002', fact({ processId: '1002', command: 'tail -f log' })],
    ]);
    const now = [
      fact({ name: 'web', ports: [5173], url: 'http://localhost:5173/' }),
      fact({ processId: '1001', command: 'make test', status: 'exited', exitCode: 2 }),
      fact({ processId: '1003', command: 'sudo apt upgrade', waitingForInput: true }),
    ];
    const changes = describeChanges(before, now);
    expect(changes).toEqual([
      '[1000] web: `npm run dev` started listening on :5173',
      '[1001] `make test` exited with code 2',
      '[1003] `sudo apt upgrade` started (running, waiting for input)',
      '[1002] `tail -f log` is gone (stopped or cleaned up)',
    ]);
    const message = terminalsMessage(now, changes)!;
    expect(message).toContain('- [1000] web: `npm run dev`: running, listening on :5173, http://localhost:5173/');
    expect(message).toContain('- [1001] `make test`: exited with code 2');
    expect(message).toMatch(/^<background_terminals>\n[\s\S]*\n<\/background_terminals>$/);
  });

  it('says nothing while the thread never had a terminal, and says when none is left', () => {
    expect(terminalsMessage([], [])).toBeNull();
    expect(terminalsMessage([], ['[1000] `x` is gone (stopped or cleaned up)'])).toContain('No background terminals are running');
  });
});

describe('every model request', () => {
  it('carries the live list ahead of the person’s words, and the changes since the previous turn', async () => {
    const a = await agentBackend({ wireApi: 'chat' });
    a.server.enqueue(reply([text('one')]), reply([text('two')]), reply([text('three')]));
    await a.turn('no terminals yet');
    expect(lastUser(a.server.requests[0]!.body)).toBe('no terminals yet');

    const { itemId } = a.session.runShellCommand(a.threadId, 'sleep 3141', { rows: 24, cols: 80 });
    a.session.backgroundShellCommand(a.threadId, itemId);
    await waitUntil(() => a.session.terminals.ids(a.threadId).size === 1, 5000);
    const [id] = [...a.session.terminals.ids(a.threadId)];
    await a.turn('what runs?');
    const second = lastUser(a.server.requests[1]!.body);
    expect(second).toContain(`- [${id}] \`sleep 3141\`: running`);
    expect(second).toContain(`Since the previous turn: [${id}] \`sleep 3141\` started (running)`);
    expect(second.endsWith('\n\nwhat runs?')).toBe(true);

    await a.session.terminals.terminate(a.threadId, id!);
    await a.turn('and now?');
    const third = lastUser(a.server.requests[2]!.body);
    expect(third).toContain('No background terminals are running in this thread now.');
    expect(third).toContain(`[${id}] \`sleep 3141\` is gone`);
    // The history keeps the person's words only.
    const messages = a.server.requests[2]!.body!.messages as { role: string; content: string }[];
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content).slice(0, 2)).toEqual(['no terminals yet', 'what runs?']);
  });
});
