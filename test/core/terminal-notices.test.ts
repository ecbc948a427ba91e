// Facts from the kernel reach the thread: a server's port (notice, duplicate note, port-in-use holder) and a
// prompt waiting for input. Real processes, real sockets, real PTYs.
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandExecutionItem } from '../../src/core/items.js';
import { CorralSession } from '../../src/core/session.js';
import type { SessionEvents } from '../../src/core/session-events.js';
import { findPortHolder, portsInUseError } from '../../src/core/terminals/port-holder.js';
import { ProcessManager } from '../../src/exec/index.js';
import { waitUntil } from '../helpers/os.js';

let session: CorralSession | null = null;
afterEach(async () => {
  await session?.shutdown();
  session = null;
});

function start() {
  const s = new CorralSession(new ProcessManager({ home: null, graceMs: 300 }), { terminals: { foreground_window_ms: 250, stop_grace_ms: 300 } });
  session = s;
  const notices: SessionEvents['terminalNotice'][] = [];
  const items: CommandExecutionItem[] = [];
  const backgrounded: string[] = [];
  s.events.on('terminalNotice', (n) => notices.push(n));
  s.events.on('itemStarted', (e) => e.item.type === 'commandExecution' && items.push(e.item));
  s.events.on('itemCompleted', (e) => e.item.type === 'commandExecution' && items.push(e.item));
  s.events.on('commandBackgrounded', (e) => backgrounded.push(e.processId));
  return { s, notices, items, backgrounded };
}

describe('port-in-use failures', () => {
  it('finds the ports a failure is about, in its output or its command line', () => {
    expect(portsInUseError('Error: listen EADDRINUSE: address already in use :::3000')).toEqual([3000]);
    expect(portsInUseError('OSError: [Errno 98] Address already in use', 'python3 -m http.server 8765')).toEqual([8765]);
    expect(portsInUseError('all good on :3000', 'serve 3000')).toEqual([]);
    const holder = findPortHolder('bind: address already in use', 'serve --port 8080', [
      { processId: '1', ports: [3000], command: 'a', name: null },
      { processId: '2', ports: [8080], command: 'b', name: 'api' },
    ]);
    expect(holder).toEqual({ processId: '2', port: 8080, command: 'b', name: 'api' });
  });
});

describe('a server in a background terminal', () => {
  it('is announced once when it listens, is named by a duplicate, and by a command that finds its port taken', async () => {
    const { s, notices, items, backgrounded } = start();
    const t = s.startThread();
    s.runShellCommand(t.id, 'python3 -m http.server 0 --bind 127.0.0.1', { rows: 24, cols: 100 });
    await waitUntil(() => backgrounded.length === 1, 5000);
    const id = backgrounded[0]!;
    // The census finds the port within a few seconds; the notice comes once.
    expect(await waitUntil(() => notices.some((n) => n.kind === 'listening'), 10_000)).toBe(true);
    const notice = notices.find((n) => n.kind === 'listening')!;
    expect(notice).toMatchObject({ threadId: t.id, processId: id, newPorts: [expect.any(Number)] });
    const port = notice.newPorts[0]!;
    expect(notice.message).toContain(`[${id}] python3 -m http.server 0 --bind 127.0.0.1 is listening on :${port}`);
    expect(notice.url).toBe(`http://127.0.0.1:${port}/`);

    // The same command again: it runs, with a note naming the first and its port.
    s.runShellCommand(t.id, 'python3 -m http.server 0 --bind 127.0.0.1', { rows: 24, cols: 100 });
    await waitUntil(() => items.some((i) => i.duplicateOf !== undefined), 5000);
    expect(items.find((i) => i.duplicateOf)!.duplicateOf).toEqual({ processId: id, ports: [port] });

    // A server on the taken port fails, and the failure names the terminal holding the port.
    s.runShellCommand(t.id, `python3 -m http.server ${port} --bind 127.0.0.1`, { rows: 24, cols: 100 });
    await waitUntil(() => items.some((i) => i.status === 'failed'), 10_000);
    expect(items.find((i) => i.status === 'failed')!.portHeldBy).toMatchObject({ processId: id, port });
    // The same after it outlived its foreground window (part of its output was read then): its screen has the error.
    s.runShellCommand(t.id, `sleep 0.5; python3 -m http.server ${port} --bind 127.0.0.1`, { rows: 24, cols: 100 });
    await waitUntil(() => items.filter((i) => i.status === 'failed').length === 2, 10_000);
    const late = items.filter((i) => i.status === 'failed')[1]!;
    expect(late.backgrounded).toBe(true);
    expect(late.portHeldBy).toMatchObject({ processId: id, port });
    expect(notices.filter((n) => n.kind === 'listening' && n.processId === id)).toHaveLength(1);
  });
});

describe('a prompt in a background terminal', () => {
  it('is announced as waiting for input within 4 s, and clears when it has its answer', async () => {
    const { s, notices, backgrounded } = start();
    const t = s.startThread();
    s.runShellCommand(t.id, "read -p 'Password: ' x; echo got it; sleep 3161", { rows: 24, cols: 100 });
    await waitUntil(() => backgrounded.length === 1, 5000);
    const id = backgrounded[0]!;
    const since = Date.now();
    expect(await waitUntil(() => notices.some((n) => n.kind === 'waitingForInput'), 6000)).toBe(true);
    // 3 s of silence are part of the definition; the prompt was printed before the window ended.
    expect(Date.now() - since).toBeLessThan(4500);
    expect((await s.terminals.list(t.id, null, null)).data[0]).toMatchObject({ processId: id, waitingForInput: true });
    s.manager.send(id, 'secret\r');
    expect(await waitUntil(() => notices.some((n) => n.kind === 'inputResumed'), 5000)).toBe(true);
    expect((await s.terminals.list(t.id, null, null)).data[0]!.waitingForInput).toBe(false);
  });
});
