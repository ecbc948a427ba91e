// The typed client the TUI talks to. Requests carry app-server method names and validated params;
// notifications arrive by method. `InProcessClient` serves them from a session in this process.
import type { CorralSession } from '../core/session.js';
import { INVALID_PARAMS, METHOD_NOT_FOUND, ProtocolError } from './errors.js';
import { type Handlers, bridgeNotifications, createHandlers } from './handlers.js';
import {
  type NotificationMethod,
  type NotificationParams,
  type Params,
  type RequestMethod,
  type Result,
  Requests,
} from './shapes.js';

export interface CorralClient {
  request<M extends RequestMethod>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Subscribes to one notification method; returns the unsubscribe function. */
  on<N extends NotificationMethod>(method: N, listener: (params: NotificationParams<N>) => void): () => void;
}

type AnyListener = (params: unknown) => void;

export class InProcessClient implements CorralClient {
  private readonly handlers: Handlers;
  private readonly listeners = new Map<NotificationMethod, Set<AnyListener>>();
  private readonly unbridge: () => void;

  constructor(session: CorralSession) {
    this.handlers = createHandlers(session);
    this.unbridge = bridgeNotifications(
      session,
      (method, params) => {
        for (const l of this.listeners.get(method) ?? []) l(params);
      },
      (method) => (this.listeners.get(method)?.size ?? 0) > 0,
    );
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

  close(): void {
    this.unbridge();
    this.listeners.clear();
  }
}
