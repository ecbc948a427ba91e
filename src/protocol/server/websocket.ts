// The app-server on WebSocket: one JSON message per text frame, many connections at once. Every connection
// presents the server's token; a browser (an Origin header) is refused, so a web page cannot drive a local
// shell. A connection whose outgoing queue stays full is dropped rather than holding up the others.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AppServer } from './app-server.js';

/** Outgoing bytes a connection may have queued before it counts as stalled. */
const HIGH_WATER = 8 * 1024 * 1024;
/** How long it may stay stalled before it is disconnected. */
export const STALL_MS = 2000;
const MAX_MESSAGE = 64 * 1024 * 1024;

export interface WebSocketListen {
  host: string;
  port: number;
  token: string;
}

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function attach(server: AppServer, ws: WebSocket): void {
  let stalledSince: number | null = null;
  let check: NodeJS.Timeout | null = null;
  const waiting: (() => void)[] = [];
  const client = server.connect({
    send: (text) => {
      if (ws.readyState !== ws.OPEN) return true;
      ws.send(text);
      const full = ws.bufferedAmount > HIGH_WATER;
      if (full) watch();
      return !full;
    },
    drained: () => new Promise((resolve) => waiting.push(resolve)),
    close: (reason) => ws.close(1000, reason),
  });
  // While the queue is over the mark, check until it drains or the connection is dropped.
  const watch = (): void => {
    stalledSince ??= Date.now();
    check ??= setInterval(() => {
      if (ws.bufferedAmount <= HIGH_WATER / 2) {
        stalledSince = null;
        clearInterval(check!);
        check = null;
        for (const w of waiting.splice(0)) w();
      } else if (Date.now() - stalledSince! > STALL_MS) {
        ws.terminate();
      }
    }, 50);
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return client.connection.fail(null, -32600, 'invalid request: messages are text frames');
    client.receive(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
  });
  ws.on('close', () => {
    if (check) clearInterval(check);
    for (const w of waiting.splice(0)) w();
    client.disconnect();
  });
  ws.on('error', () => ws.terminate());
}

export async function serveWebSocket(server: AppServer, listen: WebSocketListen): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({
    host: listen.host,
    port: listen.port,
    maxPayload: MAX_MESSAGE,
    verifyClient: ({ req }, done) => {
      if (req.headers.origin !== undefined) return done(false, 403, 'browser origins are refused');
      if (!authorized(req, listen.token)) return done(false, 401, 'missing or wrong token');
      done(true);
    },
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', (ws) => attach(server, ws));
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `ws://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** `ws://HOST:PORT` → where to listen; only what it names explicitly is not loopback. */
export function parseListen(url: string): { kind: 'stdio' } | { kind: 'ws'; host: string; port: number } | { error: string } {
  if (url === 'stdio://' || url === 'stdio') return { kind: 'stdio' };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: `--listen: not a URL: ${url}` };
  }
  if (u.protocol !== 'ws:') return { error: `--listen: use stdio:// or ws://HOST:PORT (got ${url})` };
  const port = u.port === '' ? 0 : Number(u.port);
  return { kind: 'ws', host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port };
}
