// A loopback TCP proxy that passes requests through and paces responses to a given rate, in batches about a
// frame apart, like a link slower than the model server: it spreads a stream that a loopback server sends in
// a fraction of a second over the seconds a benchmark needs to measure typing while it arrives.
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

const BATCH_INTERVAL_MS = 16;

/** Lets bytes through at `bytesPerSecond`, never faster, in slices of one batch interval's worth. */
class Pacer extends Transform {
  private next = 0;
  private readonly slice: number;

  constructor(private readonly bytesPerSecond: number) {
    super();
    this.slice = Math.max(1, Math.round((bytesPerSecond * BATCH_INTERVAL_MS) / 1000));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pace(chunk).then(() => done(), done);
  }

  private async pace(chunk: Buffer): Promise<void> {
    for (let i = 0; i < chunk.length; i += this.slice) {
      // Idle time earns no credit: a pause is never followed by a burst.
      this.next = Math.max(this.next, performance.now());
      const wait = this.next - performance.now();
      if (wait > 0) await sleep(wait);
      const part = chunk.subarray(i, i + this.slice);
      this.push(part);
      this.next += (part.length / this.bytesPerSecond) * 1000;
    }
  }
}

export interface Throttle {
  /** The upstream base URL with the proxy's port. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startThrottle(upstreamBaseUrl: string, bytesPerSecond: number): Promise<Throttle> {
  const upstream = new URL(upstreamBaseUrl);
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    const up = connect(Number(upstream.port), upstream.hostname);
    track(client);
    track(up);
    const end = (): void => {
      client.destroy();
      up.destroy();
    };
    for (const s of [client, up]) s.once('error', end).once('close', end);
    client.pipe(up);
    up.pipe(new Pacer(bytesPerSecond)).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxied = new URL(upstreamBaseUrl);
  proxied.port = String(port);
  return {
    baseUrl: proxied.toString().replace(/\/$/, ''),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
