import { describe, expect, it } from 'vitest';
import { ExecInputError, UnknownProcessError } from '../../src/exec/index.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

describe('writing to a process', () => {
  it('echoes what is written to cat under a PTY', async () => {
    const m = manager();
    const r = await m.exec({ command: 'cat', tty: true, yieldMs: 300 });
    expect(r.status).toBe('running');
    const w = await m.write({ processId: r.processId, data: 'hello corral\n', yieldMs: 500 });
    // The terminal echoes the line, then cat writes it back.
    expect(w.output).toBe('hello corral\r\nhello corral\r\n');
    const end = await m.write({ processId: r.processId, data: '\x04', yieldMs: 5000 });
    expect(end.status).toBe('exited');
  });

  it('turns \\u0003 into SIGINT for a pipe process whose stdin is closed (exit 130)', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 300 });
    const w = await m.write({ processId: r.processId, data: '\u0003', yieldMs: 5000 });
    expect(w).toMatchObject({ status: 'exited', exitCode: 130, signal: 'SIGINT' });
  });

  it('refuses other input to a pipe process with stdin closed, saying to rerun with tty', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 300 });
    await expect(m.write({ processId: r.processId, data: 'y\n' })).rejects.toThrow(ExecInputError);
    await expect(m.write({ processId: r.processId, data: 'y\n' })).rejects.toThrow(/tty/);
  });

  it('writes to a pipe process started with stdin open, and closes it', async () => {
    const m = manager();
    const r = await m.exec({ command: 'tr a-z A-Z', keepStdinOpen: true, yieldMs: 300 });
    expect(r.status).toBe('running');
    await m.write({ processId: r.processId, data: 'shout\n' });
    const done = await m.write({ processId: r.processId, closeStdin: true, yieldMs: 5000 });
    expect(done.status).toBe('exited');
    expect(done.output).toContain('SHOUT');
  });

  it('polls with an empty write, returning new output, waiting at least 5 s unless the process exits', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 0.5; echo later; sleep 0.5', yieldMs: 250 });
    const t0 = Date.now();
    const p = await m.write({ processId: r.processId, yieldMs: 1 });
    expect(p.output).toContain('later');
    expect(p.status).toBe('exited');
    expect(Date.now() - t0).toBeLessThan(4000); // returned on exit, not at the 5 s floor

    const q = await m.exec({ command: 'sleep 1000', yieldMs: 250 });
    const t1 = Date.now();
    const still = await m.write({ processId: q.processId, yieldMs: 1 });
    expect(still.status).toBe('running');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(4900);
  });

  it('rejects unknown ids', async () => {
    const m = manager();
    await expect(m.write({ processId: '424242', data: 'x' })).rejects.toThrow(UnknownProcessError);
    expect(() => m.resize('424242', 80, 24)).toThrow(UnknownProcessError);
  });
});

describe('resizing', () => {
  it('shows the new size in stty size', async () => {
    const m = manager();
    const r = await m.exec({ command: 'stty size; read x; stty size', tty: true, rows: 24, cols: 80, yieldMs: 500 });
    expect(r.output).toContain('24 80');
    m.resize(r.processId, 132, 50);
    const w = await m.write({ processId: r.processId, data: '\n', yieldMs: 3000 });
    expect(w.output).toContain('50 132');
    expect(m.get(r.processId)?.screen.cols ?? 132).toBe(132);
  });

  it('refuses to resize a pipe process', async () => {
    const m = manager();
    const r = await m.exec({ command: 'sleep 1000', yieldMs: 250 });
    expect(() => m.resize(r.processId, 100, 30)).toThrow(/pipes/);
  });
});
