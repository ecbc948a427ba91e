// A small JSON-RPC client for `corral app-server`, over the real program's stdio or a real WebSocket. It
// records every message it receives (for schema checks), answers server requests with a handler, and waits
// for conditions.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import WebSocket from 'ws';
import { waitUntil } from './os.js';

export const CORRAL = join(import.meta.dirname, '..', '..', 'dist', 'corral.js');

export interface Received {
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
}

export type Outcome = { result: unknown; error?: undefined } | { error: { code: number; message: string }; result?: undefined };

export class RpcClient {
  readonly received: Received[] = [];
  private nextId = 0;
  private readonly waiting = new Map<string | number, (o: Outcome) => void>();
  onServerRequest: (method: string, params: Record<string, unknown>) => unknown = () => ({ decision: 'decline' });

  constructor(private readonly write: (line: string) => void) {}

  /** Feeds one received line. */
  receive(line: string): void {
    if (line.trim() === '') return;
    const msg = JSON.parse(line) as Received;
    this.received.push(msg);
    if (msg.method !== undefined && msg.id !== undefined && msg.id !== null) {
      const result = this.onServerRequest(msg.method, msg.params ?? {});
      this.write(JSON.stringify({ id: msg.id, result }));
      return;
    }
    if (msg.id !== undefined && msg.id !== null && msg.method === undefined) {
      const resolve = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      resolve?.(msg.error ? { error: msg.error } : { result: msg.result });
    }
  }

  send(raw: string): void {
    this.write(raw);
  }

  call(method: string, params: unknown = {}): Promise<Outcome> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.write(JSON.stringify({ id, method, params }));
    });
  }

  /** The result, or throws with the error. */
  async ok<T = Record<string, unknown>>(method: string, params: unknown = {}): Promise<T> {
    const o = await this.call(method, params);
    if (o.error) throw new Error(`${method}: ${o.error.code} ${o.error.message}`);
    return o.result as T;
  }

  initialize(experimental = true): Promise<Record<string, unknown>> {
    return this.ok('initialize', { clientInfo: { name: 'corral-tests', version: '1.0.0' }, capabilities: { experimentalApi: experimental } });
  }

  notifications(method: string): Record<string, unknown>[] {
    return this.received.filter((m) => m.method === method && (m.id === undefined || m.id === null)).map((m) => m.params ?? {});
  }

  async waitForNotification(method: string, ok: (p: Record<string, unknown>) => boolean = () => true, ms = 15_000): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    const seen = await waitUntil(() => (found = this.notifications(method).find(ok)) !== undefined, ms);
    if (!seen) throw new Error(`no ${method} within ${ms} ms; got ${this.received.map((m) => m.method ?? `#${String(m.id)}`).join(', ')}`);
    return found!;
  }
}

export interface StdioServer {
  client: RpcClient;
  child: ChildProcess;
  stderr: () => string;
  /** Closes stdin and waits for the exit code. */
  close: () => Promise<number | null>;
}

export function startStdioServer(env: Record<string, string>, args: string[] = []): StdioServer {
  const child = spawn(process.execPath, [CORRAL, 'app-server', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new RpcClient((line) => child.stdin.write(`${line}\n`));
  createInterface({ input: child.stdout }).on('line', (l) => client.receive(l));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    client,
    child,
    stderr: () => err,
    close: async () => {
      child.stdin.end();
      return exited;
    },
  };
}

export async function connectWebSocket(url: string, headers: Record<string, string>): Promise<{ client: RpcClient; ws: WebSocket }> {
  const ws = new WebSocket(url, { headers });
  const client = new RpcClient((line) => ws.send(line));
  ws.on('message', (data: Buffer) => client.receive(data.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { client, ws };
}
