// Batches the PTY reader thread lends go back to it once nothing holds them, and going back empties every view
// on them (the transfer detaches the memory). So the consumers must hold what they keep and let go only when
// done: these tests give batches back the same way (detaching them) and check that nothing kept was lost.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hold, lend, letGo, pin } from '../../src/exec/chunk-lease.js';
import { HeadlessScreen } from '../../src/exec/headless-screen.js';
import { ptyReadThread } from '../../src/exec/pty-offload.js';
import { TerminalLog } from '../../src/exec/terminal-log.js';
import { useManager } from '../helpers/manager.js';
import { waitUntil } from '../helpers/os.js';

const manager = useManager();

const BATCH = 64 * 1024;

/** What the reader thread does with a batch: empties it (a transfer), and counts it. */
function lender(): { given: ArrayBuffer[]; lendChunk: (bytes: Buffer) => Buffer } {
  const given: ArrayBuffer[] = [];
  return {
    given,
    lendChunk: (bytes) => {
      const ab = new ArrayBuffer(BATCH);
      const chunk = Buffer.from(ab, 0, bytes.length);
      bytes.copy(chunk);
      lend(ab, (back) => {
        given.push(back);
        structuredClone(back, { transfer: [back] }); // detached, as the real transfer leaves it
      });
      return chunk;
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('chunk leases', () => {
  it('give a batch back once, when the last hold ends, and never a pinned one', () => {
    const { given, lendChunk } = lender();
    const a = lendChunk(Buffer.from('a'));
    hold(a.subarray(0, 1));
    letGo(a); // the lender's
    expect(given).toHaveLength(0);
    letGo(a.subarray(0, 1));
    expect(given).toHaveLength(1);
    expect(a.length).toBe(0); // given back: empty
    letGo(a); // nothing left to let go: no second give-back
    expect(given).toHaveLength(1);

    const b = lendChunk(Buffer.from('b'));
    pin(b);
    letGo(b);
    expect(given).toHaveLength(1);
    expect(b.toString()).toBe('b');

    const own = Buffer.from('not lent');
    hold(own);
    letGo(own);
    letGo(own);
    expect(own.toString()).toBe('not lent');
  });

  it('a log writes every byte of lent batches it kept while writing, and gives each back after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-lease-log-'));
    dirs.push(dir);
    const path = join(dir, 'lent.log');
    // Below what a log skips or drops when behind (an eighth of its cap; 16 MiB waiting): every byte is written.
    const log = new TerminalLog(path, 64 * 1024 * 1024, (e) => expect.fail(e.message));
    const { given, lendChunk } = lender();
    const all: Buffer[] = [];
    for (let i = 0; i < 100; i++) {
      const bytes = Buffer.alloc(40 * 1024 + (i % 7) * 3000, `batch ${i};`);
      all.push(bytes);
      const chunk = lendChunk(bytes);
      log.append(chunk);
      letGo(chunk); // as the reader thread's receiver does once the chunk is delivered
      if (i % 5 === 0) await new Promise((r) => setImmediate(r)); // writes in flight meanwhile
    }
    await log.close();
    expect(readFileSync(path).equals(Buffer.concat(all))).toBe(true);
    expect(given).toHaveLength(100);
  });

  it('a small log that skips and compacts lent batches still counts every byte it left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-lease-log-'));
    dirs.push(dir);
    const path = join(dir, 'small.log');
    const cap = 256 * 1024; // head 64 KiB
    const log = new TerminalLog(path, cap, (e) => expect.fail(e.message));
    const { given, lendChunk } = lender();
    const all: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.alloc([1, 700, 5000, 60 * 1024, 33 * 1024][i % 5]!, 0x20 + (i % 90));
      all.push(bytes);
      const chunk = lendChunk(bytes);
      log.append(chunk);
      letGo(chunk);
      if (i % 7 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    const expected = Buffer.concat(all);
    const file = readFileSync(path);
    const head = 64 * 1024;
    expect(file.subarray(0, head).equals(expected.subarray(0, head))).toBe(true);
    const marker = /^\n\[corral: +(\d+) bytes omitted\]\n/.exec(file.subarray(head, head + 60).toString('latin1'))!;
    const tail = file.subarray(head + marker[0].length);
    expect(head + Number(marker[1]) + tail.length).toBe(expected.length);
    expect(tail.equals(expected.subarray(expected.length - tail.length))).toBe(true);
    expect(given).toHaveLength(400);
  });

  it('a screen parses the newest lines of lent batches, drops the rest, and gives every batch back', async () => {
    const screen = new HeadlessScreen({ cols: 80, rows: 24, convertEol: true });
    const { given, lendChunk } = lender();
    let n = 0;
    const batches = 120; // ~7 MB: far past what the screen keeps waiting, so most are dropped
    for (let b = 0; b < batches; b++) {
      let text = '';
      while (text.length < 60 * 1024) text += `line ${++n}\n`;
      const chunk = lendChunk(Buffer.from(text));
      screen.write(chunk);
      letGo(chunk);
      if (b % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const idle = await Promise.race([screen.whenIdle(true).then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    expect(idle).toBe(true);
    expect(screen.behind).toBe(false); // nothing counted as waiting that is not there (a later wait would hang)
    expect(screen.droppedBytes).toBeGreaterThan(0);
    expect(screen.lines(2).map((l) => l.text)).toEqual([`line ${n - 1}`, `line ${n}`]);
    for (const l of screen.lines()) expect(l.text).toMatch(/^line \d+$/);
    expect(given).toHaveLength(batches);
    screen.dispose();
  });

  it('a managed PTY flood lends its batches to the event loop: they go back for reuse, and nothing is lost', async () => {
    const home = mkdtempSync(join(tmpdir(), 'corral-lease-flood-'));
    dirs.push(home);
    const m = manager({ home, guardian: null });
    const [lentBefore, recycledBefore] = [ptyReadThread.lent, ptyReadThread.recycled];
    const n = 400_000;
    let expected = '';
    for (let i = 1; i <= n; i++) expected += `${i}\r\n`;
    // Only a batch gathered at least half full is lent (the flood reached ~16 MB/s); on a loaded machine one run
    // may never get there, so it runs again, at most three times.
    const ids: string[] = [];
    for (let run = 0; run < 3 && ptyReadThread.lent === lentBefore; run++) {
      const r = await m.exec({ command: `seq 1 ${n}; sleep 30`, tty: true, yieldMs: 250 });
      ids.push(r.processId);
      const proc = m.get(r.processId)!;
      expect(await waitUntil(() => proc.totalBytes === expected.length, 30_000)).toBe(true);
      await proc.screen.whenIdle(true);
      expect(proc.screen.behind).toBe(false);
      expect(proc.screen.lines(2).map((l) => l.text)).toEqual([`${n - 1}`, `${n}`]);
      await proc.log!.flush();
      expect(readFileSync(m.info(r.processId)!.logPath!).toString('latin1')).toBe(expected);
    }
    const lent = ptyReadThread.lent - lentBefore;
    expect(lent).toBeGreaterThan(0);
    // While it runs, its output's tail holds the newest batches; once it is stopped and forgotten, every lent
    // batch is back with the thread.
    for (const id of ids) expect(await m.terminate(id)).not.toBe(false);
    expect(await waitUntil(() => ptyReadThread.recycled - recycledBefore === lent, 10_000)).toBe(true);
  });
});

