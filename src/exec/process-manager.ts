// The in-process manager of every command corral runs: start with a foreground window, background on timeout,
// write/poll/resize, list with live figures, and terminate whole trees, verified against the OS. Every tree is
// accounted for in the registry file and with the guardian (run-accounts.ts) until it is gone.
import { endMarked } from './detached-target.js';
import { defaultGuardianScript } from './guardian-link.js';
import { DEFAULT_OUTPUT_CAPACITY } from './head-tail-buffer.js';
import { DEFAULT_SCROLLBACK } from './headless-screen.js';
import { isDirectory } from './is-directory.js';
import { type LeftoverProcess, type LeftoverStop, listLeftovers, stopLeftover } from './leftovers.js';
import type { ExitInfo, ManagedProcess } from './managed-process.js';
import { markerValue, ofRun } from './marker.js';
import { OneOffInputError, OneOffProcess, type OneOffRequest } from './one-off.js';
import { type Page, paginate } from './pagination.js';
import { type ProcStat, type ProcessIdentity, listProcesses, signalGroupIfOurs } from './proc.js';
import { ProcessIdAllocator } from './process-ids.js';
import { toRecord, toTerminateResult } from './process-record.js';
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
import { MAX_STORED_PROCESSES, PROTECTED_RECENT, chooseEviction } from './pruning.js';
import type { RegistryEntry } from './registry-file.js';
import { RunAccounts } from './run-accounts.js';
import { RunMarkers } from './run-markers.js';
import { userShell } from './shell.js';
import { compareKeys } from './short-id.js';
import { spawnManaged } from './spawn-managed.js';
import { DEFAULT_GRACE_MS, terminateTree, terminateTreesSync } from './terminate-tree.js';
import { treeUsage } from './tree-usage.js';
import { TypedEmitter } from './typed-emitter.js';
import { execWindow, waitExitOrAbort, writeWindow } from './yield-window.js';

export * from './process-types.js';

const CENSUS_INTERVAL_MS = 2_000;

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
  private readonly census: NodeJS.Timeout;
  private readonly opts: Required<Omit<ProcessManagerOptions, 'home' | 'guardian'>>;
  private closed = false;

  constructor(options: ProcessManagerOptions = {}) {
    this.opts = {
      maxProcesses: options.maxProcesses ?? MAX_STORED_PROCESSES,
      protectedRecent: options.protectedRecent ?? PROTECTED_RECENT,
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      outputCapacity: options.outputCapacity ?? DEFAULT_OUTPUT_CAPACITY,
      scrollback: options.scrollback ?? DEFAULT_SCROLLBACK,
      shell: options.shell ?? userShell(),
    };
    this.home = options.home ?? null;
    this.accounts = new RunAccounts({
      home: this.home,
      guardianScript: options.guardian === undefined ? defaultGuardianScript() : options.guardian,
      graceMs: this.opts.graceMs,
    });
    this.markers = new RunMarkers(this.accounts.runId);
    // Walk the trees now and then, so a descendant that is orphaned later is still known to be ours.
    this.census = setInterval(() => void this.refreshTrees(), CENSUS_INTERVAL_MS);
    this.census.unref();
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
        onOutput: (chunk) => this.events.emit('output', { processId: key, itemId, chunk }),
      });
    } catch (err) {
      this.ids.release(processId);
      throw err;
    }
    this.store.set(processId, proc);
    void proc.exited.then((exit) => this.onExit(proc, exit));
    this.writeRegistry();
    this.events.emit('started', {
      processId: key,
      itemId,
      command: req.command,
      cwd,
      osPid: proc.meta.osPid,
      tty: proc.meta.tty,
      startedAt: started,
    });

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
    if (data !== '') this.sendInput(proc, data);
    if (req.closeStdin) proc.child.closeStdin();
    await waitExitOrAbort(proc, writeWindow(req.yieldMs, data === ''));
    return this.collect(proc, started);
  }

  /** Sends input without waiting for output (`\u0003` to a pipe process with stdin closed is SIGINT). */
  send(processId: string, data: string): void {
    const proc = this.require(processId);
    proc.lastUsedAt = Date.now();
    this.sendInput(proc, data);
  }

  private sendInput(proc: ManagedProcess, data: string): void {
    const { child } = proc;
    if (proc.exit) throw new ExecInputError(`process ${proc.key} has exited; it takes no more input`);
    if (child.tty || child.stdinOpen) {
      child.write(data);
      return;
    }
    if (data === '\u0003') {
      if (proc.leader) signalGroupIfOurs(proc.leader, 'SIGINT');
      return;
    }
    throw new ExecInputError(
      `process ${proc.key} runs on pipes with stdin closed, so it cannot take input; rerun it with tty: true to interact with it`,
    );
  }

  resize(processId: string, cols: number, rows: number): void {
    const proc = this.require(processId);
    if (!proc.child.tty) throw new ExecInputError(`process ${processId} has no terminal to resize (it runs on pipes)`);
    proc.lastUsedAt = Date.now();
    proc.child.resize(cols, rows);
    proc.screen.resize(cols, rows);
  }

  /** Drains output; a call that observes the exit removes the record, unless part of its tree still runs. */
  private async collect(proc: ManagedProcess, started: number): Promise<ExecResult> {
    const drained = proc.drain();
    const exit = proc.exit;
    if (exit && this.store.get(proc.meta.processId) === proc) {
      await this.walk([proc]);
      if (proc.knownCount === 0) this.forget(proc);
    }
    return {
      processId: proc.key,
      status: exit ? 'exited' : 'running',
      exitCode: exit?.exitCode ?? null,
      signal: exit?.signal ?? null,
      output: drained.bytes.toString('utf8'),
      omittedBytes: drained.omittedBytes,
      wallTimeMs: Date.now() - started,
    };
  }

  private onExit(proc: ManagedProcess, exit: ExitInfo): void {
    this.events.emit('exited', {
      processId: proc.key,
      itemId: proc.meta.itemId,
      exitCode: exit.exitCode,
      signal: exit.signal,
      durationMs: exit.durationMs,
    });
    this.writeRegistry();
  }

  /** Stops one process tree. Unknown (or already being stopped) ids give false. */
  terminate(processId: string): Promise<TerminateResult | false> {
    const id = Number(processId);
    const proc = this.store.get(id);
    if (!proc || String(id) !== processId) return Promise.resolve(false);
    return this.startTermination(proc);
  }

  private startTermination(proc: ManagedProcess): Promise<TerminateResult> {
    const id = proc.meta.processId;
    this.store.delete(id);
    const done = terminateTree(proc.treeTarget(), this.opts.graceMs).then((t) => {
      const result = toTerminateResult(proc, t);
      this.terminating.delete(id);
      this.ids.release(id);
      proc.dispose();
      this.writeRegistry();
      this.events.emit('terminated', result);
      return result;
    });
    this.terminating.set(id, { proc, done });
    this.writeRegistry();
    return done;
  }

  /** Stops every process tree, in parallel. */
  async terminateAll(): Promise<TerminateResult[]> {
    const started = [...this.store.values()].map((p) => this.startTermination(p));
    const pending = [...this.terminating.values()].map((t) => t.done);
    const results = await Promise.all([...started, ...pending]);
    return dedupe(results).sort((a, b) => compareKeys(a.processId, b.processId));
  }


  /** Every process still accounted for: stored ones and those being terminated. */
  private all(): ManagedProcess[] {
    return [...this.store.values(), ...[...this.terminating.values()].map((t) => t.proc)];
  }

  /** One page of records, sorted by numeric id, with CPU and memory summed over each tree. */
  async list(opts: { cursor?: string | null; limit?: number | null } = {}): Promise<Page<ProcessRecord>> {
    const page = paginate(this.all(), (p) => p.meta.processId, opts.cursor, opts.limit);
    await this.walk(page.data);
    const data = await Promise.all(
      page.data.map(async (proc) => {
        const members = proc.members();
        const usage = await treeUsage(members);
        return this.record(proc, members.length, usage?.cpuPercent ?? null, usage?.rssKb ?? null);
      }),
    );
    return { data, nextCursor: page.nextCursor };
  }

  /** The record without live figures: cheap, synchronous. */
  info(processId: string): ProcessRecord | undefined {
    const proc = this.get(processId);
    return proc ? this.record(proc, proc.knownCount, null, null) : undefined;
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

  private record(proc: ManagedProcess, live: number, cpuPercent: number | null, rssKb: number | null): ProcessRecord {
    return toRecord(proc, live, this.terminating.has(proc.meta.processId), cpuPercent, rssKb);
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
      else void this.startTermination(proc);
    }
  }

  private forget(proc: ManagedProcess): void {
    this.store.delete(proc.meta.processId);
    this.ids.release(proc.meta.processId);
    proc.dispose();
    this.writeRegistry();
  }

  private async refreshTrees(): Promise<void> {
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
    const entries: RegistryEntry[] = [];
    for (const proc of this.all()) {
      if (proc.meta.osStartTime === null) continue;
      entries.push({
        processId: proc.key,
        osPid: proc.meta.osPid,
        startTime: proc.meta.osStartTime,
        command: proc.meta.command,
        cwd: proc.meta.cwd,
        marker: proc.meta.marker,
      });
    }
    entries.push(...[...this.oneOffs].flatMap((p) => p.registryEntry() ?? []));
    this.accounts.update(entries);
  }

  /** Clean shutdown: stop every tree, wait until all are gone, remove the registry file. */
  async shutdown(): Promise<TerminateResult[]> {
    const results = await this.terminateAll();
    const oneOffs = await Promise.all([...this.oneOffs].map((p) => p.terminate()));
    // Members of trees that were forgotten while they ran on, out of sight (setsid and orphaned).
    const rest = await endMarked(ofRun(this.runId), this.opts.graceMs);
    this.closed = true;
    clearInterval(this.census);
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
    clearInterval(this.census);
    // With survivors the guardian, whose pipe closes without a bye, goes on ending them.
    this.accounts.close(survivors.length === 0);
    return survivors;
  }
}

function dedupe(results: TerminateResult[]): TerminateResult[] {
  const seen = new Map<string, TerminateResult>();
  for (const r of results) seen.set(r.processId, r);
  return [...seen.values()];
}
