// The app-server methods, implemented on the core session, and the core's events turned into notifications.
import { UnknownThreadError, type CorralSession } from '../core/session.js';
import { TerminalNameError } from '../core/terminals/names.js';
import { InvalidCursorError } from '../exec/index.js';
import { type ServerInfo, createAgentHandlers, threadToWire } from './agent-handlers.js';
import { INVALID_PARAMS, INVALID_REQUEST, ProtocolError } from './errors.js';
import { createTerminalHandlers } from './terminal-handlers.js';
import type { NotificationMethod, NotificationParams, Params, RequestMethod, Result } from './shapes.js';

export type Handlers = { [M in RequestMethod]: (params: Params<M>) => Promise<Result<M>> };

const DEFAULT_SIZE = { rows: 24, cols: 80 };

/** Maps core failures to protocol errors; anything else stays an internal error. */
async function guard<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UnknownThreadError) throw new ProtocolError(INVALID_REQUEST, err.message);
    if (err instanceof InvalidCursorError || err instanceof TerminalNameError) throw new ProtocolError(INVALID_PARAMS, err.message);
    throw err;
  }
}

export function createHandlers(session: CorralSession, server: ServerInfo): Handlers {
  const terminate = (p: Params<'thread/backgroundTerminals/terminate'>) =>
    guard(async () => {
      const r = await session.terminals.terminate(p.threadId, p.processId);
      return r === false ? { terminated: false, report: null } : { terminated: r.terminated, report: r };
    });
  const agent = createAgentHandlers(session, server);
  const wrap =
    <P, R>(fn: (p: P) => Promise<R>) =>
    (p: P) =>
      guard(() => fn(p));
  return {
    'thread/start': wrap(agent['thread/start']),
    'thread/resume': wrap(agent['thread/resume']),
    'thread/read': wrap(agent['thread/read']),
    'thread/list': wrap(agent['thread/list']),
    'turn/start': wrap(agent['turn/start']),
    'turn/interrupt': wrap(agent['turn/interrupt']),
    'thread/shellCommand': (p) => guard(() => session.runShellCommand(p.threadId, p.command, p.size ?? DEFAULT_SIZE)),
    'thread/shellCommand/background': (p) =>
      guard(() => ({ backgrounded: session.backgroundShellCommand(p.threadId, p.itemId) })),
    'thread/shellCommand/interrupt': (p) =>
      guard(() => ({ interrupted: session.interruptShellCommand(p.threadId, p.itemId) })),
    'thread/terminals/resize': (p) =>
      guard(() => {
        session.resizeTerminals(p.threadId, p.size.cols, p.size.rows);
        return {};
      }),
    'thread/backgroundTerminals/list': (p) =>
      guard(async () => {
        const page = await session.terminals.list(p.threadId, p.cursor, p.limit);
        return {
          nextCursor: page.nextCursor,
          data: page.data.map((r) => ({
            itemId: r.itemId,
            processId: r.processId,
            command: r.command,
            cwd: r.cwd,
            osPid: r.osPid,
            cpuPercent: r.cpuPercent,
            rssKb: r.rssKb,
            status: r.status,
            exitCode: r.exitCode,
            signal: r.signal,
            startedAtMs: r.startedAt,
            lastOutputAtMs: r.lastOutputAt,
            liveProcesses: r.liveProcesses,
            stopping: r.stopping,
            tty: r.tty,
            recentLines: r.recentLines,
            name: r.name,
            ports: r.ports,
            url: r.url,
            waitingForInput: r.waitingForInput,
            logPath: r.logPath,
          })),
        };
      }),
    'thread/backgroundTerminals/terminate': terminate,
    'thread/backgroundTerminals/stop': terminate,
    'thread/backgroundTerminals/clean': (p) =>
      guard(async () => ({ reports: await session.terminals.clean(p.threadId) })),
    'thread/backgroundTerminals/name': (p) => guard(() => ({ named: session.terminals.setName(p.threadId, p.processId, p.name) })),
    'thread/backgroundTerminals/restart': (p) =>
      guard(async () => {
        const r = await session.terminals.restart(p.threadId, p.processId);
        if (r === false) return { restarted: false, report: null, processId: null, itemId: null, error: null };
        return {
          restarted: r.started !== null && r.error === null,
          report: r.stopped,
          processId: r.started?.processId ?? null,
          itemId: r.started?.itemId ?? null,
          error: r.error,
        };
      }),
    'corral/leftovers/list': () =>
      guard(() => ({
        data: session.manager.leftovers().map((l) => ({
          osPid: l.osPid,
          command: l.command,
          cwd: l.cwd,
          startedAtMs: l.startedAtMs,
          hostPid: l.hostPid,
        })),
      })),
    'corral/leftovers/stop': (p) => guard(async () => ({ report: await session.manager.stopLeftover(p.osPid) })),
    ...createTerminalHandlers(session),
  };
}

export type Notify = <N extends NotificationMethod>(method: N, params: NotificationParams<N>) => void;

/**
 * Forwards the session's events as notifications. Output deltas are only built when somebody listens for
 * them (`wants`): a flood produces tens of thousands a second.
 */
export function bridgeNotifications(
  session: CorralSession,
  notify: Notify,
  wants: (m: NotificationMethod) => boolean,
  server: ServerInfo,
): () => void {
  const e = session.events;
  const offs = [
    e.on('threadStarted', (p) => notify('thread/started', { thread: threadToWire(p.thread, [], server) })),
    e.on('itemStarted', (p) => notify('item/started', p)),
    e.on('itemCompleted', (p) => notify('item/completed', p)),
    e.on(
      'commandOutput',
      (p) =>
        notify('item/commandExecution/outputDelta', {
          threadId: p.threadId,
          turnId: p.turnId,
          itemId: p.itemId,
          delta: p.chunk.toString('utf8'),
        }),
      // Nobody taking deltas (the TUI draws screens): the process manager does not cut them at all.
      () => wants('item/commandExecution/outputDelta'),
    ),
    e.on('terminalSnapshot', (p) => notify('item/commandExecution/terminal', p)),
    e.on('commandBackgrounded', (p) => notify('item/commandExecution/backgrounded', p)),
    e.on('backgroundTerminalsChanged', (p) => notify('thread/backgroundTerminals/changed', p)),
    e.on('terminalNotice', (p) => notify('thread/backgroundTerminals/notice', p)),
  ];
  return () => offs.forEach((off) => off());
}
