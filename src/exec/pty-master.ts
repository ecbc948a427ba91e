// Reads one PTY master, in order, through whichever reader suits the moment: node-pty's socket while output
// trickles (it costs nothing while idle), the reader thread (pty-offload.ts) while it floods (the child never
// waits for corral's event loop), and a drain of its own before the master is closed.
import { constants, readFileSync, readSync } from 'node:fs';
import type { Socket } from 'node:net';
import { type OffloadedReader, type PtyReadThread, ptyReadThread } from './pty-offload.js';

/** This much output within FLOOD_WINDOW_MS is a flood: the reader thread takes the master. */
const FLOOD_BYTES = 128 * 1024;
const FLOOD_WINDOW_MS = 100;
const DRAIN_QUIET_MS = 50;
const DRAIN_MAX_MS = 1000;

/** The libuv stream under node-pty's socket. */
interface StreamHandle {
  reading: boolean;
  readStart(): number;
  readStop(): number;
}

export interface PtyMasterOptions {
  /** Hand floods to the reader thread (default true). */
  offload?: boolean;
  /** Whoever `deliver` reaches holds what it keeps (chunk-lease.ts), so the thread's batches can be reused. */
  lends?: boolean;
  thread?: PtyReadThread;
}

type Mode = 'socket' | 'handing' | 'thread' | 'reclaiming' | 'draining';

export class PtyMaster {
  private mode: Mode = 'socket';
  private paused = false;
  private offloaded: OffloadedReader | null = null;
  private readonly canOffload: boolean;
  private readonly lends: boolean;
  private readonly thread: PtyReadThread;
  private readonly destroySocket: (error?: Error) => void;
  private closeError: Error | undefined;
  private windowStart = 0;
  private windowBytes = 0;

  /** `socket` is node-pty's reader of `fd`; its 'data' must reach `fromSocket`. */
  constructor(
    private readonly socket: Socket,
    private readonly fd: number,
    private readonly deliver: (chunk: Buffer) => void,
    opts: PtyMasterOptions = {},
  ) {
    this.thread = opts.thread ?? ptyReadThread;
    this.lends = opts.lends === true;
    // Both the drain and the thread read the descriptor directly: a blocking one would hang them.
    const ownReads = isNonBlocking(fd);
    this.canOffload = ownReads && opts.offload !== false;
    this.destroySocket = socket.destroy.bind(socket);
    if (!ownReads) return;
    // node-pty closes the master by destroying the socket (200 ms after the child exits, or on kill): whoever
    // reads it finishes first.
    socket.destroy = ((error?: Error) => {
      this.close(error);
      return socket;
    });
  }

  fromSocket(chunk: Buffer): void {
    this.deliver(chunk);
    if (this.mode !== 'socket' || !this.canOffload || this.paused) return;
    const now = performance.now();
    if (now - this.windowStart > FLOOD_WINDOW_MS) {
      this.windowStart = now;
      this.windowBytes = 0;
    }
    this.windowBytes += chunk.length;
    if (this.windowBytes < FLOOD_BYTES) return;
    this.mode = 'handing';
    void this.thread.start().then((ok) => this.handOver(ok));
  }

  pause(): void {
    this.paused = true;
    this.socket.pause();
    this.offloaded?.setPaused(true);
  }

  resume(): void {
    this.paused = false;
    this.offloaded?.setPaused(false);
    // While the thread reads, `reading` stays set, so this only lets the stream flow again. Once draining, only
    // the drain reads.
    if (this.mode !== 'draining' && this.mode !== 'reclaiming') this.socket.resume();
  }

  private handle(): StreamHandle | null {
    return (this.socket as unknown as { _handle: StreamHandle | null })._handle;
  }

  private handOver(started: boolean): void {
    if (this.mode !== 'handing') return; // closing meanwhile
    const handle = this.handle();
    if (!started || this.paused || !handle || this.socket.destroyed) {
      this.mode = 'socket';
      return;
    }
    // Stop the socket's reads but leave `reading` set, so the stream does not start them again by itself.
    handle.reading = true;
    handle.readStop();
    // Bytes the socket already holds come before what the thread reads.
    while (this.socket.readableLength > 0 && this.socket.read() !== null);
    this.offloaded = this.thread.take(this.fd, { data: this.deliver, returned: (eof) => this.returned(eof), lends: this.lends });
    if (!this.offloaded) {
      handle.readStart();
      this.mode = 'socket';
      return;
    }
    this.mode = 'thread';
  }

  private returned(eof: boolean): void {
    this.offloaded = null;
    if (this.mode === 'reclaiming' || eof) {
      this.mode = 'draining';
      this.drain();
      return;
    }
    // Quiet again: the socket reads, as before the flood.
    this.mode = 'socket';
    this.windowBytes = 0;
    if (!this.socket.destroyed) this.handle()?.readStart();
  }

  private close(error?: Error): void {
    this.closeError ??= error;
    if (this.mode === 'draining' || this.mode === 'reclaiming') return;
    if (this.mode === 'thread') {
      this.mode = 'reclaiming';
      this.offloaded?.giveBack();
      return;
    }
    this.mode = 'draining';
    this.drain();
  }

  /**
   * The end of a PTY's output is easy to lose, in two ways. libuv treats a hang-up after a short read as end of
   * file, but the kernel moves the slave's output to the master through a work queue, so the last bytes may not
   * have arrived yet. And node-pty force-closes the master 200 ms after the child exits; if the event loop was
   * busy, what the kernel still holds is discarded. So before the master is closed, read it here until the
   * kernel reports it closed and empty (EIO), or, when a descendant still holds the terminal open, until it has
   * been quiet for a moment.
   */
  private drain(): void {
    this.socket.pause(); // from here on only the drain reads, so the order of bytes is kept
    // A paused socket may hold bytes it read before the pause; they come before what the kernel still holds.
    // read() emits them as 'data', so they reach the listeners the usual way.
    while (this.socket.readableLength > 0 && this.socket.read() !== null);
    void drainFd(this.fd, this.deliver).finally(() => this.destroySocket(this.closeError));
  }
}

async function drainFd(fd: number, deliver: (chunk: Buffer) => void): Promise<void> {
  const buf = Buffer.allocUnsafe(64 * 1024);
  const started = Date.now();
  let lastData = started;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return; // EIO: closed and empty
      const now = Date.now();
      if (now - lastData >= DRAIN_QUIET_MS || now - started >= DRAIN_MAX_MS) return;
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    if (n === 0) return;
    deliver(Buffer.from(buf.subarray(0, n)));
    lastData = Date.now();
  }
}

/** Whether the descriptor has O_NONBLOCK set (a blocking read in the event loop would hang corral). */
function isNonBlocking(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (Number.parseInt(flags, 8) & constants.O_NONBLOCK) !== 0;
  } catch {
    return false;
  }
}
