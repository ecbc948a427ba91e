// thread/backgroundTerminals/read|write|resize (terminal-shapes.ts), on the core's terminals/attach.ts.
import { UnknownThreadError, type CorralSession } from '../core/session.js';
import { NotThreadProcessError, readTerminal, resizeTerminal, writeTerminal } from '../core/terminals/attach.js';
import { ExecInputError } from '../exec/index.js';
import { INVALID_REQUEST, ProtocolError } from './errors.js';
import type { Params, Result } from './shapes.js';
import type { TerminalRequests } from './terminal-shapes.js';

type TerminalHandlers = { [M in keyof typeof TerminalRequests]: (params: Params<M>) => Promise<Result<M>> };

/** An unknown thread, another thread's process, a pipe that takes no input: the caller's mistake, said plainly. */
async function guard<T>(work: () => T): Promise<T> {
  try {
    return await Promise.resolve(work());
  } catch (err) {
    if (err instanceof UnknownThreadError || err instanceof NotThreadProcessError || err instanceof ExecInputError) {
      throw new ProtocolError(INVALID_REQUEST, err.message);
    }
    throw err;
  }
}

export function createTerminalHandlers(session: CorralSession): TerminalHandlers {
  return {
    'thread/backgroundTerminals/read': (p) =>
      guard(() => readTerminal(session, p.threadId, p.processId, { scrollback: p.scrollback, sinceRevision: p.sinceRevision })),
    'thread/backgroundTerminals/write': (p) =>
      guard(() => {
        writeTerminal(session, p.threadId, p.processId, p.data);
        return {};
      }),
    'thread/backgroundTerminals/resize': (p) =>
      guard(() => {
        resizeTerminal(session, p.threadId, p.processId, p.size);
        return {};
      }),
  };
}
