// The conversation methods (threads and turns) on the core session, and their notifications.
import { NoModelError, TurnInProgressError } from '../core/agent/agent-thread.js';
import type { CorralSession } from '../core/session.js';
import type { SessionEvents, ThreadInfo } from '../core/session-events.js';
import type { Turn } from '../core/turns.js';
import { type ApprovalPolicy, commandPrefix } from '../core/agent/approvals.js';
import { INVALID_REQUEST, ProtocolError } from './errors.js';
import type { Notify } from './handlers.js';
import type { Params, Result, ServerRequestMethod, ServerRequestParams, ServerRequestResult, ThreadData } from './shapes.js';

export interface ServerInfo {
  cliVersion: string;
  /** Who opened the threads: the TUI, `corral exec`, or an app-server client. */
  source: 'cli' | 'exec' | 'appServer';
}

export function threadToWire(info: ThreadInfo, turns: Turn[], server: ServerInfo): ThreadData {
  return {
    id: info.id,
    sessionId: info.id,
    cwd: info.cwd,
    createdAt: Math.floor(info.createdAt / 1000),
    updatedAt: Math.floor(info.updatedAt / 1000),
    preview: info.preview,
    name: null,
    model: info.model,
    modelProvider: info.modelProvider,
    ephemeral: info.ephemeral,
    status: info.status,
    turns,
    cliVersion: server.cliVersion,
    projectId: null,
    source: server.source,
  };
}

const policy = (p: string | null | undefined): ApprovalPolicy | undefined => (p ? (p === 'never' ? 'never' : 'on-request') : undefined);

function requireThread<T>(value: T | null, threadId: string): T {
  if (value === null) throw new ProtocolError(INVALID_REQUEST, `unknown thread: ${threadId}`);
  return value;
}

export function createAgentHandlers(session: CorralSession, server: ServerInfo) {
  const opened = (info: ThreadInfo, turns: Turn[]): Result<'thread/start'> => ({
    thread: threadToWire(info, turns, server),
    model: info.model ?? '',
    modelProvider: info.modelProvider,
    cwd: info.cwd,
    approvalPolicy: session.agent.approvalPolicy,
    approvalsReviewer: 'user',
    sandbox: { type: 'dangerFullAccess' },
  });
  return {
    'thread/start': (p: Params<'thread/start'>) => {
      const info = session.startThread({ cwd: p.cwd ?? undefined, ephemeral: p.ephemeral ?? undefined, inheritTerminalsFrom: p.inheritTerminalsFrom });
      return Promise.resolve(opened(info, []));
    },
    'thread/resume': (p: Params<'thread/resume'>) => {
      const info = requireThread(session.resumeThread(p.threadId), p.threadId);
      if (p.inheritTerminalsFrom && session.isLoaded(p.inheritTerminalsFrom)) session.moveTerminals(p.inheritTerminalsFrom, info.id);
      return Promise.resolve(opened(info, session.readThread(info.id).turns));
    },
    'thread/read': (p: Params<'thread/read'>) => {
      if (session.isLoaded(p.threadId)) {
        const { thread, turns } = session.readThread(p.threadId);
        return Promise.resolve({ thread: threadToWire(thread, p.includeTurns ? turns : [], server) });
      }
      throw new ProtocolError(INVALID_REQUEST, `thread not loaded: ${p.threadId} (resume it first)`);
    },
    'thread/list': (p: Params<'thread/list'>) => {
      const page = session.listStoredThreads({ cursor: p.cursor, limit: p.limit });
      const data = page.data.map((t) => {
        const loaded = session.isLoaded(t.threadId) ? session.readThread(t.threadId).thread : null;
        const info: ThreadInfo = loaded ?? {
          id: t.threadId,
          cwd: t.cwd,
          createdAt: t.createdAt,
          updatedAt: t.updatedAt,
          preview: t.preview,
          model: null,
          modelProvider: 'unknown',
          ephemeral: false,
          status: { type: 'notLoaded' },
        };
        return threadToWire(info, [], server);
      });
      return Promise.resolve({ data, nextCursor: page.nextCursor });
    },
    'turn/start': (p: Params<'turn/start'>) => {
      const text = p.input.map((i) => i.text).join('\n');
      if (text.trim() === '') throw new ProtocolError(INVALID_REQUEST, 'input must not be empty');
      try {
        const turn = session.startTurn(p.threadId, text, { approvalPolicy: policy(p.approvalPolicy) });
        return Promise.resolve({ turn });
      } catch (err) {
        if (err instanceof NoModelError || err instanceof TurnInProgressError) throw new ProtocolError(INVALID_REQUEST, err.message);
        throw err;
      }
    },
    'turn/interrupt': (p: Params<'turn/interrupt'>) => {
      session.interruptTurn(p.threadId, p.turnId);
      return Promise.resolve({});
    },
  };
}

/** Who answers server-to-client requests (the approval prompts). */
export type ServerRequester = <M extends ServerRequestMethod>(method: M, params: ServerRequestParams<M>) => Promise<ServerRequestResult<M>> | null;

/** Forwards the conversation's events; approvals go to the client as requests. */
export function bridgeAgentNotifications(session: CorralSession, notify: Notify, ask: ServerRequester): () => void {
  const e = session.events;
  const pass = <K extends keyof SessionEvents>(event: K, fn: (p: SessionEvents[K]) => void) => e.on(event, fn);
  session.setApprover((req) => {
    const answer = ask('item/commandExecution/requestApproval', {
      threadId: req.threadId,
      turnId: req.turnId,
      itemId: req.itemId,
      approvalId: req.requestId,
      command: req.command,
      cwd: req.cwd,
      reason: req.reason,
      startedAtMs: req.startedAtMs,
      proposedExecpolicyAmendment: commandPrefix(req.command),
    });
    // Null: nobody can answer, and the turn fails with a message that says so.
    return answer ? answer.then((r) => r.decision) : null;
  });
  const offs = [
    pass('threadStatusChanged', (p) => notify('thread/status/changed', p)),
    pass('turnStarted', (p) => notify('turn/started', p)),
    pass('turnCompleted', (p) => notify('turn/completed', p)),
    pass('turnError', (p) => notify('error', p)),
    pass('tokenUsageUpdated', (p) => notify('thread/tokenUsage/updated', p)),
    pass('agentMessageDelta', (p) => notify('item/agentMessage/delta', p)),
    pass('reasoningSummaryPartAdded', (p) => notify('item/reasoning/summaryPartAdded', p)),
    pass('reasoningSummaryTextDelta', (p) => notify('item/reasoning/summaryTextDelta', p)),
    pass('reasoningTextDelta', (p) => notify('item/reasoning/textDelta', p)),
  ];
  return () => {
    session.setApprover(null);
    offs.forEach((off) => off());
  };
}
