// Starts one managed command: the shell invocation, its environment with the run's marker, a PTY or pipes, and the
// record of what was started (pid and start time, read at once for the identity checks).
import { spawnPipe } from './child-pipe.js';
import { spawnPty } from './child-pty.js';
import type { ChildHandle, SpawnSpec } from './child.js';
import { buildEnv } from './env-profile.js';
import { ManagedProcess, type OutputDeltas, type StoredRequest } from './managed-process.js';
import { withMarker } from './marker.js';
import { readProcStatSync } from './proc.js';
import { DEFAULT_COLS, DEFAULT_ROWS, ExecInputError, type ExecRequest } from './process-types.js';
import { shellInvocation } from './shell.js';
import type { TerminalLog } from './terminal-log.js';

export interface SpawnManagedOptions {
  processId: number;
  itemId: string;
  marker: string;
  cwd: string;
  startedAt: number;
  shell: string;
  outputCapacity: number;
  scrollback: number;
  deltas: OutputDeltas;
  log: TerminalLog | null;
}

/** Throws ExecInputError when the command cannot start. */
export function spawnManaged(req: ExecRequest, o: SpawnManagedOptions): ManagedProcess {
  const { file, args } = shellInvocation(req.command, req.login ?? true, req.shell ?? o.shell);
  // ManagedProcess.ingest is the only data listener, and it and what it feeds hold what they keep.
  const spec: SpawnSpec = { file, args, cwd: o.cwd, env: withMarker(buildEnv(req.profile ?? 'agent', req.env), o.marker), leasedOutput: true };
  const rows = req.rows ?? DEFAULT_ROWS;
  const cols = req.cols ?? DEFAULT_COLS;
  let child: ChildHandle;
  try {
    child = req.tty ? spawnPty(spec, { rows, cols }) : spawnPipe(spec, req.keepStdinOpen ?? false);
  } catch (err) {
    throw new ExecInputError(`could not start the command: ${(err as Error).message}`);
  }
  return new ManagedProcess(
    {
      processId: o.processId,
      itemId: o.itemId,
      command: req.command,
      cwd: o.cwd,
      tty: child.tty,
      startedAt: o.startedAt,
      osPid: child.pid,
      osStartTime: readProcStatSync(child.pid)?.startTime ?? null,
      marker: o.marker,
    },
    child,
    {
      outputCapacity: o.outputCapacity,
      cols,
      rows,
      scrollback: o.scrollback,
      request: storedRequest(req, o.cwd),
      log: o.log,
    },
    o.deltas,
  );
}

/** The request without what belonged to the call that made it (its wait and its abort signal). */
function storedRequest(req: ExecRequest, cwd: string): StoredRequest {
  const { background: _background, yieldMs: _yieldMs, ...rest } = req;
  return Object.freeze({ ...rest, cwd });
}
