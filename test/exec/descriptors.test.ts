// No child of corral holds a descriptor of corral's beyond its own 0, 1 and 2 (issue 11): not another
// terminal's master or slave, not a pipe, socket or file of corral's. Checked on the kernel's view,
// /proc/PID/fd, of every member of every tree.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessManager } from '../../src/exec/index.js';
import { readProcStatSync, signalGroupIfOurs } from '../../src/exec/proc.js';
import { useManager } from '../helpers/manager.js';
import { type PsRow, treeOf, waitUntil } from '../helpers/os.js';

const FIXTURE = join(import.meta.dirname, '../../dist/test-fixtures/terminals-host.js');
const O_CLOEXEC = 0o2000000;

/** fd number → link target (`/dev/ptmx`, `/dev/pts/3`, `pipe:[123]`, `socket:[456]`, a path). */
function descriptors(pid: number | 'self'): Map<number, string> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out; // the process is gone
  }
  for (const name of names) {
    try {
      out.set(Number(name), readlinkSync(`/proc/${pid}/fd/${name}`));
    } catch {
      // closed while we looked (e.g. the descriptor readdir itself used)
    }
  }
  return out;
}

/** Whether our descriptor `fd` is close-on-exec; true when it was closed meanwhile. */
function closeOnExec(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags === undefined || (Number.parseInt(flags, 8) & O_CLOEXEC) !== 0;
  } catch {
    return true;
  }
}

/** Every descriptor of every member that points into the host's world, other than the member's own 0-2. */
function leaks(host: Map<number, string>, members: PsRow[]): string[] {
  const hostTargets = new Set(host.values());
  const found: string[] = [];
  for (const member of members) {
    for (const [fd, target] of descriptors(member.pid)) {
      const masterOrHosts = target === '/dev/ptmx' || hostTargets.has(target);
      if (fd > 2 && masterOrHosts) found.push(`${member.pid} (${member.args}) fd ${fd} -> ${target}`);
    }
  }
  return found;
}

/** The terminal slaves each tree holds; no slave may appear in two trees. */
function slavesByTree(trees: PsRow[][]): string[][] {
  return trees.map((tree) => [
    ...new Set(tree.flatMap((m) => [...descriptors(m.pid).values()].filter((t) => t.startsWith('/dev/pts/')))),
  ]);
}

function lineFrom(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => reject(new Error(`fixture exited early: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const manager = useManager();

describe('descriptors of children', () => {
  let server: Server;
  let file: number;

  beforeAll(async () => {
    // Descriptors of the kinds corral holds besides its terminals: a listening socket and an open file.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    file = openSync(join(mkdtempSync(join(tmpdir(), 'corral-fds-')), 'log'), 'a');
  });

  afterAll(async () => {
    closeSync(file);
    await new Promise((resolve) => server.close(resolve));
  });

  it('no member of any tree holds a descriptor of the host beyond its own 0-2', async () => {
    const m: ProcessManager = manager();
    const starts: [string, 'user' | 'agent', boolean][] = [
      ['sleep 1000', 'user', true],
      ["bash -c 'sleep 1000 & wait'", 'agent', false],
      ["bash -c 'sleep 1000 & wait'", 'user', true],
      ['sleep 1000', 'agent', false],
      ["bash -c 'sleep 1000 & wait'", 'agent', true],
      ["bash -c 'sleep 1000 & wait'", 'user', false],
      ['sleep 1000', 'agent', true],
    ];
    const pids: number[] = [];
    // One at a time, so that every later child could have inherited what the earlier ones left in the host.
    for (const [command, profile, tty] of starts) {
      const r = await m.exec({ command, profile, tty, keepStdinOpen: !tty, yieldMs: 100 });
      expect(r.status).toBe('running');
      pids.push(m.info(r.processId)!.osPid!);
    }
    const allSleeping = (): boolean => treeOf(pids).filter((p) => p.args === 'sleep 1000').length === starts.length;
    expect(await waitUntil(allSleeping, 10_000)).toBe(true);

    const trees = pids.map((pid) => treeOf([pid]));
    expect(trees.flat().length).toBeGreaterThanOrEqual(starts.length + 4); // the four bash parents too
    const host = descriptors('self');
    expect([...host.values()]).toContain('/dev/ptmx'); // the host does hold masters, so the check below can fail
    expect(leaks(host, trees.flat())).toEqual([]);

    // Each PTY tree holds its own slave and nothing else's; pipe trees hold no terminal of corral's.
    const slaves = slavesByTree(trees);
    starts.forEach(([, , tty], i) => expect(slaves[i]).toHaveLength(tty ? 1 : 0));
    expect(new Set(slaves.flat()).size).toBe(slaves.flat().length);

    // corral's own descriptors, masters included, are close-on-exec, so children spawned elsewhere get none.
    const inherited = [...host.keys()].filter((fd) => fd > 2 && !closeOnExec(fd));
    expect(inherited).toEqual([]);
  });

  it('every plain PTY child gets its hang-up within a second when the host is killed', async () => {
    // fd 3 of the host is a pipe it inherited without close-on-exec, as from a careless parent.
    const host = spawn(process.execPath, [FIXTURE], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const { pty, pipe } = JSON.parse(await lineFrom(host)) as { pty: number[]; pipe: number[] };
    // Identities now: pids are reused quickly (pid_max may be 32768), and cleanup must not hit another test's.
    const leaders = [...pty, ...pipe].flatMap((pid) => {
      const stat = readProcStatSync(pid);
      return stat ? [{ pid, startTime: stat.startTime }] : [];
    });
    try {
      expect(await waitUntil(() => treeOf([...pty, ...pipe]).length === pty.length + pipe.length, 5000)).toBe(true);
      const hostFds = descriptors(host.pid!);
      expect(hostFds.get(3)).toMatch(/^(pipe|socket):/);
      expect(leaks(hostFds, treeOf([...pty, ...pipe]))).toEqual([]);

      host.kill('SIGKILL');
      await exited(host);
      expect(await waitUntil(() => treeOf(pty).length === 0, 1000, 10)).toBe(true);
      // The pipe child has no terminal to lose; it outlives the host, as registry-file recovery expects.
      expect(treeOf(pipe)).toHaveLength(pipe.length);
    } finally {
      host.kill('SIGKILL');
      for (const leader of leaders) signalGroupIfOurs(leader, 'SIGKILL');
    }
  });
});
