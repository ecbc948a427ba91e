// A real HTTP server on 127.0.0.1 that plays a scripted model, for tests that run the real OpenAI SDK.
// One script serves both wire APIs: it is rendered as Responses events on `/v1/responses` and as Chat
// Completions chunks on `/v1/chat/completions`.
//
//   const server = await startModelServer();
//   server.enqueue(reply([text('Hello'), usage({ input: 10, output: 2 })]));
//   server.enqueue((req) => reply([text(`you sent ${JSON.stringify(req.body)}`)]));
//   ... await server.waitForRequests(1); server.requests[0].body ...
//   await server.close();
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatRender } from './model-server-chat.js';
import { ResponsesRender } from './model-server-responses.js';
import type { RenderedStream } from './model-server-responses.js';
import { httpError } from './model-script.js';
import type { ErrorReply, Reply, StreamReply } from './model-script.js';

export * from './model-script.js';

export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. `/v1/responses`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (null when there was none). */
  body: Record<string, unknown> | null;
  /** Which wire API the path belongs to (null for any other path). */
  api: 'responses' | 'chat' | null;
}

export type Scripted = Reply | ((request: RecordedRequest) => Reply);

export interface ModelServer {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Adds replies, used in order by the model requests that follow. */
  enqueue(...replies: Scripted[]): void;
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Stops the server, ending any response still streaming or stalled. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Bytes gathered before a write when no delay is asked: fewer, larger writes go faster. */
const BATCH_BYTES = 64 * 1024;

function apiOf(path: string): RecordedRequest['api'] {
  if (path.endsWith('/responses')) return 'responses';
  if (path.endsWith('/chat/completions')) return 'chat';
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Writes `data` and resolves once it is handed to the socket (or the response is gone). */
function send(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) return resolve();
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(data, () => done());
  });
}

function sendError(res: ServerResponse, reply: ErrorReply): void {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

export async function startModelServer(): Promise<ModelServer> {
  const queue: Scripted[] = [];
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const open = new Set<ServerResponse>();
  const closing = new AbortController();

  async function stream(res: ServerResponse, reply: StreamReply, render: RenderedStream): Promise<void> {
    const { cut = false, stallMs = 0, delayMs = 0, noTerminal = false, headers = {} } = reply.options;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    res.flushHeaders();
    const gone = (): boolean => res.destroyed || closing.signal.aborted;
    let batch = '';
    const write = async (frames: Iterable<string>): Promise<void> => {
      for (const frame of frames) {
        if (gone()) return;
        if (delayMs > 0) {
          await send(res, frame);
          await sleep(delayMs, undefined, { signal: closing.signal }).catch(() => undefined);
        } else {
          batch += frame;
          if (batch.length >= BATCH_BYTES) {
            await send(res, batch);
            batch = '';
          }
        }
      }
      if (batch && !gone()) await send(res, batch);
      batch = '';
    };
    await write(render.events());
    if (cut) {
      res.socket?.destroy();
      return;
    }
    if (stallMs > 0 && !gone()) {
      const stop = AbortSignal.any([closing.signal, abortOnClose(res)]);
      await sleep(stallMs, undefined, { signal: stop }).catch(() => undefined);
    }
    if (!noTerminal) await write(render.terminal());
    if (!res.destroyed) res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    let body: Record<string, unknown> | null = null;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      sendError(res, httpError(400, { error: { message: 'model-server: the request body is not JSON' } }, { 'x-should-retry': 'false' }));
      return;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      api: apiOf(url.pathname),
    };
    requests.push(recorded);
    for (const wake of waiters) wake();
    if (recorded.api === null) {
      sendError(res, httpError(404, { error: { message: `model-server: no such path ${url.pathname}` } }));
      return;
    }
    const next = queue.shift();
    const reply: Reply = next
      ? typeof next === 'function'
        ? next(recorded)
        : next
      : httpError(
          500,
          { error: { message: `model-server: nothing scripted for request #${requests.length} (${recorded.method} ${recorded.path}); call server.enqueue() first` } },
          { 'x-should-retry': 'false' },
        );
    if (reply.kind === 'httpError') {
      sendError(res, reply);
      return;
    }
    const model = typeof body?.model === 'string' ? body.model : 'scripted-model';
    const render =
      recorded.api === 'responses' ? new ResponsesRender(reply.events, model, requests.length) : new ChatRender(reply.events, model, requests.length);
    await stream(res, reply, render);
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, httpError(500, { error: { message: `model-server: ${String(err)}` } }, { 'x-should-retry': 'false' }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue(...replies) {
      queue.push(...replies);
    },
    waitForRequests(n, timeoutMs = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          if (requests.length < n) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`model-server: ${requests.length} of ${n} requests arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      });
    },
    async close() {
      closing.abort();
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A signal that aborts when the client goes away. */
function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
