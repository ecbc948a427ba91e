// A client that the UI can hold before the backend is loaded: subscriptions are attached and requests sent
// once it is there. It lets corral draw its first frame before loading the process manager and protocol.
import type { CorralClient, ServerRequestHandler } from '../protocol/client.js';
import type { NotificationMethod, NotificationParams, Params, RequestMethod, Result, ServerRequestMethod } from '../protocol/shapes.js';

export class DeferredClient implements CorralClient {
  private client: CorralClient | null = null;
  private readonly pending: (() => void)[] = [];

  constructor(ready: Promise<CorralClient>) {
    void ready.then((client) => {
      this.client = client;
      for (const attach of this.pending.splice(0)) attach();
    });
  }

  private whenReady(): Promise<CorralClient> {
    if (this.client) return Promise.resolve(this.client);
    return new Promise((resolve) => this.pending.push(() => resolve(this.client!)));
  }

  async request<M extends RequestMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    return (await this.whenReady()).request(method, params);
  }

  on<N extends NotificationMethod>(method: N, listener: (params: NotificationParams<N>) => void): () => void {
    let off: (() => void) | null = null;
    let cancelled = false;
    void this.whenReady().then((client) => {
      if (!cancelled) off = client.on(method, listener);
    });
    return () => {
      cancelled = true;
      off?.();
    };
  }

  onRequest<M extends ServerRequestMethod>(method: M, handler: ServerRequestHandler<M>): () => void {
    let off: (() => void) | null = null;
    let cancelled = false;
    void this.whenReady().then((client) => {
      if (!cancelled) off = client.onRequest(method, handler);
    });
    return () => {
      cancelled = true;
      off?.();
    };
  }
}
