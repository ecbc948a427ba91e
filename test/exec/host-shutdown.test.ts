import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { findLeftovers } from '../../src/exec/index.js';
import { readProcStatSync, signalGroupIfOurs } from '../../src/exec/proc.js';
import { treeOf, waitUntil } from '../helpers/os.js';

const HOST = join(import.meta.dirname, '../../dist/test-fixtures/host.js');

async function startHost(mode: string, guard: 'guarded' | 'unguarded' = 'guarded') {
  const home = mkdtempSync(join(tmpdir(), 'corral-home-'));
  const host = spawn(process.execPath, [HOST, mode, home, guard], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: host.stdout }).once('line', resolve);
    host.once('exit', () => reject(new Error(`host exited early: ${stderr}`)));
  });
  const { pids } = JSON.parse(line) as { pids: number[] };
  // Each tree: the shell and two sleeps.
  await waitUntil(() => treeOf(pids).filter((p) => p.args === 'sleep 1000').length === 6, 5000);
  const tree = treeOf(pids);
  return { host, home, pids, tree, stderr: () => stderr };
}

function exited(host: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (host.exitCode !== null || host.signalCode !== null) resolve({ code: host.exitCode, signal: host.signalCode });
    else host.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('host shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`leaves no descendant alive when the host gets ${signal}`, async () => {
      const { host, home, pids, tree } = await startHost('wait');
      expect(tree.length).toBeGreaterThanOrEqual(9);
      expect(existsSync(join(home, 'run', `${host.pid}.json`))).toBe(true);
      host.kill(signal);
      const { code } = await exited(host);
      expect(code).toBe(128 + { SIGTERM: 15, SIGINT: 2, SIGHUP: 1 }[signal]);
      expect(treeOf(pids)).toEqual([]);
      expect(treeOf(tree.map((p) => p.pid))).toEqual([]);
      // A clean shutdown removes the registry file.
      expect(existsSync(join(home, 'run', `${host.pid}.json`))).toBe(false);
    });
  }

  it('leaves no descendant alive after an uncaught exception', async () => {
    const { host, pids, tree, stderr } = await startHost('crash');
    const { code } = await exited(host);
    expect(code).toBe(1);
    expect(stderr()).toContain('boom');
    expect(treeOf(pids)).toEqual([]);
    expect(treeOf(tree.map((p) => p.pid))).toEqual([]);
  });

  it('leaves no descendant alive after a normal exit', async () => {
    const { host, pids, tree } = await startHost('exit');
    const { code } = await exited(host);
    expect(code).toBe(0);
    expect(treeOf(pids)).toEqual([]);
    expect(treeOf(tree.map((p) => p.pid))).toEqual([]);
  });

  it('leaves a registry a later run can use to find what a killed host left behind', async () => {
    const { host, home, pids } = await startHost('wait', 'unguarded');
    // Identities now: pids are reused quickly (pid_max may be 32768), and cleanup must not hit another test's.
    const leaders = pids.flatMap((pid) => {
      const stat = readProcStatSync(pid);
      return stat ? [{ pid, startTime: stat.startTime }] : [];
    });
    host.kill('SIGKILL'); // no handler can run
    await exited(host);
    try {
      const leftovers = findLeftovers(home);
      expect(leftovers).toHaveLength(1);
      expect(leftovers[0]!.hostPid).toBe(host.pid);
      // The pipe trees survive a killed host (the PTY one gets a hang-up from the kernel).
      const found = leftovers[0]!.alive.map((p) => p.osPid);
      expect(found).toEqual(expect.arrayContaining([pids[1], pids[2]]));
      for (const entry of leftovers[0]!.alive) expect(entry.command).toContain('sleep 1000');
    } finally {
      for (const leader of leaders) signalGroupIfOurs(leader, 'SIGKILL');
    }
    expect(await waitUntil(() => treeOf(pids).length === 0, 5000)).toBe(true);
    // Once nothing of that run is alive, its registry file is cleaned up.
    expect(findLeftovers(home)).toEqual([]);
    expect(existsSync(join(home, 'run', `${host.pid}.json`))).toBe(false);
  });
});
