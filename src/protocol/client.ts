// The typed client the TUI talks to. Requests carry app-server method names and validated params;
// notifications arrive by method; the server's own requests (approval prompts) go to the handler the client
// registered. `InProcessClient` serves them from a session in this process.
import type { CorralSession } from '../core/session.js';
import { type ServerInfo, bridgeAgentNotifications } from './agent-handlers.js';
import { INVALID_PARAMS, METHOD_NOT_FOUND, ProtocolError } from './errors.js';
import { type Handlers, bridgeNotifications, createHandlers } from './handlers.js';
import {
  type NotificationMethod,
  type NotificationParams,
  type Params,
  type RequestMethod,
  type Result,
  type ServerRequestMethod,
  type ServerRequestParams,
  type ServerRequestResult,
  Requests,
  ServerRequests,
} from './shapes.js';

export type ServerRequestHandler<M extends ServerRequestMethod> = (params: ServerRequestParams<M>) => Promise<ServerRequestResult<M>>;

export interface CorralClient {
  request<M extends RequestMethod>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Subscribes to one notification method; returns the unsubscribe function. */
  on<N extends NotificationMethod>(method: N, listener: (params: NotificationParams<N>) => void): () => void;
  /** Answers the server's requests of one method (one handler per method); returns the unregister function. */
  onRequest<M extends ServerRequestMethod>(method: M, handler: ServerRequestHandler<M>): () => void;
}

type AnyListener = (params: unknown) => void;
type AnyHandler = (params: unknown) => Promise<unknown>;

export class InProcessClient implements CorralClient {
  private readonly handlers: Handlers;
  private readonly listeners = new Map<NotificationMethod, Set<AnyListener>>();
  private readonly serverRequestHandlers = new Map<ServerRequestMethod, AnyHandler>();
  private readonly unbridge: (() => void)[];

  constructor(session: CorralSession, server: ServerInfo = { cliVersion: 'dev', source: 'cli' }) {
    this.handlers = createHandlers(session, server);
    const notify = (method: NotificationMethod, params: unknown): void => {
      for (const l of this.listeners.get(method) ?? []) l(params);
    };
    this.unbridge = [
      bridgeNotifications(session, notify, (method) => (this.listeners.get(method)?.size ?? 0) > 0, server),
      bridgeAgentNotifications(session, notify, (method, params) => {
        const handler = this.serverRequestHandlers.get(method);
        if (!handler) return null;
        return handler(params).then((r) => ServerRequests[method].result.parse(r) as ServerRequestResult<typeof method>);
      }),
    ];
  }

  async request<M extends RequestMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    const spec = Requests[method] as (typeof Requests)[RequestMethod] | undefined;
    if (!spec) throw new ProtocolError(METHOD_NOT_FOUND, `unknown method: ${String(method)}`);
    const parsed = spec.params.safeParse(params);
    if (!parsed.success) throw new ProtocolError(INVALID_PARAMS, `${method}: ${parsed.error.message}`);
    const handler = this.handlers[method] as (p: unknown) => Promise<Result<M>>;
    return handler(parsed.data);
  }

  on<N extends NotificationMethod>(method: N, listener: (params: NotificationParams<N>) => void): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener as AnyListener);
    return () => void set.delete(listener as AnyListener);
  }

  onRequest<M extends ServerRequestMethod>(method: M, handler: ServerRequestHandler<M>): () => void {
    this.serverRequestHandlers.set(method, handler as AnyHandler);
    return () => {
      if (this.serverRequestHandlers.get(method) === handler) this.serverRequestHandlers.delete(method);
    };
  }

  close(): void {
    for (const off of this.unbridge) off();
    this.listeners.clear();
    this.serverRequestHandlers.clear();
  }
}
