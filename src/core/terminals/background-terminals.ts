// A thread's background terminals: the commands of its items that outlived their foreground window and are
// still known to the process manager. Listing, naming, stopping and restarting only ever see those.
import { type Page, type ProcessManager, type ProcessRecord, type ScreenLine, type TerminateResult, paginate } from '../../exec/index.js';
import type { CommandRun, CommandRunOptions } from '../command-run.js';
import type { TerminalFact } from './model-context.js';
import { TerminalNames } from './names.js';
import { type PortHolder, findPortHolder } from './port-holder.js';
import { type RestartResult, restartRun } from './restart.js';

/** Lines of each terminal's screen returned by a list. */
export const LIST_RECENT_LINES = 3;
const ALL = 500;

export interface BackgroundTerminal extends ProcessRecord {
  recentLines: ScreenLine[];
  /** The label a person gave it (`/name`). */
  name: string | null;
}

/** What the terminals need from the session around them. */
export interface TerminalsHost {
  manager: ProcessManager;
  /** The runs of a thread (throws for an unknown thread). */
  runsOf(threadId: string): Iterable<CommandRun>;
  runByProcess(processId: string): CommandRun | undefined;
  runByItem(itemId: string): CommandRun | undefined;
  launch(opts: CommandRunOptions): CommandRun;
  /** The thread's set of terminals changed (counts). */
  changed(threadId: string): void;
}

export class BackgroundTerminals {
  private readonly names = new TerminalNames();

  constructor(private readonly host: TerminalsHost) {}

  private get manager(): ProcessManager {
    return this.host.manager;
  }

  /** Process ids of the thread's background terminals. */
  ids(threadId: string): Set<string> {
    const ids = new Set<string>();
    for (const run of this.host.runsOf(threadId)) {
      if (run.isBackground && run.item.processId && this.manager.get(run.item.processId)) ids.add(run.item.processId);
    }
    return ids;
  }

  /** The thread's own run of this process, if it is one of its background terminals. */
  private owned(threadId: string, processId: string): CommandRun | undefined {
    return this.ids(threadId).has(processId) ? this.host.runByProcess(processId) : undefined;
  }

  counts(threadId: string): { running: number; exited: number } {
    let running = 0;
    let exited = 0;
    for (const id of this.ids(threadId)) {
      if (this.manager.info(id)?.status === 'running') running++;
      else exited++;
    }
    return { running, exited };
  }

  /** The thread's background terminals, sorted by id, with live figures, their last screen lines and names. */
  async list(threadId: string, cursor: string | null | undefined, limit: number | null | undefined): Promise<Page<BackgroundTerminal>> {
    const page = paginate(await this.records(threadId), (r) => Number(r.processId), cursor, limit);
    return {
      nextCursor: page.nextCursor,
      data: page.data.map((r) => ({
        ...r,
        recentLines: this.manager.get(r.processId)?.screen.lines(LIST_RECENT_LINES) ?? [],
        name: this.nameOf(r.processId),
      })),
    };
  }

  /** The manager's live records of the thread's terminals. */
  private async records(threadId: string): Promise<ProcessRecord[]> {
    const ids = this.ids(threadId);
    return (await this.manager.list({ limit: ALL })).data.filter((r) => ids.has(r.processId));
  }

  /** A running background terminal (of any thread) with the same command text and cwd. */
  findDuplicate(command: string, cwd: string, runs: Iterable<CommandRun>): string | null {
    for (const run of runs) {
      const id = run.item.processId;
      if (run.isBackground && !run.completed && id && run.item.command.trim() === command.trim() && run.item.cwd === cwd) return id;
    }
    return null;
  }

  /** The thread's terminals as the model is told of them (live: a fresh read of the OS). */
  async modelFacts(threadId: string): Promise<TerminalFact[]> {
    if (this.ids(threadId).size === 0) return [];
    return (await this.records(threadId)).map((r) => ({
      processId: r.processId,
      name: this.nameOf(r.processId),
      command: r.command,
      status: r.status,
      exitCode: r.exitCode,
      signal: r.signal,
      ports: r.ports,
      url: r.url,
      waitingForInput: r.waitingForInput,
    }));
  }

  /** What a duplicate warning says about a running terminal: its id and the ports it listens on. */
  duplicateOf(processId: string): { processId: string; ports: number[] } {
    return { processId, ports: this.manager.info(processId)?.ports ?? [] };
  }

  /** The terminal (of any thread) holding the port that a failed command's output says is in use. */
  portHolder(output: string, command: string): PortHolder | null {
    const terminals = this.manager.keys().flatMap((processId) => {
      const info = this.manager.info(processId);
      return info && info.status === 'running' ? [{ processId, ports: info.ports, command: info.command, name: this.nameOf(processId) }] : [];
    });
    return findPortHolder(output, command, terminals);
  }

  /** The name of a terminal (by process id), if it has one. */
  nameOf(processId: string): string | null {
    const run = this.host.runByProcess(processId);
    return run ? this.names.get(run.item.id) : null;
  }

  /** Names (null: unnames) one of the thread's terminals; false when it has no such terminal. */
  setName(threadId: string, processId: string, name: string | null): boolean {
    const run = this.owned(threadId, processId);
    if (!run) return false;
    this.names.set(run.item.id, name, (itemId) => {
      const id = this.host.runByItem(itemId)?.item.processId;
      return id != null && this.manager.get(id) !== undefined;
    });
    return true;
  }

  /** Stops one of the thread's background terminals. Unknown (or another thread's) ids give false. */
  async terminate(threadId: string, processId: string): Promise<TerminateResult | false> {
    const run = this.owned(threadId, processId);
    if (!run) return false;
    run.markStopped();
    return this.manager.terminate(processId);
  }

  /** Stops every background terminal of the thread and forgets the exited ones. */
  async clean(threadId: string): Promise<TerminateResult[]> {
    const results = await Promise.all([...this.ids(threadId)].map((id) => this.terminate(threadId, id)));
    return results.filter((r): r is TerminateResult => r !== false);
  }

  /** Stops one of the thread's terminals (verified) and starts its command again; false when it has none such. */
  async restart(threadId: string, processId: string): Promise<RestartResult | false> {
    const run = this.owned(threadId, processId);
    if (!run) return false;
    const result = await restartRun({ manager: this.manager, launch: (opts) => this.host.launch(opts) }, run, processId);
    if (result && result.started) this.names.move(run.item.id, result.started.itemId);
    if (result) this.host.changed(threadId);
    return result;
  }
}
