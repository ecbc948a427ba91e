// Names, restart and duplicate detection of background terminals, on real processes.
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandExecutionItem } from '../../src/core/items.js';
import { CorralSession } from '../../src/core/session.js';
import type { SessionEvents } from '../../src/core/session-events.js';
import { TerminalNameError } from '../../src/core/terminals/names.js';
import { ProcessManager } from '../../src/exec/index.js';
import { pidAlive, treeOf, waitUntil } from '../helpers/os.js';

let session: CorralSession | null = null;
afterEach(async () => {
  await session?.shutdown();
  session = null;
});

function start() {
  const s = new CorralSession(new ProcessManager({ home: null, graceMs: 300 }), {
    terminals: { foreground_window_ms: 250, stop_grace_ms: 300 },
  });
  session = s;
  const started: CommandExecutionItem[] = [];
  const backgrounded: SessionEvents['commandBackgrounded'][] = [];
  s.events.on('itemStarted', (e) => {
    if (e.item.type === 'commandExecution') started.push(e.item);
  });
  s.events.on('commandBackgrounded', (e) => backgrounded.push(e));
  return { s, started, backgrounded };
}

async function background(s: CorralSession, threadId: string, command: string, backgrounded: { processId: string }[]): Promise<string> {
  const before = backgrounded.length;
  s.runShellCommand(threadId, command, { rows: 30, cols: 100 });
  await waitUntil(() => backgrounded.length > before, 5000);
  return backgrounded.at(-1)!.processId;
}

describe('background terminal names', () => {
  it('names a terminal, lists the name, refuses bad or taken names', async () => {
    const { s, backgrounded } = start();
    const t = s.startThread();
    const a = await background(s, t.id, 'sleep 3101', backgrounded);
    const b = await background(s, t.id, 'sleep 3102', backgrounded);
    expect(s.terminals.setName(t.id, a, 'web')).toBe(true);
    const names = new Map((await s.terminals.list(t.id, null, null)).data.map((r) => [r.processId, r.name]));
    expect(names).toEqual(new Map([[a, 'web'], [b, null]]));
    expect(() => s.terminals.setName(t.id, b, 'web')).toThrow(TerminalNameError);
    expect(() => s.terminals.setName(t.id, b, '123')).toThrow(/must not be a number/);
    expect(() => s.terminals.setName(t.id, b, 'two words')).toThrow(/spaces/);
    // Unnamed, the name is free again.
    s.terminals.setName(t.id, a, null);
    expect(s.terminals.setName(t.id, b, 'web')).toBe(true);
    // Another thread's terminal cannot be named from this one.
    const other = s.startThread();
    expect(s.terminals.setName(other.id, a, 'api')).toBe(false);
  });

  it('frees the name of a terminal that was stopped', async () => {
    const { s, backgrounded } = start();
    const t = s.startThread();
    const a = await background(s, t.id, 'sleep 3103', backgrounded);
    s.terminals.setName(t.id, a, 'db');
    await s.terminals.terminate(t.id, a);
    const b = await background(s, t.id, 'sleep 3104', backgrounded);
    expect(s.terminals.setName(t.id, b, 'db')).toBe(true);
  });
});

describe('restart', () => {
  it('stops the whole old tree, verified, and runs the same command in the same cwd and size, keeping the name', async () => {
    const { s, started, backgrounded } = start();
    const t = s.startThread();
    const old = await background(s, t.id, 'sleep 3111 & sleep 3112; wait', backgrounded);
    s.terminals.setName(t.id, old, 'sleepers');
    const oldPid = s.manager.info(old)!.osPid!;
    await waitUntil(() => treeOf([oldPid]).length >= 3, 5000);
    const oldTree = treeOf([oldPid]).map((r) => r.pid);

    const r = await s.terminals.restart(t.id, old);
    expect(r).not.toBe(false);
    if (r === false) return;
    expect(r.error).toBeNull();
    expect(r.stopped).toMatchObject({ processId: old, terminated: true, wasRunning: true, survivors: [] });
    for (const pid of oldTree) expect(pidAlive(pid)).toBe(false);
    const fresh = r.started!.processId;
    expect(fresh).not.toBe(old);
    const info = s.manager.info(fresh)!;
    expect(info).toMatchObject({ status: 'running', command: 'sleep 3111 & sleep 3112; wait', tty: true });
    expect(info.cwd).toBe(t.cwd);
    expect(s.manager.get(fresh)!.screen.cols).toBe(100);
    await waitUntil(() => treeOf([info.osPid!]).length >= 3, 5000);
    // A background terminal of the thread at once, with the name carried over; no foreground window.
    expect((await s.terminals.list(t.id, null, null)).data.map((x) => [x.processId, x.name])).toEqual([[fresh, 'sleepers']]);
    expect(started.at(-1)).toMatchObject({ restartOf: old });
  });

  it('gives false for an id the thread does not have', async () => {
    const { s } = start();
    const t = s.startThread();
    expect(await s.terminals.restart(t.id, '999')).toBe(false);
  });
});

describe('duplicates', () => {
  it('marks a `!` command identical to a running terminal (same text and cwd), and still runs it', async () => {
    const { s, started, backgrounded } = start();
    const t = s.startThread();
    const first = await background(s, t.id, 'sleep 3121', backgrounded);
    const second = await background(s, t.id, 'sleep 3121', backgrounded);
    expect(second).not.toBe(first);
    expect(started.at(-1)).toMatchObject({ duplicateOf: { processId: first } });
    expect(started.at(-2)!.duplicateOf).toBeUndefined();
    expect(s.manager.info(second)!.status).toBe('running');
  });
});
