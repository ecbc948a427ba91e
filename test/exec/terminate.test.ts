import { describe, expect, it } from 'vitest';
import type { ProcessManager } from '../../src/exec/index.js';
import { pidAlive, treeOf, waitUntil } from '../helpers/os.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

async function startTree(m: ProcessManager, tty: boolean, command = 'sleep 1000 & sleep 1000') {
  const r = await m.exec({ command, tty, yieldMs: 250 });
  const osPid = m.info(r.processId)!.osPid!;
  // Wait until the shell has forked both sleeps.
  await waitUntil(() => treeOf([osPid]).filter((p) => p.args.startsWith('sleep')).length === 2, 3000);
  return { processId: r.processId, osPid, pids: treeOf([osPid]).map((p) => p.pid) };
}

describe('terminate', () => {
  for (const tty of [false, true]) {
    it(`ends the whole tree (${tty ? 'PTY' : 'pipes'}), checked at OS level`, async () => {
      const m = manager();
      const { processId, osPid, pids } = await startTree(m, tty);
      expect(pids.length).toBeGreaterThanOrEqual(3);
      const result = await m.terminate(processId);
      expect(result).toMatchObject({ processId, terminated: true, wasRunning: true, endedBy: 'SIGTERM', survivors: [] });
      for (const pid of pids) expect(pidAlive(pid)).toBe(false);
      expect(treeOf([osPid])).toEqual([]);
      expect((await m.list()).data).toEqual([]);
    });
  }

  it('kills a process that ignores SIGTERM with SIGKILL after the grace period, and says so', async () => {
    const m = manager({ graceMs: 300 });
    const r = await m.exec({ command: 'trap "" TERM; echo ready; sleep 1000 & wait', yieldMs: 400 });
    expect(r.output).toContain('ready');
    const osPid = m.info(r.processId)!.osPid!;
    const pids = treeOf([osPid]).map((p) => p.pid);
    const result = await m.terminate(r.processId);
    expect(result).toMatchObject({ terminated: true, wasRunning: true, endedBy: 'SIGKILL', signal: 'SIGKILL', exitCode: 137 });
    expect(result && result.durationMs).toBeGreaterThanOrEqual(300);
    for (const pid of pids) expect(pidAlive(pid)).toBe(false);
  });

  it('reports a process that handled SIGTERM and exited with a status as exited', async () => {
    const m = manager();
    const r = await m.exec({ command: 'trap "exit 7" TERM; while true; do sleep 0.05; done', yieldMs: 300 });
    const result = await m.terminate(r.processId);
    expect(result).toMatchObject({ terminated: true, endedBy: 'exited', exitCode: 7, signal: null });
  });

  it('keeps a tree listed, marked stopping, for as long as it takes to end', async () => {
    // The grace is long enough that the checks below run inside it even on a starved machine.
    const m = manager({ graceMs: 2000 });
    // Says when SIGTERM arrived and carries on: only SIGKILL ends it.
    const r = await m.exec({ command: 'trap "echo got-term" TERM; while :; do sleep 0.05; done', yieldMs: 300 });
    const pid = m.info(r.processId)!.osPid!;
    let output = '';
    m.events.on('output', (e) => (output += e.chunk.toString()));
    const done = m.terminate(r.processId);
    expect(await waitUntil(() => output.includes('got-term'), 5000)).toBe(true);
    expect(pidAlive(pid)).toBe(true); // survived SIGTERM, still in its grace period
    const [rec] = (await m.list()).data;
    expect(rec).toMatchObject({ processId: r.processId, status: 'running', stopping: true });
    expect(m.keys()).toEqual([r.processId]);
    expect(await m.terminate(r.processId)).toBe(false);
    expect(await done).toMatchObject({ terminated: true, endedBy: 'SIGKILL' });
    expect((await m.list()).data).toEqual([]);
    expect(pidAlive(pid)).toBe(false);
  });

  it('gives false for an unknown id and for a second terminate of the same id', async () => {
    const m = manager();
    expect(await m.terminate('99999999')).toBe(false);
    expect(await m.terminate('not-an-id')).toBe(false);
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 250 });
    const [first, second] = await Promise.all([m.terminate(r.processId), m.terminate(r.processId)]);
    expect(first).toMatchObject({ terminated: true });
    expect(second).toBe(false);
    expect(await m.terminate(r.processId)).toBe(false);
  });

  it('does not accept an id written differently from its key', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 250 });
    expect(await m.terminate(`0${r.processId}`)).toBe(false);
    expect(await m.terminate(`${r.processId}.0`)).toBe(false);
    expect(m.keys()).toEqual([r.processId]);
  });

  it('says honestly that a process which had already exited was not running', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 0.3; exit 5', yieldMs: 250 });
    await new Promise((resolve) => m.events.on('exited', resolve));
    const result = await m.terminate(r.processId);
    expect(result).toMatchObject({ terminated: false, wasRunning: false, endedBy: 'exited', exitCode: 5 });
    expect(m.keys()).toEqual([]);
  });

  it('ends descendants left running after the leader exited', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000 & echo $!', yieldMs: 2000 });
    expect(r.status).toBe('exited');
    const orphan = Number(r.output.trim());
    expect(pidAlive(orphan)).toBe(true);
    const result = await m.terminate(r.processId);
    expect(result).toMatchObject({ terminated: true, wasRunning: true, endedBy: 'SIGTERM' });
    expect(pidAlive(orphan)).toBe(false);
  });

  it('finds a descendant that moved to its own session', async () => {
    const m = manager();
    const r = await m.exec({ command: 'setsid sleep 1000 & sleep 1000', yieldMs: 400 });
    const osPid = m.info(r.processId)!.osPid!;
    await waitUntil(() => treeOf([osPid]).length >= 3, 3000);
    const escaped = treeOf([osPid]).find((p) => p.sid !== osPid)!;
    expect(escaped).toBeDefined();
    const result = await m.terminate(r.processId);
    expect(result).toMatchObject({ terminated: true });
    expect(pidAlive(escaped.pid)).toBe(false);
  });

  it('terminates everything in parallel with terminateAll', async () => {
    const m = manager({ graceMs: 1000 });
    const trees = await Promise.all([startTree(m, false), startTree(m, true), startTree(m, false)]);
    const t0 = Date.now();
    const results = await m.terminateAll();
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(results.map((r) => r.processId).sort()).toEqual(trees.map((t) => t.processId).sort());
    for (const r of results) expect(r.terminated).toBe(true);
    for (const t of trees) for (const pid of t.pids) expect(pidAlive(pid)).toBe(false);
    expect((await m.list()).data).toEqual([]);
  });

  it('emits a terminated event with the result', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 250 });
    const seen = new Promise((resolve) => m.events.on('terminated', resolve));
    await m.terminate(r.processId);
    expect(await seen).toMatchObject({ processId: r.processId, terminated: true });
  });
});
