import { describe, expect, it } from 'vitest';
import { pidAlive } from '../helpers/os.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

describe('the foreground window', () => {
  it('returns as soon as the process exits, well before the window ends', async () => {
    const m = manager();
    const t0 = Date.now();
    const r = await m.exec({ command: 'sleep 0.2; echo done', yieldMs: 20_000 });
    expect(r.status).toBe('exited');
    expect(r.output.trim()).toBe('done');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('leaves a process that outlives the window running in the background, listed', async () => {
    const m = manager();
    const r = await m.exec({ command: 'echo started; sleep 1000', yieldMs: 300, itemId: 'item-7' });
    expect(r.status).toBe('running');
    expect(r.exitCode).toBeNull();
    expect(r.output).toContain('started');
    const page = await m.list();
    expect(page.data).toHaveLength(1);
    const rec = page.data[0]!;
    expect(rec).toMatchObject({ processId: r.processId, itemId: 'item-7', command: 'echo started; sleep 1000', status: 'running' });
    expect(pidAlive(rec.osPid!)).toBe(true);
    expect(rec.rssKb).toBeGreaterThan(0);
    expect(rec.cpuPercent).not.toBeNull();
  });

  it('clamps the window to at least 250 ms', async () => {
    const m = manager();
    const t0 = Date.now();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 1 });
    expect(r.status).toBe('running');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('moves to the background at once when asked (Ctrl+B)', async () => {
    const m = manager();
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 200);
    const t0 = Date.now();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 30_000, background: ctrl.signal });
    expect(r.status).toBe('running');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('does not hang on a descendant that keeps the pipe open after the leader exits', async () => {
    const m = manager();
    const t0 = Date.now();
    const r = await m.exec({ command: 'sleep 1000 & echo leader-done', yieldMs: 20_000 });
    expect(r.status).toBe('exited');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('leader-done');
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The descendant still runs, so the record stays listed and accounted for.
    const [rec] = (await m.list()).data;
    expect(rec).toMatchObject({ processId: r.processId, status: 'exited', exitCode: 0, liveProcesses: 1 });
    const stop = await m.terminate(r.processId);
    expect(stop).toMatchObject({ terminated: true, wasRunning: true });
  });

  it('removes a process whose exit the call observed and that left nothing running', async () => {
    const m = manager();
    const r = await m.exec({ command: 'true' });
    expect(r.status).toBe('exited');
    expect((await m.list()).data).toHaveLength(0);
    expect(m.keys()).toEqual([]);
  });

  it('keeps a background process that exits listed as exited until a poll observes it', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 0.6; echo bye; exit 3', yieldMs: 250 });
    expect(r.status).toBe('running');
    const exited = new Promise((resolve) => m.events.on('exited', resolve));
    await exited;
    const [rec] = (await m.list()).data;
    expect(rec).toMatchObject({ processId: r.processId, status: 'exited', exitCode: 3, signal: null });
    const poll = await m.write({ processId: r.processId, yieldMs: 5000 });
    expect(poll).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(poll.output).toContain('bye');
    expect((await m.list()).data).toHaveLength(0);
  });
});

describe('events', () => {
  it('emits started, output deltas and exited, in that order', async () => {
    const m = manager();
    const seen: string[] = [];
    let bytes = '';
    m.events.on('started', (e) => seen.push(`started:${e.command}`));
    m.events.on('output', (e) => {
      if (!seen.includes('output')) seen.push('output');
      bytes += e.chunk.toString();
    });
    m.events.on('exited', (e) => seen.push(`exited:${e.exitCode}`));
    const r = await m.exec({ command: 'printf "a\\nb\\n"; exit 4', tty: true, itemId: 'i1' });
    expect(r.exitCode).toBe(4);
    expect(seen).toEqual(['started:printf "a\\nb\\n"; exit 4', 'output', 'exited:4']);
    expect(bytes).toBe('a\r\nb\r\n');
  });
});
