// The in-process manager of every command corral runs: start with a foreground window, background on timeout,
// write/poll/resize, list with live figures, and terminate whole trees, verified against the OS. Every tree is
// accounted for in the registry file and with the guardian (run-accounts.ts) until it is gone; every terminal's
// output is logged (terminal-logs.ts) and watched for ports and prompts (terminal-monitor.ts).
import { endMarked } from './detached-target.js';
import { defaultGuardianScript } from './guardian-link.js';
import { isDirectory } from './is-directory.js';
import { type ResolvedOptions, resolveOptions } from './manager-options.js';
import { type LeftoverProcess, type LeftoverStop, listLeftovers, stopLeftover } from './leftovers.js';
import type { ExitInfo, ManagedProcess } from './managed-process.js';
import { markerValue, ofRun } from './marker.js';
import { OneOffInputError, OneOffProcess, type OneOffRequest } from './one-off.js';
import { type Page, paginate } from './pagination.js';
import { type ProcStat, type ProcessIdentity, listProcesses } from './proc.js';
import { resizeTerminal, sendInput } from './process-input.js';
import { ProcessIdAllocator } from './process-ids.js';
import { liveRecords } from './process-listing.js';
import {
  exitFigures,
  lastKnown,
  onePerProcess,
  registryEntry,
  startedEvent,
  toExecResult,
  toRecord,
  toTerminateResult,
} from './process-record.js';
import {
  ExecInputError,
  UnknownProcessError,
  type ExecEvents,
  type ExecRequest,
  type ExecResult,
  type ProcessManagerOptions,
  type ProcessRecord,
  type TerminateResult,
  type WriteRequest,
} from './process-types.js';
import { chooseEviction } from './pruning.js';
import { RunAccounts } from './run-accounts.js';
import { RunMarkers } from './run-markers.js';
import { compareKeys } from './short-id.js';
import { spawnManaged } from './spawn-managed.js';
import { terminateTree, terminateTreesSync } from './terminate-tree.js';
import { TerminalLogs } from './terminal-logs.js';
import { TerminalMonitor } from './terminal-monitor.js';
import { TypedEmitter } from './typed-emitter.js';
import { execWindow, waitExitOrAbort, writeWindow } from './yield-window.js';

export * from './process-types.js';

export class ProcessManager {
  readonly events = new TypedEmitter<ExecEvents>();
  private readonly store = new Map<number, ManagedProcess>();
  /** Trees being terminated: no longer listed, still accounted for until they are gone. */
  private readonly terminating = new Map<number, { proc: ManagedProcess; done: Promise<TerminateResult> }>();
  private readonly ids = new ProcessIdAllocator();
  /** command/exec's processes (one-off.ts): not listed or numbered, but in the registry file and shut down. */
  private readonly oneOffs = new Set<OneOffProcess>();
  private oneOffCount = 0;
  private readonly accounts: RunAccounts;
  private readonly markers: RunMarkers;
  private readonly home: string | null;
  private readonly monitor: TerminalMonitor;
  private readonly logs: TerminalLogs | null;
  private readonly opts: ResolvedOptions;
  private closed = false;

  constructor(options: ProcessManagerOptions = {}) {
    this.opts = resolveOptions(options);
    this.home = options.home ?? null;
    this.accounts = new RunAccounts({
      home: this.home,
      guardianScript: options.guardian === undefined ? defaultGuardianScript() : options.guardian,
      graceMs: this.opts.graceMs,
    });
    this.markers = new RunMarkers(this.accounts.runId);
    this.logs =
      this.home && options.logs !== false
        ? new TerminalLogs(this.home, this.runId, options.logs ?? {}, (message) => this.events.emit('logStopped', { message }))
        : null;
    this.monitor = new TerminalMonitor({
      events: this.events,
      processes: () => [...this.store.values()],
      census: () => this.census(),
      walk: async (procs) => void (await this.walk(procs)),
    });
  }

  /** Pruning of earlier runs' logs, started with the manager (resolves at once without logs). */
  get logsPruned(): Promise<void> {
    return this.logs?.pruned ?? Promise.resolve();
  }

  get graceMs(): number {
    return this.opts.graceMs;
  }

  /** This run's id: every child's CORRAL_MANAGED is `<runId>:<processId>`. */
  get runId(): string {
    return this.accounts.runId;
  }

  /** The guardian's pid while it runs (it starts with the first tree). */
  get guardianPid(): number | null {
    return this.accounts.guardianPid;
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (this.closed) throw new ExecInputError('the process manager is shut down');
    const started = Date.now();
    const cwd = req.cwd ?? process.cwd();
    if (!isDirectory(cwd)) throw new ExecInputError(`working directory does not exist: ${cwd}`);
    this.makeRoom();

    const processId = this.ids.allocate();
    const key = String(processId);
    const itemId = req.itemId ?? `exec-${key}`;
    const log = this.logs?.create(key) ?? null;
    let proc: ManagedProcess;
    try {
      proc = spawnManaged(req, {
        processId,
        itemId,
        marker: markerValue(this.runId, key),
        cwd,
        startedAt: started,
        shell: this.opts.shell,
        outputCapacity: this.opts.outputCapacity,
        scrollback: this.opts.scrollback,
        deltas: { emit: (chunk) => this.events.emit('output', { processId: key, itemId, chunk }), wanted: () => this.events.wanted('output') },
        log,
      });
    } catch (err) {
      this.ids.release(processId);
      if (log) void this.logs?.remove(log);
      throw err;
    }
    proc.onWaitingChange((waiting) => this.events.emit('waiting', { processId: key, itemId, waiting }));
    this.store.set(processId, proc);
    this.monitor.started(proc);
    void proc.exited.then((exit) => this.onExit(proc, exit));
    this.writeRegistry();
    this.events.emit('started', startedEvent(proc));

    await waitExitOrAbort(proc, execWindow(req.yieldMs), req.background);
    return this.collect(proc, started);
  }

  /** Spawns an argv outside the store; it stays accounted for until its owner disposes of it. */
  spawnOneOff(req: OneOffRequest): OneOffProcess {
    if (this.closed) throw new OneOffInputError('the process manager is shut down');
    const id = `oneoff-${++this.oneOffCount}`;
    const proc = new OneOffProcess(req, id, markerValue(this.runId, id), this.opts.graceMs, (p) => {
      if (this.oneOffs.delete(p)) this.writeRegistry();
    });
    this.oneOffs.add(proc);
    this.writeRegistry();
    return proc;
  }

  /** Sends input (or nothing: a poll), then waits for output or exit. */
  async write(req: WriteRequest): Promise<ExecResult> {
    const started = Date.now();
    const proc = this.require(req.processId);
    proc.lastUsedAt = started;
    const data = req.data ?? '';
    if (data !== '') sendInput(proc, data);
    if (req.closeStdin) proc.child.closeStdin();
    await waitExitOrAbort(proc, writeWindow(req.yieldMs, data === ''));
    return this.collect(proc, started);
  }

  /** Sends input without waiting for output (`\u0003` to a pipe process with stdin closed is SIGINT). */
  send(processId: string, data: string): void {
    const proc = this.require(processId);
    proc.lastUsedAt = Date.now();
    sendInput(proc, data);
  }

  resize(processId: string, cols: number, rows: number): void {
    const proc = this.require(processId);
    proc.lastUsedAt = Date.now();
    resizeTerminal(proc, cols, rows);
  }

  /** Drains output; a call that observes the exit removes the record, unless part of its tree still runs. */
  private async collect(proc: ManagedProcess, started: number): Promise<ExecResult> {
    const drained = proc.drain();
    if (proc.exit && this.store.get(proc.meta.processId) === proc) {
      await this.walk([proc]);
      if (proc.knownCount === 0) this.forget(proc);
    }
    return toExecResult(proc, drained, started);
  }

  private onExit(proc: ManagedProcess, exit: ExitInfo): void {
    // Every byte is delivered before the exit: the log is complete (it stays until the record goes).
    if (proc.log) void this.logs?.close(proc.log);
    this.events.emit('exited', { processId: proc.key, itemId: proc.meta.itemId, ...exitFigures(exit) });
    this.writeRegistry();
  }

  /** Stops one process tree. Unknown (or already being stopped) ids give false. */
  terminate(processId: string): Promise<TerminateResult | false> {
    const id = Number(processId);
    const proc = this.store.get(id);
    if (!proc || String(id) !== processId) return Promise.resolve(false);
    return this.startTermination(proc, true);
  }

  /** `dropLog`: a person stopped it (or it was evicted), so its log goes; at shutdown logs are kept. */
  private startTermination(proc: ManagedProcess, dropLog: boolean): Promise<TerminateResult> {
    const id = proc.meta.processId;
    this.store.delete(id);
    const done = terminateTree(proc.treeTarget(), this.opts.graceMs).then(async (t) => {
      const result = toTerminateResult(proc, t);
      this.terminating.delete(id);
      this.ids.release(id);
      proc.dispose();
      if (proc.log) await (dropLog ? this.logs?.remove(proc.log) : this.logs?.close(proc.log));
      this.writeRegistry();
      this.events.emit('terminated', result);
      return result;
    });
    this.terminating.set(id, { proc, done });
    this.writeRegistry();
    return done;
  }

  /** Stops every process tree, in parallel (their logs are removed). */
  terminateAll(): Promise<TerminateResult[]> {
    return this.endAll(true);
  }

  private async endAll(dropLogs: boolean): Promise<TerminateResult[]> {
    const started = [...this.store.values()].map((p) => this.startTermination(p, dropLogs));
    const pending = [...this.terminating.values()].map((t) => t.done);
    const results = await Promise.all([...started, ...pending]);
    return onePerProcess(results).sort((a, b) => compareKeys(a.processId, b.processId));
  }

  /** Every process still accounted for: stored ones and those being terminated. */
  private all(): ManagedProcess[] {
    return [...this.store.values(), ...[...this.terminating.values()].map((t) => t.proc)];
  }

  /**
   * One page of records, sorted by numeric id, with live figures from the kernel: CPU and memory summed over
   * each tree, its listening ports, whether it waits for input.
   */
  async list(opts: { cursor?: string | null; limit?: number | null } = {}): Promise<Page<ProcessRecord>> {
    const page = paginate(this.all(), (p) => p.meta.processId, opts.cursor, opts.limit);
    await this.walk(page.data);
    const data = await liveRecords(page.data, (p) => this.terminating.has(p.meta.processId), this.events);
    return { data, nextCursor: page.nextCursor };
  }

  /** The record with the last known figures (no CPU or memory): cheap, synchronous. */
  info(processId: string): ProcessRecord | undefined {
    const proc = this.get(processId);
    return proc ? toRecord(proc, this.terminating.has(proc.meta.processId), lastKnown(proc)) : undefined;
  }

  /** Keys of every listed process (being terminated included), for id-or-prefix resolution. */
  keys(): string[] {
    return this.all()
      .map((p) => p.meta.processId)
      .sort((a, b) => a - b)
      .map(String);
  }

  /** The process itself (also while it is being terminated), for screen reads; undefined when unknown. */
  get(processId: string): ManagedProcess | undefined {
    const id = Number(processId);
    return this.store.get(id) ?? this.terminating.get(id)?.proc;
  }

  /** Processes an earlier corral run left running (from its registry file), oldest first. */
  leftovers(): LeftoverProcess[] {
    return this.home ? listLeftovers(this.home) : [];
  }

  /** Stops an earlier run's process by its OS pid, checked by start time; null when it is no leftover. */
  stopLeftover(osPid: number): Promise<LeftoverStop | null> {
    return this.home ? stopLeftover(this.home, osPid, this.opts.graceMs) : Promise.resolve(null);
  }

  private require(processId: string): ManagedProcess {
    const proc = this.store.get(Number(processId));
    if (!proc || proc.key !== processId) throw new UnknownProcessError(processId);
    return proc;
  }

  /** Keeps the store under its limit: evicts an exited process if it can, else terminates a live one. */
  private makeRoom(): void {
    while (this.store.size >= this.opts.maxProcesses) {
      const victim = chooseEviction(
        [...this.store.values()].map((p) => ({ id: p.meta.processId, lastUsedAt: p.lastUsedAt, exited: p.exit !== null })),
        this.opts.protectedRecent,
      );
      if (!victim) return;
      const proc = this.store.get(victim.id)!;
      // Exited with nothing left running: just forget it. Otherwise its tree is stopped (and accounted for
      // until it is gone).
      if (proc.exit && proc.knownCount === 0) this.forget(proc);
      else void this.startTermination(proc, true);
    }
  }

  private forget(proc: ManagedProcess): void {
    this.store.delete(proc.meta.processId);
    this.ids.release(proc.meta.processId);
    proc.dispose();
    if (proc.log) void this.logs?.remove(proc.log);
    this.writeRegistry();
  }

  /** Walks every tree (one-offs too), so a descendant that is orphaned later is still known to be ours. */
  private async census(): Promise<void> {
    if (this.store.size === 0 && this.oneOffs.size === 0) return;
    const table = await listProcesses();
    const marked = await this.walk([...this.store.values()], table);
    for (const proc of this.oneOffs) proc.refreshMembers(table, marked.get(proc.id));
  }

  /**
   * Walks these trees in one snapshot of the process table, with this run's markers (which it returns, by
   * process id).
   */
  private async walk(procs: readonly ManagedProcess[], table?: readonly ProcStat[]): Promise<Map<string, ProcessIdentity[]>> {
    const snapshot = table ?? (await listProcesses());
    const marked = await this.markers.scan(snapshot);
    for (const proc of procs) proc.refreshMembers(snapshot, marked.get(proc.key));
    return marked;
  }

  private writeRegistry(): void {
    if (this.closed) return;
    this.accounts.update([
      ...this.all().flatMap((p) => registryEntry(p) ?? []),
      ...[...this.oneOffs].flatMap((p) => p.registryEntry() ?? []),
    ]);
  }

  /** Clean shutdown: stop every tree, wait until all are gone, remove the registry file. Logs are kept. */
  async shutdown(): Promise<TerminateResult[]> {
    const results = await this.endAll(false);
    const oneOffs = await Promise.all([...this.oneOffs].map((p) => p.terminate()));
    // Members of trees that were forgotten while they ran on, out of sight (setsid and orphaned).
    const rest = await endMarked(ofRun(this.runId), this.opts.graceMs);
    this.closed = true;
    this.monitor.stop();
    await this.logs?.closeAll();
    const survivors =
      results.reduce((n, r) => n + r.survivors.length, 0) +
      oneOffs.reduce((n, t) => n + t.survivors.length, 0) +
      (rest?.survivors.length ?? 0);
    this.accounts.close(survivors === 0);
    return results;
  }

  /**
   * Last resort for exit handlers (no event loop): SIGTERM every tree, a short synchronous wait, SIGKILL what
   * is left. Returns the processes that could not be ended.
   */
  shutdownSync(graceMs = 200): ProcessIdentity[] {
    const survivors = terminateTreesSync(
      [...this.all(), ...this.oneOffs].map((p) => p.treeTarget()),
      graceMs,
      ofRun(this.runId),
    );
    this.closed = true;
    this.monitor.stop();
    // Logs are kept as they are: what was still queued for them is lost with the event loop.
    // With survivors the guardian, whose pipe closes without a bye, goes on ending them.
    this.accounts.close(survivors.length === 0);
    return survivors;
  }
}
