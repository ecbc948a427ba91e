// The process manager's request, result, record and event types, its limits and its errors.
import type { EndedBy } from './terminate-tree.js';
import type { ProcessStatus } from './managed-process.js';
import type { EnvOverrides, EnvProfile } from './env-profile.js';
import type { LogOptions } from './terminal-logs.js';

export const DEFAULT_YIELD_MS = 10_000;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;
export const MIN_POLL_MS = 5_000;
export const MAX_POLL_MS = 300_000;
export const DEFAULT_ROWS = 24;
export const DEFAULT_COLS = 80;

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
  /** TCP ports its tree listens on, sorted (read from the kernel by `list`; the last scan's in `info`). */
  ports: number[];
  /** The first http(s) URL it printed, from its screen. */
  url: string | null;
  /** A PTY terminal whose foreground program is blocked reading the terminal and that printed nothing for 3 s. */
  waitingForInput: boolean;
  /** The file with its complete output; null when not logged. */
  logPath: string | null;
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
  /** Members that had left the tree (setsid, orphaned) and were found by their marker, and ended. */
  escaped: number;
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
  /** Its tree listens on a port it never listened on before. */
  listening: { processId: string; itemId: string; newPorts: number[]; ports: number[]; url: string | null };
  /** It started or stopped waiting for input. */
  waiting: { processId: string; itemId: string; waiting: boolean };
  /** Terminal logging stopped for this run (said once; the message says why and where). */
  logStopped: { message: string };
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
  /**
   * The guardian's script (guardian-main.ts bundled); default the one built next to this bundle, if any.
   * null: no guardian.
   */
  guardian?: string | null;
  /** Terminal output logs under `<home>/logs/<runId>/` (needs `home`); false: none. */
  logs?: LogOptions | false;
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

