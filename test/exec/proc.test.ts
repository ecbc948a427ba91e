import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcStatSync, signalGroupIfOurs, signalIfSame } from '../../src/exec/proc.js';
import { terminateTree } from '../../src/exec/terminate-tree.js';
import { pidAlive, waitUntil } from '../helpers/os.js';

describe('/proc/PID/stat', () => {
  it('reads fields after a command name that contains spaces and parentheses', () => {
    const line = '4242 (we (ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200';
    expect(parseProcStat(line)).toEqual({ pid: 4242, state: 'S', ppid: 1, pgrp: 4242, session: 4242, tpgid: -1, startTime: 987654 });
  });

  it('reads this process', () => {
    const s = readProcStatSync(process.pid)!;
    expect(s.pid).toBe(process.pid);
    expect(s.ppid).toBe(process.ppid);
    expect(s.startTime).toBeGreaterThan(0);
  });
});

describe('pid reuse', () => {
  it('never signals a pid whose start time differs from the recorded one', async () => {
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    try {
      const real = readProcStatSync(pid)!.startTime;
      expect(signalIfSame({ pid, startTime: real + 1 }, 'SIGKILL')).toBe(false);
      expect(signalGroupIfOurs({ pid, startTime: real + 1 }, 'SIGKILL')).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect(pidAlive(pid)).toBe(true);
      expect(signalIfSame({ pid, startTime: real }, 'SIGKILL')).toBe(true);
      expect(await waitUntil(() => !pidAlive(pid), 3000)).toBe(true);
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('does not terminate a tree whose recorded leader start time no longer matches the pid', async () => {
    // The recorded leader "was" this pid, but the process now holding the pid started at another time.
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const pid = child.pid!;
    try {
      const real = readProcStatSync(pid)!.startTime;
      const result = await terminateTree(
        {
          leader: { pid, startTime: real - 1 },
          known: () => [{ pid, startTime: real - 1 }],
          leaderExited: () => true,
          waitLeaderExit: () => Promise.resolve(true),
          leaderSignal: () => null,
        },
        200,
      );
      expect(result).toMatchObject({ wasRunning: false, survivors: [] });
      await new Promise((r) => setTimeout(r, 100));
      expect(pidAlive(pid)).toBe(true);
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
    expect(await waitUntil(() => !pidAlive(pid), 3000)).toBe(true);
  });
});
