// A one-off command (the app-server's command/exec): an argv run without a shell, on pipes with stdout and
// stderr kept apart or under a PTY, in its own session. Its tree is followed and ended like a managed
// command's; the manager lists it in the registry file and ends it at shutdown until it is disposed.
import { spawnPipe } from './child-pipe.js';
import { type PtySize, spawnPty } from './child-pty.js';
import type { ChildHandle, OutputStream, SpawnSpec } from './child.js';
import { isDirectory } from './is-directory.js';
import { type EnvOverrides, type EnvProfile, buildEnv } from './env-profile.js';
import { withMarker } from './marker.js';
import { type ProcStat, type ProcessIdentity, readProcStatSync } from './proc.js';
import { TrackedTree } from './process-tree.js';
import type { RegistryEntry } from './registry-file.js';
import { exitCodeForSignal } from './signals.js';
import { type TreeTarget, type TreeTermination, terminateTree } from './terminate-tree.js';

export type { OutputStream } from './child.js';

export interface OneOffRequest {
  /** Program and arguments; the program is looked up on the environment's PATH. */
  argv: string[];
  /** Absolute; default the host's cwd. */
  cwd?: string;
  env?: EnvOverrides;
  /** Default `user` under a PTY (colours, a capable TERM), `agent` on pipes. */
  profile?: EnvProfile;
  tty?: boolean;
  /** PTY only; default 80x24. */
  size?: PtySize;
  /** Pipes only: keep stdin open for `write` (a PTY always takes input). */
  stdin?: boolean;
}

export interface OneOffExit {
  /** 128 + N when ended by signal N, as a shell reports it. */
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export class OneOffInputError extends Error {
  override name = 'OneOffInputError';
}

export class OneOffProcess {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly pid: number;
  readonly tty: boolean;
  readonly exited: Promise<OneOffExit>;
  exit: OneOffExit | null = null;
  private readonly child: ChildHandle;
  private readonly tree: TrackedTree;
  private termination: Promise<TreeTermination> | null = null;
  private disposed = false;

  /**
   * Spawns at once (synchronously); throws OneOffInputError when it cannot start. `id` names it in the registry
   * file and in its marker (`<runId>:<id>`).
   */
  constructor(
    req: OneOffRequest,
    readonly id: string,
    private readonly marker: string,
    private readonly graceMs: number,
    private readonly onDispose: (p: OneOffProcess) => void,
  ) {
    const { argv } = req;
    const cwd = req.cwd ?? process.cwd();
    this.argv = [...argv];
    this.cwd = cwd;
    if (argv.length === 0 || argv[0] === '') throw new OneOffInputError('the command must name a program');
    if (!isDirectory(cwd)) throw new OneOffInputError(`working directory does not exist: ${cwd}`);
    const tty = req.tty ?? false;
    const spec: SpawnSpec = {
      file: argv[0]!,
      args: argv.slice(1),
      cwd,
      env: withMarker(buildEnv(req.profile ?? (tty ? 'user' : 'agent'), req.env ?? {}), marker),
    };
    let child: ChildHandle;
    try {
      child = tty ? spawnPty(spec, req.size ?? { cols: 80, rows: 24 }) : spawnPipe(spec, req.stdin ?? false);
    } catch (err) {
      throw new OneOffInputError(`could not start ${argv[0]}: ${(err as Error).message}`);
    }
    this.child = child;
    this.pid = child.pid;
    this.tty = child.tty;
    const startTime = readProcStatSync(child.pid)?.startTime;
    this.tree = new TrackedTree(startTime === undefined ? null : { pid: child.pid, startTime });
    this.exited = new Promise((resolve) => {
      child.onExit(({ exitCode, signal }) => {
        this.exit = { exitCode: signal ? exitCodeForSignal(signal) : (exitCode ?? 0), signal };
        resolve(this.exit);
      });
    });
  }

  /** Output in arrival order; a PTY's is all `stdout`. Every byte written before exit arrives before `exited`. */
  onOutput(listener: (chunk: Buffer, stream: OutputStream) => void): void {
    this.child.onData(listener);
  }

  write(data: Buffer): void {
    if (this.exit) throw new OneOffInputError('the process has exited; it takes no more input');
    if (!this.child.stdinOpen) throw new OneOffInputError('stdin is closed');
    this.child.write(data);
  }

  /** Pipes: end of input. A PTY gets ^D, as a person would type it. */
  closeStdin(): void {
    if (this.exit === null) this.child.closeStdin();
  }

  resize(cols: number, rows: number): void {
    if (!this.tty) throw new OneOffInputError('the process runs on pipes: it has no terminal to resize');
    this.child.resize(cols, rows);
  }

  /** Backpressure: stop reading its output (it blocks once the kernel's buffer is full) until `resume`. */
  pause(): void {
    this.child.pause();
  }

  resume(): void {
    this.child.resume();
  }

  /** The tree's live members in a snapshot of the process table (see TrackedTree). */
  refreshMembers(table: readonly ProcStat[], marked?: readonly ProcessIdentity[]): void {
    this.tree.refresh(table, marked);
  }

  treeTarget(): TreeTarget {
    return {
      leader: this.tree.leader,
      known: () => this.tree.members(),
      leaderExited: () => this.exit !== null,
      waitLeaderExit: (ms) => waitFor(this.exited, ms),
      leaderSignal: () => this.exit?.signal ?? null,
      marker: this.marker,
    };
  }

  /**
   * Ends the whole tree (SIGTERM, grace, SIGKILL), verified against the OS; also what is left of it after the
   * leader exited. Concurrent calls share one termination; a later call checks again.
   */
  terminate(): Promise<TreeTermination> {
    this.termination ??= terminateTree(this.treeTarget(), this.graceMs).finally(() => (this.termination = null));
    return this.termination;
  }

  registryEntry(): RegistryEntry | null {
    const leader = this.tree.leader;
    return leader
      ? {
          processId: this.id,
          osPid: this.pid,
          startTime: leader.startTime,
          command: this.argv.join(' '),
          cwd: this.cwd,
          marker: this.marker,
        }
      : null;
  }

  /** Releases descriptors and leaves the manager's accounts; signals nothing (terminate first). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.child.dispose();
    this.onDispose(this);
  }
}

function waitFor(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
