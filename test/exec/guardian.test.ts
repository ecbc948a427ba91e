// The guardian: a host killed with SIGKILL leaves nothing behind; a clean exit takes the guardian with it; it
// costs nothing while idle, holds none of the host's descriptors, lives in its own session, and never signals a
// pid whose start time is not the one it was told.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/os.js';
import { type Identity, cpuTicks, isAlive, killAll, markedBy, scanAll, scanProc } from '../helpers/proc-scan.js';

const FIXTURES = join(import.meta.dirname, '../../dist/test-fixtures');
const HOST = join(FIXTURES, 'guardian-host.js');
const GUARDIAN = join(FIXTURES, 'guardian.js');
const GRACE_MS = 1000;
/** Grace plus a margin for a busy 2-core machine. */
const GONE_WITHIN_MS = GRACE_MS + 9000;

interface Started {
  host: ChildProcess;
  home: string;
  runId: string;
  pids: number[];
  guardianPid: number;
  guardian: Identity;
  marked: Identity[];
}

const cleanup: Identity[] = [];
afterEach(() => {
  killAll(cleanup.splice(0));
});

async function startHost(mode: string, guarded = true): Promise<Started> {
  const home = mkdtempSync(join(tmpdir(), 'corral-home-'));
  const host = spawn(process.execPath, [HOST, mode, home, guarded ? 'guarded' : 'unguarded'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: host.stdout }).once('line', resolve);
    host.once('exit', () => reject(new Error(`host exited early: ${stderr}`)));
  });
  const info = JSON.parse(line) as { runId: string; pids: number[]; guardianPid: number | null };
  const runMarked = (): Identity[] => markedBy(scanAll(), info.runId).filter((p) => p.args.startsWith('sleep 100'));
  // Every shape's sleeps: 1 + 2 + 2 + 2 + 2 + 1.
  await waitUntil(() => runMarked().length >= 10, 10_000);
  const marked = runMarked();
  cleanup.push(...marked);
  const g = info.guardianPid === null ? null : scanProc(info.guardianPid, false);
  if (g) cleanup.push(g);
  return {
    host,
    home,
    runId: info.runId,
    pids: info.pids,
    guardianPid: info.guardianPid ?? -1,
    guardian: { pid: g?.pid ?? -1, startTime: g?.startTime ?? -1 },
    marked,
  };
}

function exited(host: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (host.exitCode !== null || host.signalCode !== null) resolve();
    else host.once('exit', () => resolve());
  });
}

const registryOf = (s: Started): string => join(s.home, 'run', `${s.host.pid}.json`);
const liveMarked = (runId: string): number => markedBy(scanAll(), runId).length;

describe('guardian', () => {
  it('ends every tree of a host killed with SIGKILL, then removes the registry file and exits', async () => {
    const s = await startHost('wait');
    expect(s.marked.length).toBeGreaterThanOrEqual(10);
    // The setsid escapee is in a session of its own, outside every tree.
    const escapee = s.marked.find((p) => scanProc(p.pid)?.args === 'sleep 1004' && scanProc(p.pid)!.sid === p.pid);
    expect(escapee).toBeDefined();
    expect(isAlive(s.guardian)).toBe(true);
    expect(existsSync(registryOf(s))).toBe(true);

    s.host.kill('SIGKILL');
    await exited(s.host);
    expect(await waitUntil(() => liveMarked(s.runId) === 0, GONE_WITHIN_MS)).toBe(true);
    // A process in the middle of its exit has no environment left to carry the marker, yet is not a zombie yet:
    // on a loaded machine that moment lasts, so each is waited for.
    expect(await waitUntil(() => s.marked.every((p) => !isAlive(p)), GONE_WITHIN_MS)).toBe(true);
    expect(await waitUntil(() => !isAlive(s.guardian), GONE_WITHIN_MS)).toBe(true);
    expect(existsSync(registryOf(s))).toBe(false);
  });

  it('exits with a clean exit of the host, which ended everything itself', async () => {
    const s = await startHost('shutdown');
    await exited(s.host);
    expect(s.host.exitCode).toBe(0);
    expect(liveMarked(s.runId)).toBe(0);
    expect(await waitUntil(() => !isAlive(s.guardian), GONE_WITHIN_MS)).toBe(true);
    expect(existsSync(registryOf(s))).toBe(false);
  });

  it('exits when the host exits through its exit handler', async () => {
    const s = await startHost('exit');
    await exited(s.host);
    expect(await waitUntil(() => liveMarked(s.runId) === 0, GONE_WITHIN_MS)).toBe(true);
    expect(await waitUntil(() => !isAlive(s.guardian), GONE_WITHIN_MS)).toBe(true);
  });

  it('lives in its own session, holds none of the host descriptors, and is idle while idle', async () => {
    const s = await startHost('wait');
    try {
      const g = scanProc(s.guardianPid, true)!;
      expect(g.sid).toBe(g.pid);
      expect(g.pgid).toBe(g.pid);
      expect(g.marker).toBeNull(); // it is no managed process
      const links = (pid: number): Map<string, string> => {
        const out = new Map<string, string>();
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            out.set(fd, readlinkSync(`/proc/${pid}/fd/${fd}`));
          } catch {
            // closed meanwhile
          }
        }
        return out;
      };
      const hostLinks = new Set(links(s.host.pid!).values());
      // Pipes, sockets and terminals name one object each; anon_inode and /dev/null links name a kind.
      const shared = [...links(s.guardianPid)].filter(([, l]) => hostLinks.has(l) && /^(pipe|socket):|^\/dev\/(pts|ptmx|tty)/.test(l));
      // Not one: its stdin is its own end of a socket pair (the host's end is another inode).
      expect(shared).toEqual([]);
      expect(readlinkSync(`/proc/${s.guardianPid}/fd/0`)).toMatch(/^(socket|pipe):/);

      await waitUntil(() => false, 300); // let it finish starting up
      const before = cpuTicks(`/proc/${s.guardianPid}/stat`);
      await waitUntil(() => false, 1000);
      expect(cpuTicks(`/proc/${s.guardianPid}/stat`) - before).toBeLessThanOrEqual(1);
    } finally {
      s.host.kill('SIGKILL');
      await exited(s.host);
      await waitUntil(() => liveMarked(s.runId) === 0, GONE_WITHIN_MS);
    }
  });

  it('never signals a pid whose start time is not the one it was told', async () => {
    const victim = spawn('sleep', ['1007'], { stdio: 'ignore' });
    const v = scanProc(victim.pid!, false)!;
    cleanup.push(v);
    const guardian = spawn(process.execPath, [GUARDIAN, JSON.stringify({ runId: 'test-run', graceMs: 200, registryPath: null })], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const gone = exited(guardian);
    guardian.stdin.write(`${JSON.stringify({ op: 'watch', id: '1', leader: { pid: v.pid, startTime: v.startTime + 1 }, marker: 'test-run:1' })}\n`);
    guardian.stdin.end(); // no bye: it ends what it was told about
    await gone;
    expect(guardian.exitCode).toBe(0);
    expect(isAlive(v)).toBe(true);
    victim.kill('SIGKILL');
  });

  it('ends a tree it was told about when its pipe closes without bye', async () => {
    const victim = spawn('sh', ['-c', 'sleep 1008 & sleep 1008'], { stdio: 'ignore', detached: true });
    const v = scanProc(victim.pid!, false)!;
    await waitUntil(() => scanAll(false).filter((p) => p.args === 'sleep 1008' && p.sid === v.pid).length === 2);
    const members = scanAll(false).filter((p) => p.sid === v.pid);
    cleanup.push(...members);
    const guardian = spawn(process.execPath, [GUARDIAN, JSON.stringify({ runId: 'test-run', graceMs: 200, registryPath: null })], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const gone = exited(guardian);
    guardian.stdin.write(`${JSON.stringify({ op: 'watch', id: '1', leader: { pid: v.pid, startTime: v.startTime }, marker: 'test-run:1' })}\n`);
    guardian.stdin.end();
    await gone;
    expect(guardian.exitCode).toBe(0);
    expect(await waitUntil(() => members.every((m) => !isAlive(m)), GONE_WITHIN_MS)).toBe(true);
  });
});
