// The system under test (a real CorralSession over a real ProcessManager, one thread) and the test's own record
// of every command it started: what it is, what corral said about it, and how to find its processes in /proc.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandExecutionItem } from '../../src/core/items.js';
import { CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { type Identity, type ScannedProc, hasWord, killAll, scanAll, scanProc, withDescendants } from '../helpers/proc-scan.js';
import type { Outcome, Shape } from './shapes.js';

/** The smallest foreground window the manager allows: most commands become background terminals quickly. */
export const WINDOW_MS = 250;
export const GRACE_MS = 300;
const OUTPUT_KEPT = 4096;

export interface Cmd {
  n: number;
  shape: Shape;
  token: string;
  itemId: string;
  processId: string | null;
  leader: Identity | null;
  backgrounded: boolean;
  /** The item as itemCompleted reported it. */
  completed: CommandExecutionItem | null;
  /** Stopped or cleaned: no longer listed. */
  removed: boolean;
  /** How it must end; null when the test cannot know (a member was killed from outside). */
  expect: Outcome | null;
  /** Something other than corral acted on it (a kill from outside, `quit` written to it). */
  touched: boolean;
  /** The tail of its output. */
  output: string;
  /** Its leader's CORRAL_MANAGED value, when corral sets one (read from /proc at start). */
  marker: string | null;
}

export class ChurnWorld {
  readonly manager = new ProcessManager({ home: null, graceMs: GRACE_MS });
  readonly session: CorralSession;
  readonly threadId: string;
  readonly cmds: Cmd[] = [];
  /** The last counts the session announced for the thread: what the footer shows. */
  counts: { running: number; exited: number } | null = null;
  private readonly byItem = new Map<string, Cmd>();
  private readonly seen = new Map<string, Identity>();
  private readonly startedItems = new Map<string, string>();
  private readonly cwd = mkdtempSync(join(tmpdir(), 'corral-churn-'));

  constructor() {
    this.session = new CorralSession(this.manager, { terminals: { foreground_window_ms: WINDOW_MS, stop_grace_ms: GRACE_MS } }, this.cwd);
    this.threadId = this.session.startThread().id;
    const ev = this.session.events;
    // Emitted synchronously inside runShellCommand, before `start` knows the item id: kept until claimed.
    ev.on('itemStarted', (e) => {
      if (e.item.type === 'commandExecution' && e.item.processId) this.startedItems.set(e.item.id, e.item.processId);
    });
    ev.on('commandBackgrounded', (e) => {
      const cmd = this.byItem.get(e.itemId);
      if (cmd) cmd.backgrounded = true;
    });
    ev.on('itemCompleted', (e) => {
      const cmd = this.byItem.get(e.item.id);
      if (cmd && e.item.type === 'commandExecution') cmd.completed = { ...e.item };
    });
    ev.on('commandOutput', (e) => {
      const cmd = this.byItem.get(e.itemId);
      if (cmd) cmd.output = (cmd.output + e.chunk.toString('utf8')).slice(-OUTPUT_KEPT);
    });
    ev.on('backgroundTerminalsChanged', (e) => {
      if (e.threadId === this.threadId) this.counts = { running: e.running, exited: e.exited };
    });
  }

  start(n: number, token: string, shape: Shape): Cmd {
    const { itemId } = this.session.runShellCommand(this.threadId, shape.command, { rows: 24, cols: 80 });
    const cmd: Cmd = {
      n,
      shape,
      token,
      itemId,
      processId: null,
      leader: null,
      backgrounded: false,
      completed: null,
      removed: false,
      touched: false,
      expect: shape.natural,
      output: '',
      marker: null,
    };
    this.cmds.push(cmd);
    this.byItem.set(itemId, cmd);
    const processId = this.startedItems.get(itemId);
    this.startedItems.delete(itemId);
    if (processId !== undefined) {
      cmd.processId = processId;
      const meta = this.manager.get(processId)?.meta;
      if (meta && meta.osStartTime !== null) cmd.leader = { pid: meta.osPid, startTime: meta.osStartTime };
      const leader = cmd.leader && scanProc(cmd.leader.pid);
      if (leader && leader.startTime === cmd.leader!.startTime) cmd.marker = leader.marker;
    }
    return cmd;
  }

  /** Background terminals the test expects listed: backgrounded and neither stopped nor cleaned. */
  expectedListed(): Cmd[] {
    return this.cmds.filter((c) => c.backgrounded && !c.removed);
  }

  /** The command holding `processId` now (an id is reused once its record is removed). */
  byProcessId(processId: string): Cmd | undefined {
    return this.cmds.findLast((c) => c.processId === processId);
  }

  /** The command's live processes per /proc: its leader, anything carrying its token or marker, and descendants. */
  members(cmd: Cmd, procs: readonly ScannedProc[]): ScannedProc[] {
    // The marker names the process id, which a later command may hold: it counts for the current holder only.
    const marker = cmd.processId !== null && this.byProcessId(cmd.processId) === cmd ? cmd.marker : null;
    const roots = procs.filter(
      (p) =>
        (cmd.leader !== null && p.pid === cmd.leader.pid && p.startTime === cmd.leader.startTime) ||
        hasWord(p.args, cmd.token) ||
        (marker !== null && p.marker === marker),
    );
    const found = withDescendants(procs, roots);
    for (const p of found) this.seen.set(`${p.pid}/${p.startTime}`, p);
    return found;
  }

  scan(): ScannedProc[] {
    return scanAll();
  }

  async dispose(): Promise<void> {
    await this.session.shutdown();
    // Whatever a failed run left: every process ever seen as a member, if it is still the same process.
    const procs = scanAll(false);
    for (const cmd of this.cmds) this.members(cmd, procs);
    killAll([...this.seen.values()]);
    rmSync(this.cwd, { recursive: true, force: true });
  }
}
