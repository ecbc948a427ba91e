import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecEvents, ProcessManager } from '../../src/exec/index.js';
import { readProcStatSync } from '../../src/exec/proc.js';
import { useManager } from '../helpers/manager.js';
import { waitUntil } from '../helpers/os.js';

const manager = useManager();
const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function home(): string {
  const h = mkdtempSync(join(tmpdir(), 'corral-logs-'));
  homes.push(h);
  return h;
}

const MiB = 1024 * 1024;

async function exitedInBackground(m: ProcessManager, command: string, tty = false): Promise<string> {
  const r = await m.exec({ command, tty, yieldMs: 250 });
  expect(r.status).toBe('running');
  expect(await waitUntil(() => m.info(r.processId)!.status === 'exited', 60_000)).toBe(true);
  return r.processId;
}

describe('terminal logs', () => {
  it('hold exactly the bytes a command wrote, under <home>/logs/<runId>/<processId>.log', async () => {
    const h = home();
    const m = manager({ home: h, guardian: null });
    const id = await exitedInBackground(m, "sleep 0.5; printf 'a\\000b\\377\\r\\n'; printf 'é tail'");
    const path = m.info(id)!.logPath!;
    expect(path).toBe(join(h, 'logs', m.runId, `${id}.log`));
    expect(await waitUntil(() => existsSync(path) && statSync(path).size === 13)).toBe(true);
    expect(readFileSync(path)).toEqual(Buffer.concat([Buffer.from([0x61, 0, 0x62, 0xff, 0x0d, 0x0a]), Buffer.from('é tail')]));
  });

  it('stay within the cap on a 200 MB flood: the first 1 MiB, a marker, the newest bytes', async () => {
    const h = home();
    const cap = 16 * MiB;
    const m = manager({ home: h, guardian: null, logs: { perTerminalBytes: cap } });
    const stopped: ExecEvents['logStopped'][] = [];
    m.events.on('logStopped', (e) => stopped.push(e));
    const n = 24_000_000;
    const id = await exitedInBackground(m, `sleep 0.3; seq 1 ${n}`);
    const proc = m.get(id)!;
    let total = 0;
    for (let digits = 1, lo = 1; lo <= n; digits++, lo *= 10) total += (Math.min(n, lo * 10 - 1) - lo + 1) * (digits + 1);
    expect(total).toBeGreaterThan(200_000_000);
    expect(proc.totalBytes).toBe(total);
    await proc.log!.flush();
    const file = readFileSync(m.info(id)!.logPath!);
    expect(file.length).toBeLessThanOrEqual(cap);
    let head = '';
    for (let i = 1; head.length < MiB; i++) head += `${i}\n`;
    expect(file.subarray(0, MiB).toString()).toBe(head.slice(0, MiB));
    const marker = /^\n\[corral: +(\d+) bytes omitted\]\n/.exec(file.subarray(MiB, MiB + 100).toString());
    expect(marker).not.toBeNull();
    const tail = file.subarray(MiB + marker![0].length);
    // On a busy machine the disk may fall behind: the oldest waiting bytes are dropped, and a marker in the file
    // counts them (or, once compacted away, the omitted count does). Every byte is accounted for, either way.
    const notLogged = [...tail.toString('latin1').matchAll(/\n\[corral: (\d+) bytes not logged\]\n/g)];
    const dropped = notLogged.reduce((s, m) => s + Number(m[1]) - m[0].length, 0);
    expect(MiB + Number(marker![1]) + tail.length + dropped).toBe(total);
    expect(tail.subarray(-18).toString()).toBe(`${n - 1}\n${n}\n`);
    expect(stopped).toEqual([]);
  }, 60_000);

  it('stop once, without crashing, when the log directory cannot be made; the process still runs and lists', async () => {
    const h = home();
    writeFileSync(join(h, 'logs'), 'a file where the directory should be');
    const m = manager({ home: h, guardian: null });
    const stopped: ExecEvents['logStopped'][] = [];
    m.events.on('logStopped', (e) => stopped.push(e));
    const a = await m.exec({ command: 'echo one; sleep 600', yieldMs: 250 });
    const b = await m.exec({ command: 'echo two; sleep 600', tty: true, yieldMs: 250 });
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.message).toContain(join(h, 'logs'));
    const listed = (await m.list()).data;
    expect(listed.map((r) => [r.processId, r.status, r.logPath])).toEqual(
      [[a.processId, 'running', null], [b.processId, 'running', null]].sort((x, y) => Number(x[0]) - Number(y[0])),
    );
  });

  it('stop once on a write error (ENOSPC from /dev/full), keeping the process running', async () => {
    const h = home();
    const m = manager({ home: h, guardian: null });
    const stopped: ExecEvents['logStopped'][] = [];
    m.events.on('logStopped', (e) => stopped.push(e));
    const r = await m.exec({ command: 'sleep 1.5; echo hello; sleep 600', yieldMs: 250 });
    const path = m.info(r.processId)!.logPath!;
    // The file is created at the first output; before that, its name leads to a full disk.
    symlinkSync('/dev/full', path);
    expect(await waitUntil(() => stopped.length > 0, 5000)).toBe(true);
    expect(stopped[0]!.message).toContain('ENOSPC');
    const later = await m.exec({ command: 'echo more; sleep 600', yieldMs: 250 });
    expect(m.info(later.processId)!.logPath).toBeNull();
    expect((await m.list()).data.every((d) => d.status === 'running')).toBe(true);
    expect(stopped).toHaveLength(1);
    unlinkSync(path);
  });

  it('are removed when the terminal is stopped, and kept at shutdown', async () => {
    const h = home();
    const m = manager({ home: h, guardian: null });
    const stop = await m.exec({ command: 'echo bye; sleep 600', yieldMs: 250 });
    const keep = await m.exec({ command: 'echo kept; sleep 600', yieldMs: 250 });
    const stopPath = m.info(stop.processId)!.logPath!;
    const keepPath = m.info(keep.processId)!.logPath!;
    expect(await waitUntil(() => existsSync(stopPath) && existsSync(keepPath))).toBe(true);
    expect(await m.terminate(stop.processId)).toMatchObject({ terminated: true });
    expect(existsSync(stopPath)).toBe(false);
    await m.shutdown();
    expect(readFileSync(keepPath, 'utf8')).toBe('kept\n');
  });

  it('of earlier runs are pruned at start: by age, then oldest first down to the total cap; live runs are kept', async () => {
    const h = home();
    const logs = join(h, 'logs');
    const day = 24 * 3600;
    const now = Date.now() / 1000;
    const put = (run: string, name: string, bytes: number, ageSeconds: number): string => {
      mkdirSync(join(logs, run), { recursive: true });
      const file = join(logs, run, name);
      writeFileSync(file, Buffer.alloc(bytes, 0x61));
      utimesSync(file, now - ageSeconds, now - ageSeconds);
      utimesSync(join(logs, run), now - ageSeconds, now - ageSeconds);
      return file;
    };
    // Runs that are over (no process 99999x: pid_max is far lower).
    put('999991-1', '1.log', 1000, 8 * day); // too old
    const oldest = put('999992-1', '1.log', 3000, 3 * day);
    const older = put('999993-1', '1.log', 3000, 2 * day);
    const newer = put('999994-1', '1.log', 3000, 1 * day);
    // A run still going (the test runner's parent): never touched, even when old.
    const parent = readProcStatSync(process.ppid)!;
    const live = put(`${parent.pid}-${parent.startTime}`, '7.log', 5000, 30 * day);

    const m = manager({ home: h, guardian: null, logs: { totalBytes: 12_000 } });
    await m.logsPruned;
    expect(existsSync(join(logs, '999991-1'))).toBe(false);
    // 3000 * 3 + 5000 = 14000 > 12000: the oldest file of a finished run goes (and its empty directory).
    expect(existsSync(oldest)).toBe(false);
    expect(existsSync(join(logs, '999992-1'))).toBe(false);
    expect([existsSync(older), existsSync(newer), existsSync(live)]).toEqual([true, true, true]);
    expect(readdirSync(logs).sort()).toEqual(['999993-1', '999994-1', `${parent.pid}-${parent.startTime}`].sort());
  });

  it('share the total cap among live terminals during a run, not only at start', async () => {
    const h = home();
    // Another run's old log already takes 4 MiB of a 20 MiB total: three live floods share the other 16.
    mkdirSync(join(h, 'logs', '1-1'), { recursive: true });
    writeFileSync(join(h, 'logs', '1-1', '1000.log'), Buffer.alloc(4 * MiB));
    const m = manager({ home: h, guardian: null, logs: { perTerminalBytes: 64 * MiB, totalBytes: 20 * MiB } });
    await m.logsPruned;
    const ids = await Promise.all([1, 2, 3].map((i) => exitedInBackground(m, `sleep 0.3; head -c ${12_000_000 + i} /dev/zero | base64`)));
    for (const id of ids) await m.get(id)!.log!.flush();
    const sizes = ids.map((id) => statSync(m.info(id)!.logPath!).size);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(Math.ceil((16 * MiB) / 3));
    const total = sizes.reduce((a, b) => a + b, 0) + statSync(join(h, 'logs', '1-1', '1000.log')).size;
    expect(total).toBeLessThanOrEqual(20 * MiB);
    // Each still starts with its first bytes and ends with its last.
    for (const id of ids) expect(readFileSync(m.info(id)!.logPath!).subarray(0, 4).toString()).toBe('AAAA');
  });
});
