// thread/backgroundTerminals/read|write|resize on real processes: a PTY that reads a password, a foreground
// `cat`, a model's command on pipes, and ids the thread does not own.
import { afterEach, describe, expect, it } from 'vitest';
import { CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { InProcessClient } from '../../src/protocol/client.js';
import { INVALID_REQUEST, ProtocolError } from '../../src/protocol/errors.js';
import { agentBackend } from '../helpers/agent-backend.js';
import { reply, text, toolCall } from '../helpers/model-server.js';
import { waitUntil } from '../helpers/os.js';

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

async function start(windowMs: number) {
  const session = new CorralSession(new ProcessManager({ home: null, graceMs: 300 }), {
    terminals: { foreground_window_ms: windowMs, stop_grace_ms: 300 },
  });
  const client = new InProcessClient(session);
  open.push(async () => {
    client.close();
    await session.shutdown();
  });
  const { thread } = await client.request('thread/start', {});
  const started = new Map<string, string>(); // itemId -> processId
  client.on('item/started', (p) => {
    if (p.item.type === 'commandExecution' && p.item.processId) started.set(p.item.id, p.item.processId);
  });
  const backgrounded = new Map<string, string>();
  client.on('item/commandExecution/backgrounded', (p) => backgrounded.set(p.itemId, p.processId));
  return { session, client, threadId: thread.id, started, backgrounded };
}

async function rejects(p: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProtocolError);
  expect((err as ProtocolError).code).toBe(INVALID_REQUEST);
  expect((err as ProtocolError).message).toMatch(message);
}

describe('attaching to a thread terminal over the protocol', () => {
  it('reads the screen of a PTY terminal, types a password into it and resizes it', async () => {
    const { client, threadId, backgrounded } = await start(200);
    const { itemId } = await client.request('thread/shellCommand', {
      threadId,
      command: `bash -c 'read -s -p "Password: " x; echo; echo "got:$x"; sleep 30'`,
      size: { rows: 10, cols: 60 },
    });
    expect(await waitUntil(() => backgrounded.has(itemId), 5000)).toBe(true);
    const processId = backgrounded.get(itemId)!;
    const read = (since?: number) => client.request('thread/backgroundTerminals/read', { threadId, processId, sinceRevision: since });

    expect(await waitUntil(async () => (await read()).lines[0]?.text === 'Password:', 5000)).toBe(true);
    const first = await read();
    expect(first).toMatchObject({ rows: 10, cols: 60, tty: true, writable: true, status: 'running', alternateScreen: false, changed: true });
    expect(first.lines).toHaveLength(10);
    expect(first.cursor).toEqual({ row: 0, col: 'Password: '.length, visible: true });
    // Nothing moved: no lines are sent.
    const same = await read(first.revision);
    expect(same).toMatchObject({ changed: false, lines: [], revision: first.revision });

    await client.request('thread/backgroundTerminals/write', { threadId, processId, data: 's3cret-4417\r' });
    expect(await waitUntil(async () => (await read()).lines.some((l) => l.text === 'got:s3cret-4417'), 5000)).toBe(true);
    // read -s: the typed password was never echoed to the screen.
    expect((await read()).lines.filter((l) => l.text.includes('s3cret')).map((l) => l.text)).toEqual(['got:s3cret-4417']);

    await client.request('thread/backgroundTerminals/resize', { threadId, processId, size: { rows: 7, cols: 40 } });
    const resized = await read(first.revision);
    expect(resized).toMatchObject({ rows: 7, cols: 40, changed: true });
    expect(resized.lines).toHaveLength(7);
    expect(resized.revision).toBeGreaterThan(first.revision);
  });

  it('includes scrollback above the screen on request', async () => {
    const { client, threadId, backgrounded } = await start(200);
    const { itemId } = await client.request('thread/shellCommand', { threadId, command: 'seq 1 50; sleep 30', size: { rows: 10, cols: 40 } });
    expect(await waitUntil(() => backgrounded.has(itemId), 5000)).toBe(true);
    const processId = backgrounded.get(itemId)!;
    const read = (scrollback: number) => client.request('thread/backgroundTerminals/read', { threadId, processId, scrollback });
    expect(await waitUntil(async () => (await read(0)).lines.some((l) => l.text === '50'), 5000)).toBe(true);
    const view = await read(5);
    // 50 lines and the cursor's blank row on a 10-row screen: rows 42..50 and a blank are visible.
    expect(view.scrollbackAvailable).toBe(41);
    expect(view.scrollback).toBe(5);
    expect(view.lines.map((l) => l.text)).toEqual([...Array.from({ length: 14 }, (_, i) => String(37 + i)), '']);
    expect(view.cursor.row).toBe(9);
    expect((await read(1000)).lines).toHaveLength(41 + 10);
  });

  it('types into a foreground command, which is a process of the thread too', async () => {
    const { client, threadId, started } = await start(10_000);
    const { itemId } = await client.request('thread/shellCommand', { threadId, command: 'cat', size: { rows: 5, cols: 40 } });
    expect(await waitUntil(() => started.has(itemId), 5000)).toBe(true);
    const processId = started.get(itemId)!;
    await client.request('thread/backgroundTerminals/write', { threadId, processId, data: 'ping-7731\r' });
    const twice = async () => (await client.request('thread/backgroundTerminals/read', { threadId, processId })).lines.filter((l) => l.text === 'ping-7731').length === 2;
    // The terminal echoes the line, then cat prints it.
    expect(await waitUntil(twice, 5000)).toBe(true);
    await client.request('thread/backgroundTerminals/write', { threadId, processId, data: '\u0003' });
    await rejects(
      (async () => {
        await waitUntil(async () => (await client.request('thread/backgroundTerminals/read', { threadId, processId }).catch(() => null)) === null, 5000);
        return client.request('thread/backgroundTerminals/read', { threadId, processId });
      })(),
      /is not a terminal of thread/,
    );
  });

  it('refuses ids the thread does not own, and unknown threads', async () => {
    const { client, threadId, backgrounded } = await start(200);
    const { itemId } = await client.request('thread/shellCommand', { threadId, command: 'sleep 3031', size: { rows: 5, cols: 40 } });
    expect(await waitUntil(() => backgrounded.has(itemId), 5000)).toBe(true);
    const processId = backgrounded.get(itemId)!;
    const { thread: other } = await client.request('thread/start', {});
    await rejects(client.request('thread/backgroundTerminals/read', { threadId: other.id, processId }), /is not a terminal of thread/);
    await rejects(client.request('thread/backgroundTerminals/write', { threadId: other.id, processId, data: 'x' }), /is not a terminal of thread/);
    await rejects(client.request('thread/backgroundTerminals/resize', { threadId: other.id, processId, size: { rows: 5, cols: 5 } }), /is not a terminal/);
    await rejects(client.request('thread/backgroundTerminals/read', { threadId, processId: '99999999' }), /is not a terminal of thread/);
    await rejects(client.request('thread/backgroundTerminals/read', { threadId: 'nope', processId }), /unknown thread/);
  });

  it('refuses input and resizing for a model command on pipes with stdin closed, but shows its screen', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'echo piped-5521; sleep 30', yield_time_ms: 300 })]), reply([text('ok')]));
    await a.turn('start it');
    const [terminal] = (await a.client.request('thread/backgroundTerminals/list', { threadId: a.threadId })).data;
    expect(terminal).toMatchObject({ tty: false, status: 'running' });
    const ids = { threadId: a.threadId, processId: terminal!.processId };
    const view = await a.client.request('thread/backgroundTerminals/read', ids);
    expect(view).toMatchObject({ tty: false, writable: false });
    expect(view.lines[0]?.text).toBe('piped-5521');
    await rejects(a.client.request('thread/backgroundTerminals/write', { ...ids, data: 'x' }), /stdin closed, so it cannot take input/);
    await rejects(a.client.request('thread/backgroundTerminals/resize', { ...ids, size: { rows: 5, cols: 20 } }), /no terminal to resize/);
  });
});
