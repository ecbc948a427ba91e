// One client of the app-server: its handshake state, the threads it follows, and the requests the server sent it
// (approvals) that wait for its answer. What it writes goes out through its transport.
import { outputDeltaJson } from '../command-exec-output.js';
import type { CommandExecOutputDeltaData } from '../command-exec-shapes.js';
import type { RequestId } from './jsonrpc.js';

export interface Transport {
  /** Queues one message; false when the transport's buffer is full (the caller may wait for `drained`). */
  send(text: string): boolean;
  /** Resolves once the buffer has room again. */
  drained(): Promise<void>;
  close(reason: string): void;
}

let nextConnection = 0;

export class Connection {
  readonly id = `conn-${++nextConnection}`;
  initialized = false;
  experimental = false;
  closed = false;
  /** Threads whose notifications this connection receives. */
  readonly subscriptions = new Set<string>();
  /** Notification methods the client asked not to receive. */
  optOut = new Set<string>();
  /** Set while its thread/start runs, so that thread/started reaches it. */
  claimingThread = false;
  private readonly pending = new Map<RequestId, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextRequest = 0;

  constructor(private readonly transport: Transport) {}

  private write(message: Record<string, unknown>): boolean {
    if (this.closed) return true;
    return this.transport.send(JSON.stringify(message));
  }

  respond(id: RequestId, result: unknown): void {
    this.write({ id, result });
  }

  fail(id: RequestId | null, code: number, message: string): void {
    this.write({ id, error: { code, message } });
  }

  /** False when the transport is full: a producer that can wait should wait for `drained`. */
  notify(method: string, params: unknown): boolean {
    if (this.optOut.has(method)) return true;
    if (method === 'command/exec/outputDelta') return this.closed || this.transport.send(outputDeltaJson(params as CommandExecOutputDeltaData));
    return this.write({ method, params });
  }

  drained(): Promise<void> {
    return this.transport.drained();
  }

  /** A request to the client; rejects if the connection closes first. */
  request(method: string, params: unknown): Promise<unknown> {
    const id = `server-${++this.nextRequest}`;
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the client is gone'));
      this.pending.set(id, { resolve, reject });
      this.write({ id, method, params });
    });
  }

  /** The client answered one of our requests; false when we never asked it. */
  settle(id: RequestId, outcome: { result: unknown } | { error: string }): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    if ('result' in outcome) p.resolve(outcome.result);
    else p.reject(new Error(outcome.error));
    return true;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('the client is gone'));
    this.pending.clear();
    this.transport.close(reason);
  }
}
