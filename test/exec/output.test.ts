import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MAX_DELTA_BYTES } from '../../src/exec/utf8-chunker.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

describe('output delivery', () => {
  it('delivers every byte of a PTY flood of known size, 20 times out of 20', async () => {
    const m = manager();
    const size = 300_000;
    for (let run = 0; run < 20; run++) {
      let got = 0;
      let last = '';
      const off = m.events.on('output', (e) => {
        got += e.chunk.length;
        last = e.chunk.toString('latin1').slice(-1);
      });
      // No newlines: the terminal's line discipline leaves the bytes as they are. The last byte differs.
      const r = await m.exec({ command: `head -c ${size - 1} /dev/zero | tr '\\0' x; printf Z`, tty: true });
      off();
      expect(r.exitCode).toBe(0);
      expect(got).toBe(size);
      expect(last).toBe('Z');
    }
  }, 60_000);

  it('delivers every byte of a pipe flood, in order', async () => {
    const m = manager();
    let text = '';
    m.events.on('output', (e) => (text += e.chunk.toString('utf8')));
    const r = await m.exec({ command: 'seq 1 200000' });
    expect(r.exitCode).toBe(0);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(200000);
    expect(lines[0]).toBe('1');
    expect(lines[199999]).toBe('200000');
  });

  it('delivers output a PTY child wrote just before exiting while a descendant holds the terminal open', async () => {
    const m = manager();
    let text = '';
    m.events.on('output', (e) => (text += e.chunk.toString()));
    const t0 = Date.now();
    const r = await m.exec({ command: 'sleep 1000 & head -c 3000 /dev/zero | tr "\\0" q; echo END', tty: true, yieldMs: 20_000 });
    expect(r.status).toBe('exited');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(text).toBe(`${'q'.repeat(3000)}END\r\n`);
  });

  it('emits deltas of at most 8 KiB that never split a multi-byte character', async () => {
    const m = manager();
    const pieces: Buffer[] = [];
    m.events.on('output', (e) => pieces.push(Buffer.from(e.chunk)));
    // printf writes in small pieces that do not respect character boundaries.
    const r = await m.exec({ command: `for i in $(seq 1 4000); do printf 'añ€😀'; done`, tty: false });
    expect(r.exitCode).toBe(0);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(MAX_DELTA_BYTES);
      expect(Buffer.from(p.toString('utf8')).equals(p)).toBe(true);
    }
    expect(Buffer.concat(pieces).toString()).toBe('añ€😀'.repeat(4000));
  });

  it('cuts no deltas while no listener wants them, and resumes on a character boundary', async () => {
    const m = manager();
    const dir = mkdtempSync(join(tmpdir(), 'corral-deltas-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const gate = join(dir, 'gate');
    let wanted = false;
    const pieces: Buffer[] = [];
    m.events.on('output', (e) => pieces.push(Buffer.from(e.chunk)), () => wanted);
    expect(m.events.wanted('output')).toBe(false);
    // The first byte of an 'é', then (once the gate opens) its second byte.
    const r = await m.exec({ command: `printf 'skipped\\303'; while [ ! -e ${gate} ]; do sleep 0.01; done; printf '\\251 kept'; sleep 1000`, yieldMs: 1 });
    const proc = m.get(r.processId)!;
    await expect.poll(() => proc.totalBytes, { timeout: 10_000 }).toBe(8);
    expect(pieces).toEqual([]);
    wanted = true;
    expect(m.events.wanted('output')).toBe(true);
    writeFileSync(gate, '');
    await expect.poll(() => proc.totalBytes, { timeout: 10_000 }).toBe(14);
    expect(Buffer.concat(pieces).toString('utf8')).toBe('é kept');
  });

  it('keeps head and tail of a large output for the tool API, with the middle counted', async () => {
    const m = manager();
    const r = await m.exec({ command: 'seq 1 400000' }); // 2,288,895 bytes
    expect(r.omittedBytes).toBeGreaterThan(1_000_000);
    expect(r.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(r.output.trimEnd().endsWith('399999\n400000')).toBe(true);
    expect(r.output).toContain(`... ${r.omittedBytes} bytes omitted ...`);
    expect(Buffer.byteLength(r.output)).toBeLessThan(1024 * 1024 + 100);
  });

  it('tracks total bytes and the time of the last output', async () => {
    const m = manager();
    const before = Date.now();
    const r = await m.exec({ command: 'printf hello; sleep 1000', yieldMs: 400 });
    const proc = m.get(r.processId)!;
    expect(proc.totalBytes).toBe(5);
    expect(proc.lastOutputAt).toBeGreaterThanOrEqual(before);
    expect((await m.list()).data[0]!.lastOutputAt).toBe(proc.lastOutputAt);
  });

  it('keeps memory bounded through a 200 MB flood', async () => {
    const m = manager();
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let total = 0;
    m.events.on('output', (e) => (total += e.chunk.length));
    const r = await m.exec({ command: 'head -c 200000000 /dev/zero | base64', yieldMs: 30_000 });
    clearInterval(sampler);
    expect(r.status).toBe('exited');
    expect(total).toBe(270_175_440);
    const growthMb = (peak - base) / 1024 / 1024;
    expect(growthMb).toBeLessThan(128);
  }, 60_000);
});
