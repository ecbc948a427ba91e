import { describe, expect, it } from 'vitest';
import type { ExecEvents } from '../../src/exec/index.js';
import { parseSyscall } from '../../src/exec/input-wait.js';
import { useManager } from '../helpers/manager.js';
import { sleep, waitUntil } from '../helpers/os.js';

const manager = useManager();

describe('parseSyscall', () => {
  it('reads the call number and first argument of a blocked process', () => {
    expect(parseSyscall('0 0x0 0x55c0abfdbf40 0x1000 0x1000 0x7f4 0x0 0x7ffc 0x7f20\n')).toEqual({ syscall: 0, fd: 0 });
    expect(parseSyscall('63 0x3 0x5614d7185a50 0x2000 0x0 0x0 0x0 0x7ffc 0x7f20')).toEqual({ syscall: 63, fd: 3 });
  });

  it('gives null for a running process or one in no system call', () => {
    expect(parseSyscall('running')).toBeNull();
    expect(parseSyscall('-1 0x7ffc44ee5230 0x7f20dbd0b000')).toBeNull();
    expect(parseSyscall('')).toBeNull();
  });
});

describe('waiting for input', () => {
  it("marks `read -p 'Password: '` as waiting within 4 s, once, and clears it when input is written", async () => {
    const m = manager();
    const events: ExecEvents['waiting'][] = [];
    m.events.on('waiting', (e) => events.push(e));
    const promptAt = Date.now();
    const r = await m.exec({ command: "read -p 'Password: ' x; echo \"got $x\"; sleep 600", tty: true, yieldMs: 250 });
    expect(await waitUntil(() => m.info(r.processId)!.waitingForInput, 6000, 50)).toBe(true);
    expect(Date.now() - promptAt).toBeLessThan(4000);
    expect(events).toEqual([{ processId: r.processId, itemId: `exec-${r.processId}`, waiting: true }]);
    expect((await m.list()).data[0]!.waitingForInput).toBe(true);

    m.send(r.processId, 'hunter2\r');
    expect(await waitUntil(() => !m.info(r.processId)!.waitingForInput, 2000)).toBe(true);
    expect(events.map((e) => e.waiting)).toEqual([true, false]);
    // It went on to `sleep`: quiet again, but not reading the terminal, so not waiting.
    await sleep(3600);
    expect((await m.list()).data[0]!.waitingForInput).toBe(false);
    expect(events.map((e) => e.waiting)).toEqual([true, false]);
  }, 20_000);

  it('finds a reader in a pipeline and one that opened /dev/tty; a quiet sleeper is not waiting', async () => {
    const m = manager();
    const cat = await m.exec({ command: 'cat | cat', tty: true, yieldMs: 250 });
    const tty = await m.exec({ command: 'read x < /dev/tty', tty: true, yieldMs: 250 });
    const sleeper = await m.exec({ command: 'sleep 600', tty: true, yieldMs: 250 });
    const waiting = async (id: string) => (await m.list()).data.find((d) => d.processId === id)!.waitingForInput;
    expect(await waitUntil(async () => (await waiting(cat.processId)) && (await waiting(tty.processId)), 6000, 100)).toBe(true);
    expect(await waiting(sleeper.processId)).toBe(false);
  }, 20_000);

  it('never marks a pipe terminal, even one that reads its stdin', async () => {
    const m = manager();
    await m.exec({ command: 'read x; sleep 600', keepStdinOpen: true, yieldMs: 250 });
    await sleep(3600);
    expect((await m.list()).data[0]!.waitingForInput).toBe(false);
  }, 20_000);
});
