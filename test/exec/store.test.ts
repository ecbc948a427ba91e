import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../src/exec/index.js';
import { pidAlive, waitUntil } from '../helpers/os.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

describe('the process store', () => {
  it('pages through the list; a cursor survives its anchor exiting', async () => {
    const m = manager();
    const started = await Promise.all(Array.from({ length: 5 }, () => m.exec({ command: 'sleep 1000', yieldMs: 250, login: false })));
    const ids = started.map((r) => r.processId).sort((a, b) => Number(a) - Number(b));
    const first = await m.list({ limit: 2 });
    expect(first.data.map((r) => r.processId)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toBe(ids[1]);
    // The anchor of the cursor goes away.
    await m.terminate(ids[1]!);
    const second = await m.list({ cursor: first.nextCursor, limit: 2 });
    expect(second.data.map((r) => r.processId)).toEqual(ids.slice(2, 4));
    const third = await m.list({ cursor: second.nextCursor, limit: 2 });
    expect(third.data.map((r) => r.processId)).toEqual(ids.slice(4));
    expect(third.nextCursor).toBeNull();
    await expect(m.list({ cursor: 'abc' })).rejects.toThrow(InvalidCursorError);
  });

  it('stores at most 64: exited processes go first, the 8 most recent are protected, then live ones are terminated', async () => {
    const m = manager();
    const exited: string[] = [];
    const live: string[] = [];
    // 4 background processes that will have exited by the time the store fills.
    for (let i = 0; i < 4; i++) exited.push((await m.exec({ command: 'sleep 0.3', yieldMs: 250, login: false })).processId);
    for (let i = 0; i < 60; i++) live.push((await m.exec({ command: 'sleep 1000', yieldMs: 250, login: false })).processId);
    await waitUntil(() => exited.every((id) => m.info(id)?.status === 'exited'), 5000);
    expect(m.keys()).toHaveLength(64);

    // Four more: the four exited ones are evicted, least recently used first.
    for (let i = 0; i < 4; i++) live.push((await m.exec({ command: 'sleep 1000', yieldMs: 250, login: false })).processId);
    expect(m.keys()).toHaveLength(64);
    for (const id of exited) expect(m.info(id)).toBeUndefined();

    // Now everything is live: the least recently used live one is terminated, and its tree is gone.
    const oldestPid = m.info(live[0]!)!.osPid!;
    const terminated = new Promise<{ processId: string; terminated: boolean }>((resolve) => m.events.on('terminated', resolve));
    live.push((await m.exec({ command: 'sleep 1000', yieldMs: 250, login: false })).processId);
    // It stays listed (stopping) until its tree is gone, then it is forgotten.
    expect(await terminated).toMatchObject({ processId: live[0], terminated: true });
    expect(m.keys()).toHaveLength(64);
    expect(m.info(live[0]!)).toBeUndefined();
    expect(pidAlive(oldestPid)).toBe(false);
    // The 8 most recently used are never chosen, even if exited: all 8 newest are still there.
    for (const id of live.slice(-8)) expect(m.info(id)).toBeDefined();
  }, 60_000);
});
