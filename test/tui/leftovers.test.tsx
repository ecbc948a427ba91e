// An earlier run's leftovers in /ps and /stop: listed in their own section, never stopped by /stop alone, stopped
// by pid (identity checked by start time). Real processes, a real registry file, the real session and client.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ps } from '../../commands/ps.js';
import { stop } from '../../commands/stop.js';
import { PsCellView } from '../../components/PsCellView.js';
import { StopCellView } from '../../components/StopCellView.js';
import { loadConfig } from '../../src/core/config.js';
import { CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { InProcessClient } from '../../src/protocol/client.js';
import type { CommandContext } from '../../src/tui/command-types.js';
import type { PsCell, StopCell } from '../../src/tui/cells.js';
import { TuiState } from '../../src/tui/state.js';
import { waitUntil } from '../helpers/os.js';
import { type Identity, isAlive, killAll, scanProc } from '../helpers/proc-scan.js';
import { AT, terminal } from './fixtures.js';
import { frame } from './render-frame.js';


const cleanup: Identity[] = [];
const managers: ProcessManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.shutdown()));
  killAll(cleanup.splice(0));
});

/** A home whose registry file names a corral that is gone and a `sleep` it left running. */
async function homeWithLeftover(): Promise<{ home: string; sleeper: Identity }> {
  const home = mkdtempSync(join(tmpdir(), 'corral-home-'));
  const gone = spawn('true');
  await new Promise((r) => gone.once('exit', r));
  const child = spawn('sleep', ['1020'], { detached: true, stdio: 'ignore', env: { ...process.env, CORRAL_MANAGED: 'old-run:4242' } });
  child.unref();
  const sleeper = scanProc(child.pid!, false)!;
  cleanup.push(sleeper);
  mkdirSync(join(home, 'run'));
  writeFileSync(
    join(home, 'run', `${gone.pid}.json`),
    JSON.stringify({
      hostPid: gone.pid,
      hostStartTime: 1,
      runId: 'old-run',
      processes: [{ processId: '4242', osPid: sleeper.pid, startTime: sleeper.startTime, command: 'sleep 1020', cwd: '/srv/app', marker: 'old-run:4242' }],
    }),
  );
  return { home, sleeper };
}

async function context(home: string): Promise<CommandContext> {
  const manager = new ProcessManager({ home, guardian: null, graceMs: 500 });
  managers.push(manager);
  const session = new CorralSession(manager, loadConfig(home).config, process.cwd());
  const client = new InProcessClient(session);
  const { thread } = await client.request('thread/start', {});
  return { client, threadId: thread.id, state: new TuiState(thread.id), commands: [ps, stop] };
}

describe('leftovers of an earlier run', () => {
  it('/ps lists them; /stop alone leaves them and says so; /stop <pid> stops one', async () => {
    const { home, sleeper } = await homeWithLeftover();
    const ctx = await context(home);

    const [psCell] = (await ps.run(ctx, [])).cells as PsCell[];
    expect(psCell!.leftovers?.map((l) => [l.osPid, l.command, l.cwd])).toEqual([[sleeper.pid, 'sleep 1020', '/srv/app']]);
    expect(frame(<PsCellView cell={psCell!} width={80} />)).toContain('Left by an earlier run');

    const [all] = (await stop.run(ctx, [])).cells;
    expect(all?.kind).toBe('info');
    expect(all && 'text' in all ? all.text : '').toContain('1 process left by an earlier run still running');
    expect(isAlive(sleeper)).toBe(true);

    const [one] = (await stop.run(ctx, [String(sleeper.pid)])).cells as StopCell[];
    expect(one!.lines).toHaveLength(1);
    expect(one!.lines[0]).toMatchObject({ kind: 'leftover-stopped', report: { osPid: sleeper.pid, terminated: true, wasRunning: true } });
    expect(await waitUntil(() => !isAlive(sleeper))).toBe(true);
    expect(((await ps.run(ctx, [])).cells[0] as PsCell).leftovers).toEqual([]);
  });

  it('does not stop a pid whose start time differs from the recorded one', async () => {
    const { home, sleeper } = await homeWithLeftover();
    const file = join(home, 'run');
    // Rewrite the record as if the pid had been reused since.
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = join(file, readdirSync(file)[0]!);
    const reg = JSON.parse(readFileSync(path, 'utf8')) as { processes: { startTime: number }[] };
    reg.processes[0]!.startTime += 1;
    writeFileSync(path, JSON.stringify(reg));
    const ctx = await context(home);
    const [one] = (await stop.run(ctx, [String(sleeper.pid)])).cells as StopCell[];
    expect(one!.lines).toEqual([{ kind: 'not-found', query: String(sleeper.pid) }]);
    expect(isAlive(sleeper)).toBe(true);
  });

  it('draws the section and the stop lines', () => {
    const cell: PsCell = {
      kind: 'ps',
      id: 'ps',
      at: AT,
      running: [terminal()],
      exited: [],
      leftovers: [
        { osPid: 31337, command: 'npm run dev', cwd: '/srv/app', startedAtMs: AT - 3 * 3600_000, hostPid: 1234 },
        { osPid: 31400, command: 'python -m http.server 8000', cwd: '/home/me/site', startedAtMs: AT - 65_000, hostPid: 1234 },
      ],
    };
    expect(frame(<PsCellView cell={cell} width={80} />)).toMatchSnapshot();
    const stopped: StopCell = {
      kind: 'stop',
      id: 'stop',
      all: false,
      lines: [
        {
          kind: 'leftover-stopped',
          report: { osPid: 31337, command: 'npm run dev', terminated: true, wasRunning: true, endedBy: 'SIGTERM', durationMs: 120, survivors: [], escaped: 1 },
        },
      ],
    };
    expect(frame(<StopCellView cell={stopped} width={80} />)).toMatchSnapshot();
    const all: StopCell = { kind: 'stop', id: 'stop', all: true, lines: [], leftoversRemaining: 2 };
    expect(frame(<StopCellView cell={all} width={80} />)).toContain('2 processes left by an earlier run still running');
  });
});
