// Snapshots of a foreground command's screen: up to 30 a second while output trickles in, 10 during a flood
// (each one costs a screen read and a UI frame while the command waits for the event loop). Whether output is a
// flood depends on how fast the machine delivers it, so the flood rule is checked on its own.
import { afterEach, describe, expect, it } from 'vitest';
import { floodWait } from '../../src/core/command-run.js';
import { CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { waitUntil } from '../helpers/os.js';

let session: CorralSession | null = null;
afterEach(async () => {
  await session?.shutdown();
  session = null;
});

/** Snapshot times (ms) of one foreground command, from start to completion. */
async function snapshotTimes(command: string): Promise<number[]> {
  const s = new CorralSession(new ProcessManager({ home: null, graceMs: 300 }), { terminals: { foreground_window_ms: 30_000, stop_grace_ms: 300 } });
  session = s;
  const times: number[] = [];
  let done = false;
  s.events.on('terminalSnapshot', () => times.push(performance.now()));
  s.events.on('itemCompleted', () => (done = true));
  const t = s.startThread();
  s.runShellCommand(t.id, command, { rows: 24, cols: 80 });
  expect(await waitUntil(() => done, 25_000)).toBe(true);
  return times;
}

/** The median time between two snapshots (the first and last few are the edges of the flood, not its middle). */
function medianGap(times: number[]): number {
  const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

describe('screen snapshots', () => {
  it('wait until 100 ms have passed when more than 256 KiB arrived since the last one', () => {
    expect(floodWait(1040, 1000, 300 * 1024)).toBe(60);
    expect(floodWait(1120, 1000, 30 * 1024 * 1024)).toBe(0);
    expect(floodWait(1040, 1000, 100 * 1024)).toBe(0);
  });

  it('keep coming during a real flood, never faster than 30 a second', async () => {
    const times = await snapshotTimes('seq 1 4000000');
    expect(times.length).toBeGreaterThan(3);
    expect(medianGap(times)).toBeGreaterThanOrEqual(32);
  });

  it('are not sent again while the screen shows the same', async () => {
    // The same line drawn over itself 40 times, then one new line: the screen changed twice.
    const times = await snapshotTimes("for i in $(seq 1 40); do printf 'same\\r'; sleep 0.02; done; echo; echo done");
    expect(times.length).toBeGreaterThanOrEqual(1);
    expect(times.length).toBeLessThanOrEqual(3);
  });

  it('come faster than that while output trickles in', async () => {
    const times = await snapshotTimes('for i in $(seq 1 40); do echo $i; sleep 0.02; done');
    expect(times.length).toBeGreaterThan(10);
    expect(medianGap(times)).toBeLessThan(90);
    expect(medianGap(times)).toBeGreaterThanOrEqual(32);
  });
});
