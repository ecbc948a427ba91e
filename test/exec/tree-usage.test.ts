import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStatSync } from '../../src/exec/proc.js';
import { treeUsage } from '../../src/exec/tree-usage.js';
import { cpuTicks } from '../helpers/proc-scan.js';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('treeUsage', () => {
  it('shows a busy process busy at its first reading, and after', async () => {
    const busy = spawn('sh', ['-c', 'while :; do :; done']);
    children.push(busy);
    const pid = busy.pid!;
    // Until it has used a good share of a core (clock ticks from /proc), however busy the machine is.
    const started = Date.now();
    while (cpuTicks(`/proc/${pid}/stat`) < 30) await new Promise((r) => setTimeout(r, 50));
    const identity = { pid, startTime: readProcStatSync(pid)!.startTime };
    const first = await treeUsage([identity]);
    const lifetimeShare = (cpuTicks(`/proc/${pid}/stat`) * 10 * 100) / (Date.now() - started); // %: ticks are 10 ms
    expect(first!.cpuPercent).toBeGreaterThan(Math.min(20, lifetimeShare / 2));
    await new Promise((r) => setTimeout(r, 300));
    const second = await treeUsage([identity]);
    expect(second!.cpuPercent).toBeGreaterThan(0);
  });

  it('shows an idle process idle', async () => {
    const idle = spawn('sleep', ['30']);
    children.push(idle);
    const pid = idle.pid!;
    while (!readProcStatSync(pid)) await new Promise((r) => setTimeout(r, 20));
    const usage = await treeUsage([{ pid, startTime: readProcStatSync(pid)!.startTime }]);
    expect(usage!.cpuPercent).toBeLessThan(5);
    expect(usage!.rssKb).toBeGreaterThan(0);
  });
});
