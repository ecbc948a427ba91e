// The in-process manager of every command corral runs: start with a foreground window, background on timeout,
// write/poll/resize, list with live figures, and terminate whole trees, verified against the OS.
import { statSync } from 'node:fs';
import { spawnPipe } from './child-pipe.js';
import { spawnPty } from './child-pty.js';
import type { ChildHandle, SpawnSpec } from './child.js';
import { type EnvOverrides, type EnvProfile, buildEnv } from './env-profile.js';
import { DEFAULT_OUTPUT_CAPACITY } from './head-tail-buffer.js';
import { DEFAULT_SCROLLBACK } from './headless-screen.js';
import { type ExitInfo, ManagedProcess, type ProcessStatus } from './managed-process.js';
import { OneOffInputError, OneOffProcess, type OneOffRequest } from './one-off.js';
import { type Page, paginate } from './pagination.js';
import { listProcesses, readProcStatSync, signalGroupIfOurs, type ProcessIdentity } from './proc.js';
import { ProcessIdAllocator } from './process-ids.js';
import { MAX_STORED_PROCESSES, PROTECTED_RECENT, chooseEviction } from './pruning.js';
import { ProcessRegistryFile, type RegistryEntry } from './registry-file.js';
import { shellInvocation, userShell } from './shell.js';
import { compareKeys } from './short-id.js';
import { type EndedBy, DEFAULT_GRACE_MS, terminateTree, terminateTreesSync } from './terminate-tree.js';
import { treeUsage } from './tree-usage.js';
import { TypedEmitter } from './typed-emitter.js';

export const DEFAULT_YIELD_MS = 10_000;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;
export const MIN_POLL_MS = 5_000;
export const MAX_POLL_MS = 300_000;
export const DEFAULT_ROWS = 24;
export const DEFAULT_COLS = 80;
const CENSUS_INTERVAL_MS = 2_000;

export interface ExecRequest {
  command: string;
  /** The transcript item that started this process. */
  itemId?: string;
  cwd?: string;
  env?: EnvOverrides;
  profile?: EnvProfile;
  tty?: boolean;
  rows?: number;
  cols?: number;
  /** Run the shell as a login shell (`-lc`); default true. */
  login?: boolean;
  /** The shell to run the command with; default the user's. */
  shell?: string;
  /** Pipes only: keep stdin open for `write`. */
  keepStdinOpen?: boolean;
  /** How long to wait for the process to finish before it continues in the background. */
  yieldMs?: number;
  /** Aborting ends the foreground wait at once; the process keeps running in the background. */
  background?: AbortSignal;
}

export interface ExecResult {
  processId: string;
  status: ProcessStatus;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Output since the previous drain (head and tail, with the omitted middle marked). */
  output: string;
  omittedBytes: number;
  wallTimeMs: number;
}

export interface WriteRequest {
  processId: string;
  /** Bytes to send; empty means poll. */
  data?: string;
  closeStdin?: boolean;
  yieldMs?: number;
}

export interface ProcessRecord {
  itemId: string;
  processId: string;
  command: string;
  cwd: string;
  osPid: number | null;
  cpuPercent: number | null;
  rssKb: number | null;
  startedAt: number;
  lastOutputAt: number | null;
  status: ProcessStatus;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  tty: boolean;
  /** Live processes of its tree (after the leader exited, descendants may still run). */
  liveProcesses: number;
  /** Being terminated right now (within its grace period); still listed because it is still there. */
  stopping: boolean;
}

export interface TerminateResult {
  processId: string;
  itemId: string;
  command: string;
  /** True when the tree was running and no process of it is left. */
  terminated: boolean;
  wasRunning: boolean;
  endedBy: EndedBy;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** OS pids that could not be ended (empty on success). */
  survivors: number[];
}

export interface ExecEvents {
  started: {
    processId: string;
    itemId: string;
    command: string;
    cwd: string;
    osPid: number;
    tty: boolean;
    startedAt: number;
  };
  output: { processId: string; itemId: string; chunk: Buffer };
  exited: { processId: string; itemId: string; exitCode: number; signal: NodeJS.Signals | null; durationMs: number };
  terminated: TerminateResult;
}

export interface ProcessManagerOptions {
  maxProcesses?: number;
  protectedRecent?: number;
  graceMs?: number;
  outputCapacity?: number;
  scrollback?: number;
  /** corral home for the registry file; null disables the file. */
  home?: string | null;
  shell?: string;
}

export class UnknownProcessError extends Error {
  constructor(processId: string) {
    super(`unknown process id: ${processId}`);
    this.name = 'UnknownProcessError';
  }
}

export class ExecInputError extends Error {
  override name = 'ExecInputError';
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export class ProcessManager {
  readonly events = new TypedEmitter<ExecEvents>();
  private readonly store = new Map<number, ManagedProcess>();
  /** Trees being terminated: no longer listed, still accounted for until they are gone. */
  private readonly terminating = new Map<number, { proc: ManagedProcess; done: Promise<TerminateResult> }>();
  private readonly ids = new ProcessIdAllocator();
  /** command/exec's processes (one-off.ts): not listed or numbered, but in the registry file and shut down. */
  private readonly oneOffs = new Set<OneOffProcess>();
  private readonly registry: ProcessRegistryFile | null;
  private readonly census: NodeJS.Timeout;
  private readonly opts: Required<Omit<ProcessManagerOptions, 'home'>>;
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
    this.registry = options.home ? new ProcessRegistryFile(options.home) : null;
    // Walk the trees now and then, so a descendant that is orphaned later is still known to be ours.
    this.census = setInterval(() => void this.refreshTrees(), CENSUS_INTERVAL_MS);
    this.census.unref();
  }

  get graceMs(): number {
    return this.opts.graceMs;
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (this.closed) throw new ExecInputError('the process manager is shut down');
    const started = Date.now();
    const cwd = req.cwd ?? process.cwd();
    if (!isDirectory(cwd)) throw new ExecInputError(`working directory does not exist: ${cwd}`);
    this.makeRoom();

    const processId = this.ids.allocate();
    const { file, args } = shellInvocation(req.command, req.login ?? true, req.shell ?? this.opts.shell);
    const spec: SpawnSpec = { file, args, cwd, env: buildEnv(req.profile ?? 'agent', req.env) };
    const rows = req.rows ?? DEFAULT_ROWS;
    const cols = req.cols ?? DEFAULT_COLS;
    let child: ChildHandle;
    try {
      child = req.tty ? spawnPty(spec, { rows, cols }) : spawnPipe(spec, req.keepStdinOpen ?? false);
    } catch (err) {
      this.ids.release(processId);
      throw new ExecInputError(`could not start the command: ${(err as Error).message}`);
    }
    const key = String(processId);
    const itemId = req.itemId ?? `exec-${key}`;
    const proc = new ManagedProcess(
      {
        processId,
        itemId,
        command: req.command,
        cwd,
        tty: child.tty,
        startedAt: started,
        osPid: child.pid,
        osStartTime: readProcStatSync(child.pid)?.startTime ?? null,
      },
      child,
      { outputCapacity: this.opts.outputCapacity, cols, rows, scrollback: this.opts.scrollback },
      (chunk) => this.events.emit('output', { processId: key, itemId, chunk }),
    );
    this.store.set(processId, proc);
    void proc.exited.then((exit) => this.onExit(proc, exit));
    this.writeRegistry();
    this.events.emit('started', {
      processId: key,
      itemId,
      command: req.command,
      cwd,
      osPid: child.pid,
      tty: child.tty,
      startedAt: started,
    });

    const window = clamp(req.yieldMs ?? DEFAULT_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
    await waitExitOrAbort(proc, window, req.background);
    return this.collect(proc, started);
  }

  /** Spawns an argv outside the store; it stays accounted for until its owner disposes of it. */
  spawnOneOff(req: OneOffRequest): OneOffProcess {
    if (this.closed) throw new OneOffInputError('the process manager is shut down');
    const proc = new OneOffProcess(req, this.opts.graceMs, (p) => this.oneOffs.delete(p) && this.writeRegistry());
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
    const window =
      data === ''
        ? clamp(req.yieldMs ?? MIN_POLL_MS, MIN_POLL_MS, MAX_POLL_MS)
        : clamp(req.yieldMs ?? MIN_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
    await waitExitOrAbort(proc, window);
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
      const live = await proc.members();
      if (live.length === 0) this.forget(proc);
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
      const exit = proc.exit;
      const result: TerminateResult = {
        processId: proc.key,
        itemId: proc.meta.itemId,
        command: proc.meta.command,
        terminated: t.wasRunning && t.survivors.length === 0,
        wasRunning: t.wasRunning,
        endedBy: t.endedBy,
        exitCode: exit?.exitCode ?? null,
        signal: exit?.signal ?? null,
        durationMs: t.durationMs,
        survivors: t.survivors.map((s) => s.pid),
      };
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
    const table = await listProcesses();
    const data = await Promise.all(
      page.data.map(async (proc) => {
        const members = proc.refreshMembers(table);
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
    const exit = proc.exit;
    return {
      itemId: proc.meta.itemId,
      processId: proc.key,
      command: proc.meta.command,
      cwd: proc.meta.cwd,
      osPid: proc.meta.osPid,
      cpuPercent,
      rssKb,
      startedAt: proc.meta.startedAt,
      lastOutputAt: proc.lastOutputAt,
      status: proc.status,
      exitCode: exit?.exitCode ?? null,
      signal: exit?.signal ?? null,
      tty: proc.meta.tty,
      liveProcesses: live,
      stopping: this.terminating.has(proc.meta.processId),
    };
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
    for (const proc of [...this.store.values(), ...this.oneOffs]) proc.refreshMembers(table);
  }

  private writeRegistry(): void {
    if (!this.registry || this.closed) return;
    const entries: RegistryEntry[] = [];
    for (const proc of this.all()) {
      if (proc.meta.osStartTime === null) continue;
      entries.push({
        processId: proc.key,
        osPid: proc.meta.osPid,
        startTime: proc.meta.osStartTime,
        command: proc.meta.command,
        cwd: proc.meta.cwd,
      });
    }
    entries.push(...[...this.oneOffs].flatMap((p) => p.registryEntry() ?? []));
    this.registry.write(entries);
  }

  /** Clean shutdown: stop every tree, wait until all are gone, remove the registry file. */
  async shutdown(): Promise<TerminateResult[]> {
    const results = await this.terminateAll();
    await Promise.all([...this.oneOffs].map((p) => p.terminate()));
    this.closed = true;
    clearInterval(this.census);
    this.registry?.remove();
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
    );
    this.closed = true;
    clearInterval(this.census);
    if (survivors.length === 0) this.registry?.remove();
    return survivors;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function waitExitOrAbort(proc: ManagedProcess, ms: number, signal?: AbortSignal): Promise<unknown> {
  if (!signal) return proc.waitExit(ms);
  if (signal.aborted) return Promise.resolve();
  return Promise.race([proc.waitExit(ms), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
}

function dedupe(results: TerminateResult[]): TerminateResult[] {
  const seen = new Map<string, TerminateResult>();
  for (const r of results) seen.set(r.processId, r);
  return [...seen.values()];
}
