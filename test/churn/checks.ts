// What must hold between two churn steps, compared with what /proc says at that moment: the list, each entry's
// status, exit and live-process count, the counts the footer shows, and that every process is accounted for.
import type { BackgroundTerminal } from '../../src/core/session.js';
import { type ScannedProc, hasWord, isAlive } from '../helpers/proc-scan.js';
import { waitUntil } from '../helpers/os.js';
import type { Outcome } from './shapes.js';
import type { ChurnWorld, Cmd } from './world.js';

/**
 * How long a status may lag the kernel: an exit shows once the manager observes it (after the output is
 * drained and the screen settles), and a tree's members are walked at each list. Past this, it is a mismatch.
 */
export const LAG_BOUND_MS = 5000;

const describeCmd = (c: Cmd): string => `#${c.n} ${c.shape.name} [${c.processId ?? '-'}] ${JSON.stringify(c.shape.command)}`;
const sameOutcome = (a: Outcome, b: { exitCode: number | null; signal?: string | null }): boolean =>
  a.exitCode === b.exitCode && a.signal === (b.signal ?? null);
const showOutcome = (o: { exitCode: number | null; signal?: string | null }): string => `exit ${o.exitCode} signal ${o.signal ?? 'none'}`;

function checkEntry(w: ChurnWorld, r: BackgroundTerminal, before: ScannedProc[], after: ScannedProc[], problems: string[]): void {
  const cmd = w.byProcessId(r.processId);
  if (!cmd) {
    problems.push(`listed [${r.processId}] ${r.command} is no command of this test`);
    return;
  }
  const what = describeCmd(cmd);
  const leaderAlive = cmd.leader !== null && isAlive(cmd.leader);
  if (r.stopping) problems.push(`${what}: listed as stopping with no stop in flight`);
  if (r.status === 'running' && !leaderAlive) problems.push(`${what}: listed running, but its leader is gone`);
  if (r.status === 'exited' && leaderAlive) problems.push(`${what}: listed exited, but its leader is alive`);
  // Members may end between the two scans; the count must lie between them.
  const [m0, m1] = [w.members(cmd, before).length, w.members(cmd, after).length];
  if (r.liveProcesses < Math.min(m0, m1) || r.liveProcesses > Math.max(m0, m1)) {
    problems.push(`${what}: lists ${r.liveProcesses} live processes, /proc has ${m0} then ${m1}`);
  }
  if (r.status === 'running' && cmd.completed) problems.push(`${what}: listed running, but its item completed (${showOutcome(cmd.completed)})`);
  if (r.status !== 'exited') return;
  if (!cmd.completed) problems.push(`${what}: listed exited, but its item never completed`);
  else if (!sameOutcome({ exitCode: r.exitCode ?? -1, signal: r.signal }, cmd.completed)) {
    problems.push(`${what}: listed ${showOutcome(r)}, its item says ${showOutcome(cmd.completed)}`);
  }
  if (cmd.expect && !sameOutcome(cmd.expect, r)) problems.push(`${what}: listed ${showOutcome(r)}, expected ${showOutcome(cmd.expect)}`);
}

/** Every mismatch between corral's view and the kernel's now (empty when they agree). */
export async function mismatches(w: ChurnWorld): Promise<string[]> {
  const problems: string[] = [];
  const before = w.scan();
  const page = await w.session.terminals.list(w.threadId, null, 500);
  const after = w.scan();
  if (page.nextCursor !== null) problems.push('the list did not fit one page of 500');

  const listed = page.data.map((r) => r.processId).sort();
  const expected = w.expectedListed().map((c) => c.processId ?? `#${c.n}`).sort();
  if (listed.join() !== expected.join()) problems.push(`listed [${listed.join(', ')}], expected [${expected.join(', ')}]`);
  for (const r of page.data) checkEntry(w, r, before, after, problems);

  const running = page.data.filter((r) => r.status === 'running').length;
  const counts = { running, exited: page.data.length - running };
  const announced = w.counts ?? { running: 0, exited: 0 };
  if (announced.running !== counts.running || announced.exited !== counts.exited) {
    problems.push(`the footer's counts ${JSON.stringify(announced)} differ from the list's ${JSON.stringify(counts)}`);
  }
  const now = w.session.terminals.counts(w.threadId);
  if (now.running !== counts.running || now.exited !== counts.exited) {
    problems.push(`session.counts ${JSON.stringify(now)} differ from the list's ${JSON.stringify(counts)}`);
  }

  const listedSet = new Set(listed);
  for (const cmd of w.cmds) {
    const what = describeCmd(cmd);
    if (cmd.completed && cmd.expect && !sameOutcome(cmd.expect, cmd.completed)) {
      problems.push(`${what}: completed with ${showOutcome(cmd.completed)}, expected ${showOutcome(cmd.expect)}`);
    }
    if (cmd.completed?.signal && cmd.completed.exitCode !== null && cmd.completed.exitCode < 128) {
      problems.push(`${what}: completed by ${cmd.completed.signal} with exit code ${cmd.completed.exitCode}`);
    }
    // Once corral marks its children, every process of the command carries the leader's marker.
    const unmarked = cmd.marker === null ? [] : w.members(cmd, after).filter((p) => hasWord(p.args, cmd.token) && p.marker !== cmd.marker);
    if (unmarked.length > 0) problems.push(`${what}: ${unmarked.map((p) => `${p.pid} ${p.args}`).join('; ')} without its marker ${cmd.marker}`);
    if (cmd.processId !== null && listedSet.has(cmd.processId) && w.byProcessId(cmd.processId) === cmd) continue;
    // Not listed: nothing of it may be alive (no step leaves a command in the foreground).
    const alive = w.members(cmd, after).filter((p) => isAlive(p));
    if (alive.length > 0) problems.push(`${what}: not listed, yet alive in /proc: ${alive.map((p) => `${p.pid} ${p.args}`).join('; ')}`);
    if (!cmd.completed) problems.push(`${what}: neither listed nor completed`);
  }
  return problems;
}

/** Waits (up to the lag bound) until corral and /proc agree; returns what still differs. */
export async function settle(w: ChurnWorld): Promise<string[]> {
  let last: string[] = [];
  await waitUntil(async () => (last = await mismatches(w)).length === 0, LAG_BOUND_MS, 50);
  return last;
}
