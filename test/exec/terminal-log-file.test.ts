import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_BYTES, TerminalLog, omittedLine } from '../../src/exec/terminal-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function logFile(cap: number): { log: TerminalLog; path: string; errors: Error[] } {
  const dir = mkdtempSync(join(tmpdir(), 'corral-log-file-'));
  dirs.push(dir);
  const errors: Error[] = [];
  const path = join(dir, '1.log');
  return { log: new TerminalLog(path, cap, (e) => errors.push(e)), path, errors };
}

const KiB = 1024;
const MiB = 1024 * KiB;

describe('TerminalLog', () => {
  it('keeps the head, one omitted-bytes marker and the newest bytes across many compactions, chunk sizes mixed', async () => {
    const cap = 256 * KiB; // head 64 KiB, batches of at most 64 KiB
    const { log, path, errors } = logFile(cap);
    const all: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      // Sizes from 1 byte to 150 KiB (larger than a batch); content tells position.
      const size = [1, 700, 5000, 150 * KiB, 33 * KiB][i % 5]!;
      const chunk = Buffer.alloc(size, 0x20 + (i % 90));
      all.push(chunk);
      log.append(chunk);
      if (i % 7 === 0) await new Promise((r) => setImmediate(r)); // let writes interleave
    }
    await log.close();
    const expected = Buffer.concat(all);
    const file = readFileSync(path);
    expect(errors).toEqual([]);
    expect(file.length).toBeLessThanOrEqual(cap);
    const head = 64 * KiB;
    expect(file.subarray(0, head).equals(expected.subarray(0, head))).toBe(true);
    const marker = /^\n\[corral: +(\d+) bytes omitted\]\n/.exec(file.subarray(head, head + 60).toString('latin1'))!;
    expect(marker[0].length).toBe(omittedLine(0).length);
    const tail = file.subarray(head + marker[0].length);
    expect(head + Number(marker[1]) + tail.length).toBe(expected.length);
    expect(tail.equals(expected.subarray(expected.length - tail.length))).toBe(true);
    // The guarantee: at least the newest eighth of the room behind the marker.
    expect(tail.length).toBeGreaterThanOrEqual(Math.floor((cap - head - marker[0].length) / 8));
  });

  it('writes far fewer bytes than a flood appends, and still keeps the head, a marker and the newest bytes', async () => {
    const cap = 16 * MiB;
    const { log, path, errors } = logFile(cap);
    const written = (): number => Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
    const chunks = Array.from({ length: 2048 }, (_, i) => Buffer.alloc(64 * KiB, 0x41 + (i % 26)));
    const expected = Buffer.concat(chunks);
    const before = written();
    for (const [i, chunk] of chunks.entries()) {
      log.append(chunk);
      // A megabyte a millisecond or so: a pipe flood's pace, which a disk keeps up with.
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 1));
    }
    await log.close();
    const disk = written() - before;
    expect(errors).toEqual([]);
    // Every byte written costs a copy on a machine the flood already keeps busy; what a compaction would cut is
    // let go before it reaches the disk.
    expect(disk).toBeLessThan(expected.length / 2);
    const file = readFileSync(path);
    expect(file.length).toBeLessThanOrEqual(cap);
    expect(file.subarray(0, MiB).equals(expected.subarray(0, MiB))).toBe(true);
    const marker = /^\n\[corral: +(\d+) bytes omitted\]\n/.exec(file.subarray(MiB, MiB + 60).toString('latin1'))!;
    const tail = file.subarray(MiB + marker[0].length);
    expect(MiB + Number(marker[1]) + tail.length).toBe(expected.length);
    expect(tail.equals(expected.subarray(expected.length - tail.length))).toBe(true);
    expect(tail.length).toBeGreaterThanOrEqual(Math.floor((cap - MiB - marker[0].length) / 8));
  });

  it('drops the oldest waiting bytes beyond its bound and says how many in the file', async () => {
    const { log, path, errors } = logFile(64 * MiB);
    const chunks = Array.from({ length: 24 }, (_, i) => Buffer.alloc(MiB, 0x41 + i));
    // All at once, in one turn: the first write is still in flight while the rest queue up.
    for (const c of chunks) log.append(c);
    await log.close();
    const file = readFileSync(path);
    expect(errors).toEqual([]);
    // The first chunk was taken by the first write before the queue grew; the newest 16 MiB stayed queued.
    const dropped = 24 * MiB - MiB - MAX_PENDING_BYTES;
    const marker = Buffer.from(`\n[corral: ${dropped} bytes not logged]\n`);
    expect(file.subarray(0, MiB).equals(chunks[0]!)).toBe(true);
    expect(file.subarray(MiB, MiB + marker.length).toString()).toBe(marker.toString());
    expect(file.subarray(MiB + marker.length).equals(Buffer.concat(chunks.slice(-16)))).toBe(true);
  });

  it('reports a failing file once and never throws', async () => {
    const { log, errors } = logFile(MiB);
    const bad = new TerminalLog('/proc/version/cannot-be-created', MiB, (e) => errors.push(e));
    bad.append(Buffer.from('x'));
    bad.append(Buffer.from('y'));
    await bad.close();
    expect(errors).toHaveLength(1);
    await log.close();
  });

  it('accounts for bytes dropped while the disk was behind, also after a compaction cut their marker', async () => {
    const { log, path, errors } = logFile(4 * MiB);
    const chunk = Buffer.alloc(256 * KiB, 0x61);
    let total = 0;
    // More than MAX_PENDING_BYTES at once (appends are synchronous, writes are not): the oldest are dropped.
    for (let i = 0; i < (MAX_PENDING_BYTES / chunk.length) * 2; i++) {
      log.append(chunk);
      total += chunk.length;
    }
    await log.flush();
    // Then enough more to compact the marker away.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 8; i++) {
        log.append(chunk);
        total += chunk.length;
      }
      await log.flush();
    }
    expect(errors).toEqual([]);
    const file = readFileSync(path).toString('latin1');
    const omitted = /\[corral: +(\d+) bytes omitted\]\n/.exec(file);
    expect(omitted).not.toBeNull();
    const notLogged = [...file.matchAll(/\n\[corral: (\d+) bytes not logged\]\n/g)];
    const markerText = omittedLine(0).length + notLogged.reduce((s, m) => s + m[0].length, 0);
    const dropped = notLogged.reduce((s, m) => s + Number(m[1]), 0);
    expect(file.length - markerText + Number(omitted![1]) + dropped).toBe(total);
  });
});
