// Stops find members that left their tree by the marker, and count them; an earlier run's leftovers are listed
// and stopped by pid only, identity checked by start time.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessManager } from '../../src/exec/index.js';
import { waitUntil } from '../helpers/os.js';
import { type Identity, isAlive, killAll, markedBy, scanAll } from '../helpers/proc-scan.js';

const HOST = join(import.meta.dirname, '../../dist/test-fixtures/guardian-host.js');
const cleanup: Identity[] = [];
const managers: ProcessManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown()));
  killAll(cleanup.splice(0));
});

describe('marker', () => {
  it('is on every child as <runId>:<processId>, and a stop ends and counts a setsid escapee', async () => {
    const m = new ProcessManager({ home: null, guardian: null, graceMs: 500 });
    managers.push(m);
    const r = await m.exec({ command: '(setsid sleep 1010 &); sleep 1010', yieldMs: 250 });
    const marker = `${m.runId}:${r.processId}`;
    const leader = m.info(r.processId)!.osPid;
    const escapee = (): Identity[] =>
      scanAll().filter((p) => p.marker === marker && p.args === 'sleep 1010' && p.sid === p.pid && p.pid !== leader);
    expect(await waitUntil(() => escapee().length === 1)).toBe(true);
    const [e] = escapee();
    cleanup.push(e!);
    expect(scanAll().filter((p) => p.marker === marker).length).toBeGreaterThanOrEqual(2);

    const result = await m.terminate(r.processId);
    expect(result && result.terminated).toBe(true);
    expect(result && result.escaped).toBe(1);
    expect(isAlive(e!)).toBe(false);
    expect(markedBy(scanAll(), m.runId)).toEqual([]);
  });

  it('is on command/exec one-offs too', async () => {
    const m = new ProcessManager({ home: null, guardian: null });
    managers.push(m);
    const p = m.spawnOneOff({ argv: ['sleep', '1011'] });
    expect(await waitUntil(() => scanAll().some((s) => s.pid === p.pid && s.marker === `${m.runId}:oneoff-1`))).toBe(true);
    await p.terminate();
    p.dispose();
  });
});

async function killedUnguardedHost(): Promise<{ home: string; host: ChildProcess; runId: string; pids: number[] }> {
  const home = mkdtempSync(join(tmpdir(), 'corral-home-'));
  const host = spawn(process.execPath, [HOST, 'wait', home, 'unguarded'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: host.stdout }).once('line', resolve));
  const { runId, pids } = JSON.parse(line) as { runId: string; pids: number[] };
  await waitUntil(() => markedBy(scanAll(), runId).filter((p) => p.args.startsWith('sleep 100')).length >= 10, 10_000);
  cleanup.push(...markedBy(scanAll(), runId));
  const gone = new Promise((r) => host.once('exit', r));
  host.kill('SIGKILL');
  await gone;
  return { home, host, runId, pids };
}

describe('leftovers of an earlier run', () => {
  it('are listed with command and cwd, never stopped unasked, and stopped by pid only', async () => {
    const { home, host, runId, pids } = await killedUnguardedHost();
    const m = new ProcessManager({ home, guardian: null, graceMs: 500 });
    managers.push(m);
    const left = m.leftovers();
    const plainPid = pids[0]!;
    // Pipe trees and the one-off outlive an unguarded, killed host (the PTY one may get a hang-up).
    expect(left.map((l) => l.osPid)).toEqual(expect.arrayContaining([pids[0], pids[1], pids[2], pids[3], pids[5]]));
    const plain = left.find((l) => l.osPid === plainPid)!;
    expect(plain.command).toBe('sleep 1001');
    expect(plain.cwd).toBe(process.cwd());
    expect(plain.hostPid).toBe(host.pid);
    expect(Math.abs(plain.startedAtMs - Date.now())).toBeLessThan(60_000);

    // A pid that is not a leftover (this test's own) stops nothing.
    expect(await m.stopLeftover(process.pid)).toBeNull();
    const stopped = await m.stopLeftover(plainPid);
    expect(stopped).toMatchObject({ osPid: plainPid, terminated: true, wasRunning: true });
    expect(m.leftovers().map((l) => l.osPid)).not.toContain(plainPid);
    // The others are untouched.
    expect(m.leftovers().map((l) => l.osPid)).toContain(pids[1]);

    // The escapee tree: stopping its leader by pid ends the setsid member too, found by its marker.
    const escapeeTree = await m.stopLeftover(pids[3]!);
    expect(escapeeTree).toMatchObject({ terminated: true, escaped: 1 });
    expect(markedBy(scanAll(), runId).filter((p) => p.args === 'sleep 1004')).toEqual([]);

    for (const l of m.leftovers()) expect((await m.stopLeftover(l.osPid))?.terminated).toBe(true);
    expect(markedBy(scanAll(), runId).filter((p) => p.args.startsWith('sleep 100'))).toEqual([]);
    expect(m.leftovers()).toEqual([]);
    expect(existsSync(join(home, 'run', `${host.pid}.json`))).toBe(false);
  });
});
