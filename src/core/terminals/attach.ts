// Looking at and typing into one of a thread's processes (a background terminal or a foreground command): its
// screen as laid out, input sent as typed, its terminal resized to the viewer. Used by the attach view of the TUI
// and by app-server clients alike.
import { DEFAULT_SCROLLBACK } from '../../exec/headless-screen.js';
import type { ManagedProcess, ScreenView } from '../../exec/index.js';
import type { CorralSession } from '../session.js';

export class NotThreadProcessError extends Error {
  constructor(threadId: string, processId: string) {
    super(`process ${processId} is not a terminal of thread ${threadId}`);
    this.name = 'NotThreadProcessError';
  }
}

export interface TerminalRead extends ScreenView {
  /** Counts changes to the screen; pass it back as `sinceRevision` to get lines only when it moved on. */
  revision: number;
  /** False when nothing changed since `sinceRevision` (then `lines` is empty). */
  changed: boolean;
  /** Runs under a terminal: takes keys and can be resized. On pipes it is view-only. */
  tty: boolean;
  /** Input can reach it: a terminal, or pipes with stdin still open, and not exited. */
  writable: boolean;
  status: 'running' | 'exited';
  osPid: number | null;
  command: string;
}

function owned(session: CorralSession, threadId: string, processId: string): ManagedProcess {
  const proc = session.ownsProcess(threadId, processId) ? session.manager.get(processId) : undefined;
  if (!proc) throw new NotThreadProcessError(threadId, processId);
  return proc;
}

export function readTerminal(
  session: CorralSession,
  threadId: string,
  processId: string,
  opts: { scrollback?: number; sinceRevision?: number } = {},
): TerminalRead {
  const proc = owned(session, threadId, processId);
  const screen = proc.screen;
  const revision = screen.revision;
  const changed = opts.sinceRevision !== revision;
  const view = changed ? screen.view(Math.min(opts.scrollback ?? 0, DEFAULT_SCROLLBACK)) : screen.view(0, false);
  const running = proc.exit === null;
  return {
    ...view,
    revision,
    changed,
    tty: proc.child.tty,
    writable: running && (proc.child.tty || proc.child.stdinOpen),
    status: running ? 'running' : 'exited',
    osPid: proc.meta.osPid,
    command: proc.meta.command,
  };
}

/** Sends input as typed; a process on pipes with stdin closed, or one that exited, refuses it (ExecInputError). */
export function writeTerminal(session: CorralSession, threadId: string, processId: string, data: string): void {
  owned(session, threadId, processId);
  session.manager.send(processId, data);
}

/** Resizes its terminal (and screen); a process on pipes has none (ExecInputError). */
export function resizeTerminal(session: CorralSession, threadId: string, processId: string, size: { rows: number; cols: number }): void {
  owned(session, threadId, processId);
  session.manager.resize(processId, size.cols, size.rows);
}
