// The app-server's message processor: it reads each client's JSON-RPC messages, enforces the handshake and
// the experimental opt-in, calls the same handlers the in-process client uses, routes each thread's
// notifications to the connections subscribed to it, sends approval requests to one of them, and unloads a
// thread when its last client leaves. Transports (stdio, WebSocket) only move lines.
import { homedir, platform } from 'node:os';
import type { z } from 'zod';
import type { CorralSession } from '../../core/session.js';
import { type ServerInfo, bridgeAgentNotifications } from '../agent-handlers.js';
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, ProtocolError } from '../errors.js';
import { type Handlers, bridgeNotifications, createHandlers } from '../handlers.js';
import { type NotificationMethod, type RequestMethod, Requests, ServerRequests, type ServerRequestMethod } from '../shapes.js';
import { Connection, type Transport } from './connection.js';
import { type Incoming, parseMessage } from './jsonrpc.js';
import { EXPERIMENTAL_METHODS, type ServerMethod, ServerMethods } from './server-shapes.js';

/** The extra handlers a server may carry (command/exec), given the calling connection. */
export type ConnectionHandlers = Record<string, (conn: Connection, params: unknown) => Promise<unknown>>;

export interface AppServerOptions extends ServerInfo {
  /** $CORRAL_HOME, reported at initialize. */
  home: string;
  extra?: { methods: ConnectionHandlers; params: Record<string, z.ZodType>; closeConnection: (id: string) => Promise<void> };
}

function describeIssues(method: string, issues: { path: PropertyKey[]; message: string }[]): string {
  return `invalid params for ${method}: ${issues.map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`).join('; ')}`;
}

export class AppServer {
  private readonly conns = new Set<Connection>();
  private readonly handlers: Handlers;
  private readonly closing = new Set<string>();
  private readonly offs: (() => void)[];

  constructor(
    private readonly session: CorralSession,
    private readonly opts: AppServerOptions,
  ) {
    this.handlers = createHandlers(session, opts);
    const notify = (method: NotificationMethod, params: unknown): void => this.route(method, params);
    this.offs = [
      bridgeNotifications(session, notify, () => this.conns.size > 0, opts),
      bridgeAgentNotifications(session, notify, (method, params) => this.askClient(method, params)),
    ];
  }

  /** A new client on `transport`; feed it lines with `receive`, and call `disconnect` when it goes. */
  connect(transport: Transport): { connection: Connection; receive: (text: string) => void; disconnect: () => void } {
    const conn = new Connection(transport);
    this.conns.add(conn);
    return { connection: conn, receive: (text) => this.receive(conn, text), disconnect: () => void this.disconnect(conn) };
  }

  get connections(): number {
    return this.conns.size;
  }

  private receive(conn: Connection, text: string): void {
    if (conn.closed || text.trim() === '') return;
    const msg = parseMessage(text);
    switch (msg.kind) {
      case 'invalid':
        return conn.fail(msg.id, msg.code, msg.message);
      case 'response':
        conn.settle(msg.id, { result: msg.result });
        return;
      case 'errorResponse':
        conn.settle(msg.id, { error: msg.error.message });
        return;
      case 'notification':
        return; // `initialized` and the like: nothing to do
      case 'request':
        void this.dispatch(conn, msg);
    }
  }

  private async dispatch(conn: Connection, msg: Extract<Incoming, { kind: 'request' }>): Promise<void> {
    try {
      const result = await this.call(conn, msg.method, msg.params);
      conn.respond(msg.id, result);
    } catch (err) {
      if (err instanceof ProtocolError) conn.fail(msg.id, err.code, err.message);
      else conn.fail(msg.id, INTERNAL_ERROR, `internal error: ${(err as Error).message}`);
    }
  }

  private parse<S extends z.ZodType>(method: string, schema: S, params: unknown): z.infer<S> {
    const r = schema.safeParse(params ?? {});
    if (!r.success) throw new ProtocolError(INVALID_PARAMS, describeIssues(method, r.error.issues));
    return r.data;
  }

  private call(conn: Connection, method: string, params: unknown): Promise<unknown> {
    if (method === 'initialize') return Promise.resolve(this.initialize(conn, params));
    if (!conn.initialized) throw new ProtocolError(INVALID_REQUEST, 'not initialized: send initialize first');
    if (EXPERIMENTAL_METHODS.has(method) && !conn.experimental) {
      throw new ProtocolError(INVALID_REQUEST, `${method} is experimental: initialize with capabilities.experimentalApi = true to use it`);
    }
    switch (method as ServerMethod) {
      case 'thread/unsubscribe':
        return Promise.resolve(this.unsubscribe(conn, this.parse(method, ServerMethods['thread/unsubscribe'].params, params).threadId));
      case 'thread/loaded/list':
        return Promise.resolve(this.loadedList(this.parse(method, ServerMethods['thread/loaded/list'].params, params)));
      case 'exec/run':
        return this.execRun(this.parse(method, ServerMethods['exec/run'].params, params));
    }
    const extra = this.opts.extra;
    if (extra?.methods[method]) return extra.methods[method](conn, this.parse(method, extra.params[method]!, params));
    if (!(method in Requests)) throw new ProtocolError(METHOD_NOT_FOUND, `unknown method: ${method}`);
    return this.callSession(conn, method as RequestMethod, params);
  }

  private async callSession(conn: Connection, method: RequestMethod, params: unknown): Promise<unknown> {
    if ((method === 'thread/backgroundTerminals/terminate' || method === 'thread/backgroundTerminals/stop') && typeof params === 'object' && params) {
      const id = (params as { processId?: unknown }).processId;
      if (id !== undefined && !(typeof id === 'string' && /^\d+$/.test(id))) {
        throw new ProtocolError(INVALID_REQUEST, `invalid background terminal process id: ${JSON.stringify(id)}`);
      }
    }
    const parsed = this.parse(method, Requests[method].params as z.ZodType, params);
    const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
    if (method !== 'thread/start') {
      const result = await handler(parsed);
      if (method === 'thread/resume') conn.subscriptions.add((result as { thread: { id: string } }).thread.id);
      return result;
    }
    // thread/started is sent while the thread starts: its creator must already be listening.
    conn.claimingThread = true;
    try {
      return await handler(parsed);
    } finally {
      conn.claimingThread = false;
    }
  }

  private initialize(conn: Connection, params: unknown) {
    if (conn.initialized) throw new ProtocolError(INVALID_REQUEST, 'already initialized');
    const p = this.parse('initialize', ServerMethods.initialize.params, params);
    conn.initialized = true;
    conn.experimental = p.capabilities?.experimentalApi === true;
    conn.optOut = new Set(p.capabilities?.optOutNotificationMethods ?? []);
    return {
      codexHome: this.opts.home,
      platformFamily: platform() === 'win32' ? 'windows' : 'unix',
      platformOs: platform() === 'darwin' ? 'macos' : platform(),
      userAgent: `corral/${this.opts.cliVersion} (${platform()}; node ${process.versions.node})`,
    };
  }

  /** Each notification goes to the initialized connections subscribed to its thread. */
  private route(method: NotificationMethod, params: unknown): void {
    const p = params as { threadId?: string; thread?: { id: string } };
    const threadId = p.threadId ?? p.thread?.id;
    if (!threadId) return;
    for (const conn of this.conns) {
      if (method === 'thread/started' && conn.claimingThread) conn.subscriptions.add(threadId);
      if (conn.initialized && conn.subscriptions.has(threadId)) conn.notify(method, params);
    }
  }

  /** An approval goes to one client of the thread; with none, nobody can answer (the turn fails at once). */
  private askClient<M extends ServerRequestMethod>(method: M, params: { threadId: string }): Promise<never> | null {
    const conn = [...this.conns].find((c) => c.initialized && c.subscriptions.has(params.threadId));
    if (!conn) return null;
    // A client that leaves without answering ends the turn rather than leaving it waiting.
    return conn.request(method, params).then(
      (r) => ServerRequests[method].result.parse(r),
      () => ({ decision: 'cancel' }),
    ) as Promise<never>;
  }

  private unsubscribe(conn: Connection, threadId: string): { status: 'unsubscribed' | 'notSubscribed' | 'notLoaded' } {
    if (!this.session.isLoaded(threadId)) return { status: 'notLoaded' };
    if (!conn.subscriptions.delete(threadId)) return { status: 'notSubscribed' };
    void this.closeIfAbandoned(threadId, conn);
    return { status: 'unsubscribed' };
  }

  /** Unloads a thread nobody follows any more, once its running turn (if any) has ended. */
  private async closeIfAbandoned(threadId: string, last: Connection | null): Promise<void> {
    const followed = (): boolean => [...this.conns].some((c) => c.subscriptions.has(threadId));
    if (followed() || this.closing.has(threadId) || !this.session.isLoaded(threadId)) return;
    this.closing.add(threadId);
    try {
      if (this.session.turnRunning(threadId)) await this.session.whenTurnEnds(threadId);
      if (followed() || !this.session.isLoaded(threadId)) return;
      await this.session.closeThread(threadId);
      if (last && !last.closed) {
        last.notify('thread/status/changed', { threadId, status: { type: 'notLoaded' } });
        last.notify('thread/closed', { threadId });
      }
    } finally {
      this.closing.delete(threadId);
    }
  }

  private loadedList(p: { cursor?: string | null; limit?: number | null }): { data: string[]; nextCursor: string | null } {
    const ids = this.session
      .loadedThreads()
      .filter((t) => !t.ephemeral)
      .map((t) => t.id)
      .sort();
    const start = p.cursor ? ids.findIndex((id) => id > p.cursor!) : 0;
    const from = start < 0 ? ids.length : start;
    const limit = p.limit && p.limit > 0 ? p.limit : ids.length;
    const data = ids.slice(from, from + limit);
    return { data, nextCursor: from + limit < ids.length ? data[data.length - 1]! : null };
  }

  /** One turn on an ephemeral thread nobody follows: no notifications, no approvals, nothing persisted. */
  private async execRun(p: { input: { text: string }[]; cwd?: string | null }) {
    const text = p.input.map((i) => i.text).join('\n');
    if (text.trim() === '') throw new ProtocolError(INVALID_REQUEST, 'input must not be empty');
    const thread = this.session.startThread({ ephemeral: true, cwd: p.cwd ?? undefined });
    try {
      let turnId: string;
      try {
        turnId = this.session.startTurn(thread.id, text, { approvalPolicy: this.session.agent.approvalPolicy }).id;
      } catch (err) {
        throw new ProtocolError(INVALID_REQUEST, (err as Error).message);
      }
      await this.session.whenTurnEnds(thread.id);
      const turn = this.session.readThread(thread.id).turns.find((t) => t.id === turnId)!;
      const last = [...turn.items].reverse().find((i) => i.type === 'agentMessage');
      return { threadId: thread.id, turnId, status: turn.status, lastAgentMessage: last?.type === 'agentMessage' ? last.text : null, error: turn.error };
    } finally {
      await this.session.closeThread(thread.id);
    }
  }

  private async disconnect(conn: Connection): Promise<void> {
    if (!this.conns.delete(conn)) return;
    const threads = [...conn.subscriptions];
    conn.subscriptions.clear();
    conn.close('disconnected');
    await Promise.all([...threads.map((t) => this.closeIfAbandoned(t, null)), this.opts.extra?.closeConnection(conn.id)]);
  }

  /** Closes every connection (their threads are unloaded and their processes stopped). */
  async close(): Promise<void> {
    await Promise.all([...this.conns].map((c) => this.disconnect(c)));
    for (const off of this.offs) off();
  }
}

export const defaultHome = (): string => process.env.CORRAL_HOME ?? `${homedir()}/.corral`;
