import { afterEach, describe, expect, it } from 'vitest';
import type { CommandExecutionItem } from '../../src/core/items.js';
import { CorralSession } from '../../src/core/session.js';
import type { SessionEvents } from '../../src/core/session-events.js';
import { ProcessManager } from '../../src/exec/index.js';
import { pidAlive, psTable, waitUntil } from '../helpers/os.js';

let session: CorralSession | null = null;
afterEach(async () => {
  await session?.shutdown();
  session = null;
});

function start(windowMs = 10_000) {
  const s = new CorralSession(new ProcessManager({ home: null, graceMs: 300 }), {
    terminals: { foreground_window_ms: windowMs, stop_grace_ms: 300 },
  });
  session = s;
  const completed: CommandExecutionItem[] = [];
  const backgrounded: SessionEvents['commandBackgrounded'][] = [];
  const counts: SessionEvents['backgroundTerminalsChanged'][] = [];
  s.events.on('itemCompleted', (e) => {
    if (e.item.type === 'commandExecution') completed.push(e.item);
  });
  s.events.on('commandBackgrounded', (e) => backgrounded.push(e));
  s.events.on('backgroundTerminalsChanged', (e) => counts.push(e));
  return { s, completed, backgrounded, counts };
}

describe('the session', () => {
  it("keeps a long command's output as its head and tail, as the thread log does", async () => {
    const { s, completed } = start();
    const t = s.startThread();
    s.runShellCommand(t.id, 'seq 1 100000', { rows: 24, cols: 80 });
    await waitUntil(() => completed.length === 1, 10_000);
    const out = completed[0]!.aggregatedOutput!;
    // 688,895 bytes through a terminal (\r\n): not kept whole for the rest of the session.
    expect(Buffer.byteLength(out)).toBeLessThan(64 * 1024 + 100);
    const lines = out.replace(/\r/g, '');
    expect(lines.startsWith('1\n2\n3\n')).toBe(true);
    expect(lines.trimEnd().endsWith('99999\n100000')).toBe(true);
    expect(out).toMatch(/…\[\d+ bytes cut\]…/);
  });

  it('says when the screen of a finished command no longer held all its lines, and how much it printed', async () => {
    const { s, completed } = start();
    const t = s.startThread();
    s.runShellCommand(t.id, 'seq 1 3000', { rows: 24, cols: 80 });
    s.runShellCommand(t.id, 'seq 1 30', { rows: 24, cols: 80 });
    await waitUntil(() => completed.length === 2, 10_000);
    const [long, short] = [...completed].sort((a, b) => b.aggregatedOutput!.length - a.aggregatedOutput!.length);
    // 3,000 lines do not fit 2,000 of scrollback; through a terminal each ends in \r\n.
    const printed = Array.from({ length: 3000 }, (_, i) => `${i + 1}\r\n`).join('').length;
    expect(long!.terminal).toMatchObject({ linesLost: true, outputBytes: printed });
    expect(long!.terminal!.totalLines).toBeLessThan(3000);
    expect(short!.terminal).toMatchObject({ totalLines: 30 });
    expect(short!.terminal!.linesLost).toBeUndefined();
  });

  it('completes a background terminal that exits on its own, with its screen and output', async () => {
    const { s, completed, counts } = start(250);
    const t = s.startThread();
    const { itemId } = s.runShellCommand(t.id, 'sleep 0.6; echo finished; exit 4', { rows: 24, cols: 80 });
    await waitUntil(() => counts.some((c) => c.running === 1), 5000);
    await waitUntil(() => completed.length === 1, 5000);
    expect(completed[0]).toMatchObject({ id: itemId, status: 'failed', exitCode: 4, backgrounded: true });
    expect(completed[0]!.aggregatedOutput).toContain('finished');
    expect(completed[0]!.terminal?.head.map((l) => l.text)).toContain('finished');
    expect(s.terminals.counts(t.id)).toEqual({ running: 0, exited: 1 });
    // The exited terminal is listed until it is cleaned.
    const page = await s.terminals.list(t.id, null, null);
    expect(page.data).toMatchObject([{ status: 'exited', exitCode: 4 }]);
    await s.terminals.clean(t.id);
    expect((await s.terminals.list(t.id, null, null)).data).toEqual([]);
  });

  it('marks a stopped terminal as stopped, and counts it out', async () => {
    const { s, completed, backgrounded, counts } = start(250);
    const t = s.startThread();
    s.runShellCommand(t.id, 'sleep 3021', { rows: 24, cols: 80 });
    await waitUntil(() => backgrounded.length === 1, 5000);
    const processId = backgrounded[0]!.processId;
    const pid = s.manager.info(processId)!.osPid!;
    const r = await s.terminals.terminate(t.id, processId);
    expect(r).toMatchObject({ terminated: true, endedBy: 'SIGTERM' });
    expect(pidAlive(pid)).toBe(false);
    await waitUntil(() => completed.length === 1, 5000);
    expect(completed[0]).toMatchObject({ stopped: true, signal: 'SIGTERM', exitCode: 143 });
    expect(counts.at(-1)).toMatchObject({ running: 0, exited: 0 });
  });

  it("keeps threads apart: one thread cannot list or stop another's terminals", async () => {
    const { s, backgrounded } = start(250);
    const a = s.startThread();
    const b = s.startThread();
    s.runShellCommand(a.id, 'sleep 3022', { rows: 24, cols: 80 });
    await waitUntil(() => backgrounded.length === 1, 5000);
    const processId = backgrounded[0]!.processId;
    expect((await s.terminals.list(b.id, null, null)).data).toEqual([]);
    expect(await s.terminals.terminate(b.id, processId)).toBe(false);
    expect(await s.terminals.clean(b.id)).toEqual([]);
    expect((await s.terminals.list(a.id, null, null)).data).toHaveLength(1);
  });

  it('does not list a command that is still in its foreground window', async () => {
    const { s } = start(10_000);
    const t = s.startThread();
    s.runShellCommand(t.id, 'sleep 3023', { rows: 24, cols: 80 });
    expect(await waitUntil(() => psTable().some((r) => r.args === 'sleep 3023'), 5000)).toBe(true);
    expect((await s.terminals.list(t.id, null, null)).data).toEqual([]);
    expect(s.terminals.counts(t.id)).toEqual({ running: 0, exited: 0 });
  });

  it('interrupts a foreground command through its terminal, not a background one', async () => {
    const { s, completed, backgrounded } = start(10_000);
    const t = s.startThread();
    const fg = s.runShellCommand(t.id, 'sleep 3024', { rows: 24, cols: 80 });
    // Ctrl+C reaches the command once it runs (not the login shell still starting).
    expect(await waitUntil(() => psTable().some((r) => r.args === 'sleep 3024'), 5000)).toBe(true);
    expect(s.interruptShellCommand(t.id, fg.itemId)).toBe(true);
    await waitUntil(() => completed.length === 1, 5000);
    expect(completed[0]).toMatchObject({ signal: 'SIGINT', exitCode: 130 });

    const bg = s.runShellCommand(t.id, 'sleep 3025', { rows: 24, cols: 80 });
    expect(await waitUntil(() => psTable().some((r) => r.args === 'sleep 3025'), 5000)).toBe(true);
    expect(s.backgroundShellCommand(t.id, bg.itemId)).toBe(true);
    await waitUntil(() => backgrounded.length === 1, 5000);
    expect(s.interruptShellCommand(t.id, bg.itemId)).toBe(false);
    expect(s.terminals.counts(t.id).running).toBe(1);
  });

  it('resizes the terminals of running commands', async () => {
    const { s, completed } = start(10_000);
    const t = s.startThread();
    s.runShellCommand(t.id, 'read x; stty size', { rows: 24, cols: 80 });
    expect(s.manager.keys()).toHaveLength(1); // registered at once: a resize now reaches its terminal
    s.resizeTerminals(t.id, 100, 30);
    const [id] = s.manager.keys();
    s.manager.send(id!, '\n');
    await waitUntil(() => completed.length === 1, 5000);
    expect(completed[0]!.aggregatedOutput).toContain('30 100');
  });

  it('fails the item, without starting anything, when the command cannot start', async () => {
    const { s, completed } = start();
    const t = s.startThread({ cwd: '/nonexistent/dir' });
    s.runShellCommand(t.id, 'true', { rows: 24, cols: 80 });
    await waitUntil(() => completed.length === 1, 5000);
    expect(completed[0]).toMatchObject({ status: 'failed', exitCode: 127, processId: null });
    expect(completed[0]!.aggregatedOutput).toContain('working directory does not exist');
  });
});
