import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildExit, ChildHandle } from '../../src/exec/child.js';
import { spawnPty } from '../../src/exec/child-pty.js';
import { PtyReadThread, READER_CONFIG, ptyReadThread } from '../../src/exec/pty-offload.js';
import { READER_SLICE_NS } from '../../src/exec/reader-slice.js';
import { sleep, waitUntil } from '../helpers/os.js';
import { cpuTicks } from '../helpers/proc-scan.js';

const dir = mkdtempSync(join(tmpdir(), 'pty-offload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildHandle;
  bytes: () => number;
  text: () => string;
  exited: Promise<ChildExit>;
}

function run(command: string): Run {
  const child = spawnPty({ file: '/bin/bash', args: ['-c', command], cwd: dir, env: { ...process.env, TERM: 'xterm-256color' } }, { cols: 100, rows: 30 });
  const chunks: Buffer[] = [];
  let bytes = 0;
  child.onData((c) => {
    chunks.push(Buffer.from(c));
    bytes += c.length;
  });
  const exited = new Promise<ChildExit>((resolve) => child.onExit(resolve));
  return { child, bytes: () => bytes, text: () => Buffer.concat(chunks).toString('latin1'), exited };
}

/** What `command` prints through a terminal, read by nobody but `script`-free bash: the expected bytes. */
function expected(command: string): string {
  return execFileSync('/bin/bash', ['-c', command], { maxBuffer: 256 * 1024 * 1024 }).toString('latin1').replace(/\n/g, '\r\n');
}

/** CPU ms of each thread of this process but the main one (the reader thread is among them). */
function otherThreadsCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    if (tid === String(process.pid)) continue;
    try {
      out.set(tid, cpuTicks(`/proc/self/task/${tid}/stat`) * 10); // clock ticks of 10 ms
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** A thread's EEVDF slice in ns, as /proc shows it; null where the kernel does not show one. */
function sliceOf(path: string): number | null {
  try {
    const m = /^se\.slice\s*:\s*(\d+)/m.exec(readFileSync(`${path}/sched`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Linux grants a thread's own slice from 6.12 on (sched_setattr's sched_runtime for SCHED_OTHER). */
const [major = 0, minor = 0] = release().split('.').map(Number);
const customSlices = (major > 6 || (major === 6 && minor >= 12)) && sliceOf('/proc/self') !== null;

const sha = (s: string): string => createHash('sha256').update(s, 'latin1').digest('hex');

describe('PTY floods are read by the reader thread', () => {
  it('delivers a 7 MB flood whole and in order, and hands the master to the thread while it floods', async () => {
    const command = 'seq 1 1000000';
    const r = run(command);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, ptyReadThread.count)), 1);
    const exit = await r.exited;
    clearInterval(sampler);
    expect(exit).toEqual({ exitCode: 0, signal: null });
    expect(sha(r.text())).toBe(sha(expected(command)));
    expect(peak).toBeGreaterThan(0);
    expect(await waitUntil(() => ptyReadThread.count === 0, 5000)).toBe(true);
  });

  it('keeps the child writing while the event loop is blocked', async () => {
    // The flood is first seen by the event loop, then handed over; the child then waits for a gate, writing a
    // byte at a time so that the thread never finds it quiet (a pause would hand the master back on a busy
    // machine). The test opens the gate and blocks the loop until the child has written the rest (150 KB,
    // inside the thread's window). Read by the event loop alone, the child would wait for that same loop and
    // never finish.
    const marker = join(dir, 'written');
    const gate = join(dir, 'gate');
    rmSync(marker, { force: true });
    rmSync(gate, { force: true });
    const first = 'head -c 600000 /dev/zero | base64';
    const rest = 'head -c 110000 /dev/zero | base64';
    const r = run(`${first}; while [ ! -e ${gate} ]; do printf t; done; ${rest}; touch ${marker}`);
    expect(await waitUntil(() => ptyReadThread.count > 0 && r.bytes() > 800_000, 10_000, 5)).toBe(true);
    writeFileSync(gate, '');
    const until = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < until); // blocks the event loop on purpose
    expect(existsSync(marker)).toBe(true);
    await r.exited;
    const [head, tail, text] = [expected(first), expected(rest), r.text()];
    expect(sha(text.slice(0, head.length))).toBe(sha(head));
    expect(sha(text.slice(-tail.length))).toBe(sha(tail));
    expect(text.slice(head.length, -tail.length)).toMatch(/^t*$/);
  });

  it('reads again through the socket once the flood is over: later output and echoes arrive', async () => {
    const r = run('head -c 2000000 /dev/zero | base64; read line; echo "got:$line"');
    expect(await waitUntil(() => r.bytes() >= 2_702_702, 10_000)).toBe(true);
    expect(await waitUntil(() => ptyReadThread.count === 0, 5000)).toBe(true);
    r.child.write('hello\r');
    const exit = await r.exited;
    expect(exit.exitCode).toBe(0);
    expect(r.text().endsWith('hello\r\ngot:hello\r\n')).toBe(true);
  });

  it('a pause stops the thread reading and a resume loses nothing', async () => {
    // Long enough to still be flooding once the thread has started on a busy machine.
    const command = 'head -c 20000000 /dev/zero | base64';
    const r = run(command);
    expect(await waitUntil(() => ptyReadThread.count > 0, 10_000)).toBe(true);
    r.child.pause();
    // Whatever was in flight arrives; then nothing more while paused.
    let last = -1;
    const stopped = await waitUntil(
      () => {
        const same = r.bytes() === last;
        last = r.bytes();
        return same;
      },
      5000,
      100,
    );
    expect(stopped).toBe(true);
    const paused = r.bytes();
    await sleep(300); // nothing may arrive while paused
    expect(r.bytes()).toBe(paused);
    expect(paused).toBeLessThan(27_368_424);
    r.child.resume();
    await r.exited;
    expect(sha(r.text())).toBe(sha(expected(command)));
  });

  it('reports the exit once the leader is gone while a descendant holds the terminal, with every byte', async () => {
    // The descendant ignores the hang-up and keeps the terminal open, so the master never reports end of file.
    const pidFile = join(dir, 'holder.pid');
    const command = `(trap "" HUP; exec sleep 30) & echo $! > ${pidFile}; head -c 3000000 /dev/zero | base64; echo END`;
    const r = run(command);
    const exit = await r.exited;
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    expect(exit.exitCode).toBe(0);
    expect(r.text().endsWith('END\r\n')).toBe(true);
    expect(sha(r.text())).toBe(sha(expected('head -c 3000000 /dev/zero | base64; echo END')));
  });

  it('does not spin for a writer that floods in bursts with pauses between them', async () => {
    // 32 KiB every millisecond is a flood by its rate, but a reader that sleeps between its reads never holds
    // this writer up: reading again at once after each empty read would only burn a core (over half of one).
    const writer = `'${process.execPath}' -e "const b = Buffer.alloc(32768, 121); const t = setInterval(() => process.stdout.write(b), 1); setTimeout(() => clearInterval(t), 2500)"`;
    const r = run(writer);
    expect(await waitUntil(() => ptyReadThread.count > 0, 10_000, 5)).toBe(true);
    const before = otherThreadsCpuMs();
    const from = performance.now();
    await r.exited;
    const wall = performance.now() - from;
    const after = otherThreadsCpuMs();
    const busiest = Math.max(...[...after].map(([tid, ms]) => ms - (before.get(tid) ?? 0)));
    expect(wall).toBeGreaterThan(1000);
    expect(busiest / wall).toBeLessThan(0.4);
  });

  it.runIf(customSlices)('gives the reader thread a short time slice, and neither the event loop nor a child spawned meanwhile', async () => {
    const before = new Set(readdirSync('/proc/self/task'));
    const thread = new PtyReadThread(READER_CONFIG, 60_000);
    expect(await thread.start()).toBe(true);
    const reader = (): string | undefined => readdirSync('/proc/self/task').find((tid) => !before.has(tid) && sliceOf(`/proc/self/task/${tid}`) === READER_SLICE_NS);
    // The thread asks as it starts, which may be just after it is reported online.
    expect(await waitUntil(() => reader() !== undefined, 5000)).toBe(true);
    const tid = reader()!;
    const loop = sliceOf(`/proc/self/task/${process.pid}`);
    expect(loop).not.toBe(READER_SLICE_NS);
    const r = run('sleep 5');
    try {
      expect(sliceOf(`/proc/${r.child.pid}`)).toBe(loop);
    } finally {
      process.kill(r.child.pid, 'SIGKILL');
      await r.exited;
      thread.end();
      // Gone from the OS before the next test counts threads.
      expect(await waitUntil(() => !existsSync(`/proc/self/task/${tid}`), 10_000)).toBe(true);
    }
  });

  it('ends the thread once it has had nothing to read for its idle time, and starts a new one when asked', async () => {
    const threads = (): number => readdirSync('/proc/self/task').length;
    const before = threads();
    const thread = new PtyReadThread(READER_CONFIG, 300);
    expect(await thread.start()).toBe(true);
    const during = threads();
    expect(during).toBeGreaterThan(before);
    // Gone from the OS, not only forgotten.
    expect(await waitUntil(() => !thread.running && threads() < during, 10_000)).toBe(true);
    expect(await thread.start()).toBe(true);
    expect(thread.running).toBe(true);
    const again = threads();
    thread.end();
    expect(await waitUntil(() => threads() < again, 10_000)).toBe(true);
  });
});
