// `/restart`: a verified stop of a background terminal, then the same command in the same cwd, with the same
// environment profile, terminal kind and size, as a new background terminal. Never automatic.
import { randomUUID } from 'node:crypto';
import type { ProcessManager, TerminateResult } from '../../exec/index.js';
import type { CommandRun, CommandRunOptions } from '../command-run.js';

export interface RestartResult {
  stopped: TerminateResult;
  /** The new terminal; null when the old one survived its stop or the command could not start again. */
  started: { processId: string; itemId: string } | null;
  /** Why there is no new terminal. */
  error: string | null;
}

export interface RestartDeps {
  manager: ProcessManager;
  /** Creates the command's run in the thread (not started). */
  launch(opts: CommandRunOptions): CommandRun;
}

/** Restarts `run` (whose process is `processId`); false when it is not stoppable (already being stopped). */
export async function restartRun(deps: RestartDeps, run: CommandRun, processId: string): Promise<RestartResult | false> {
  const screen = deps.manager.get(processId)?.screen;
  const size = screen ? { rows: screen.rows, cols: screen.cols } : { rows: run.opts.rows, cols: run.opts.cols };
  run.markStopped();
  const stopped = await deps.manager.terminate(processId);
  if (stopped === false) return false;
  if (stopped.survivors.length > 0) {
    // Starting it again next to a survivor would leave two of it (and the second would likely fail on its port).
    const n = stopped.survivors.length;
    return { stopped, started: null, error: `${n} process${n === 1 ? '' : 'es'} of it survived the stop (pid ${stopped.survivors.join(', ')}), so it was not started again` };
  }
  const { duplicateOf: _, ...opts } = run.opts;
  const next = deps.launch({ ...opts, ...size, threadId: run.threadId, turnId: randomUUID(), itemId: randomUUID(), restartOf: processId });
  // Straight to the background: a restarted server has no foreground window.
  next.moveToBackground();
  const result = await next.run();
  if (!result) return { stopped, started: null, error: `could not start it again: ${next.item.aggregatedOutput?.trim() ?? 'unknown error'}` };
  const started = { processId: result.processId, itemId: next.item.id };
  if (result.status === 'exited') return { stopped, started, error: `it exited at once (${result.signal ?? `exit ${result.exitCode}`})` };
  return { stopped, started, error: null };
}
