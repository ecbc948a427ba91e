// The event loop's side of the PTY reader thread (pty-read-worker.ts): one thread for every flooding terminal,
// started when the first flood needs it and ended after minutes with nothing to read. A terminal is handed to it
// with `take` and comes back when it goes quiet, reaches end of file, or is asked back.
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { lend, letGo } from './chunk-lease.js';
import { BATCH_BYTES, CTL_PAUSED, CTL_TAKEN, type FromReader, type ReaderConfig, type ToReader, WAKE_COUNT, WAKE_FOR_ROOM, ptyReadWorker } from './pty-read-worker.js';
import { readerSlice } from './reader-slice.js';

export interface OffloadSink {
  data(chunk: Buffer): void;
  /** Whoever `data` reaches holds what it keeps (chunk-lease.ts): full batches are lent and come back for reuse. */
  lends?: boolean;
  /** The reader gave the descriptor back (`eof`: the master reported end of file). Called once. */
  returned(eof: boolean): void;
}

/**
 * A terminal's reader may run 256 KiB (about 10 ms of a flood) ahead of the event loop: enough to ride out a frame
 * or a parsed slice; past it the child waits, which leaves the machine's CPU to an event loop that has fallen
 * behind (three floods on two cores otherwise starve typing).
 */
export const READER_CONFIG: ReaderConfig = { window: 256 * 1024, quietMs: 250, taken: CTL_TAKEN, paused: CTL_PAUSED, forRoom: WAKE_FOR_ROOM, batch: BATCH_BYTES };
/**
 * How long the thread is kept with nothing to read before it is ended. A fresh thread is slower for its first
 * flood (a new isolate, its code not yet optimized): the 27 MB flood took 4-6% longer (paired, 12-16 interleaved
 * rounds) than with a thread that had read one before. After 30 s, as it was, nearly every flood of a working
 * session met a fresh one. It holds ~10 MB while kept.
 */
const IDLE_END_MS = 10 * 60_000;

// An empty read throws EAGAIN, thousands of times a second during a flood: no stack is captured for it. A slice
// that cannot be had (node-pty without the patch, a kernel without the call) leaves the thread as fast as before.
const SOURCE = `
Error.stackTraceLimit = 0;
const wt = require('node:worker_threads');
const { port, wake, config, slice } = wt.workerData;
if (slice) try { require(slice.ptyUtils).loadNativeModule('pty').module.requestSlice(slice.ns); } catch {}
(${ptyReadWorker.toString()})(wt, require('node:fs'), port, new Int32Array(wake), config);
`;

interface Taken {
  sink: OffloadSink;
  ctl: Int32Array;
}

export class PtyReadThread {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private ready: Promise<boolean> | null = null;
  private readonly wake = new Int32Array(new SharedArrayBuffer(8));
  private readonly taken = new Map<number, Taken>();
  private nextSlot = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Full batches lent to the event loop, and those given back to the thread for reuse (for tests and benchmarks). */
  lent = 0;
  recycled = 0;

  constructor(
    private readonly config: ReaderConfig = READER_CONFIG,
    private readonly idleEndMs = IDLE_END_MS,
  ) {}

  /** The thread runs (or is starting). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Resolves true once the thread runs (false if it cannot be started); never blocks the event loop. */
  start(): Promise<boolean> {
    this.ready ??= new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      let worker: Worker;
      try {
        worker = new Worker(SOURCE, { eval: true, workerData: { port: port2, wake: this.wake.buffer, config: this.config, slice: readerSlice() }, transferList: [port2] });
      } catch {
        resolve(false);
        return;
      }
      worker.unref();
      port1.unref();
      port1.on('message', (msg: FromReader) => this.receive(msg));
      worker.once('online', () => resolve(true));
      const lost = (): void => {
        resolve(false);
        if (this.worker === worker) this.lost();
      };
      worker.once('error', lost);
      worker.once('exit', lost);
      this.worker = worker;
      this.port = port1;
      this.armIdleEnd();
    });
    return this.ready;
  }

  /** Hands `fd` over; returns a handle to pause, resume or ask it back. The thread must have started. */
  take(fd: number, sink: OffloadSink): OffloadedReader | null {
    if (!this.port) return null;
    const slot = this.nextSlot++;
    const ctl = new Int32Array(new SharedArrayBuffer(8));
    this.taken.set(slot, { sink, ctl });
    this.port.ref(); // data is on its way: the process must not exit under it
    this.disarmIdleEnd();
    this.send({ op: 'take', slot, fd, ctl: ctl.buffer });
    return {
      setPaused: (paused) => {
        Atomics.store(ctl, CTL_PAUSED, paused ? 1 : 0);
        this.nudge();
      },
      giveBack: () => this.send({ op: 'release', slot }),
    };
  }

  /** Terminals handed over right now. */
  get count(): number {
    return this.taken.size;
  }

  private receive(msg: FromReader): void {
    const t = this.taken.get(msg.slot);
    if (!t) return;
    if (msg.op === 'data') {
      const chunk = Buffer.from(msg.bytes, 0, msg.length);
      const lent = t.sink.lends === true && msg.bytes.byteLength === BATCH_BYTES;
      if (lent) {
        this.lent++;
        lend(msg.bytes, (bytes) => this.recycle(bytes));
      }
      t.sink.data(chunk);
      if (lent) letGo(chunk);
      Atomics.add(t.ctl, CTL_TAKEN, msg.length);
      // Only a thread waiting for room needs waking: a futex wake for each batch cost ~10 ms of a 27 MB flood.
      this.nudge(true);
      return;
    }
    this.taken.delete(msg.slot);
    if (this.taken.size === 0) {
      this.port?.unref();
      this.armIdleEnd();
    }
    t.sink.returned(msg.op === 'eof');
  }

  /** Transferring the batch detaches it here, so V8 stops counting it at once; the thread reads into it again. */
  private recycle(bytes: ArrayBuffer): void {
    if (!this.port) return;
    this.port.postMessage({ op: 'recycle', bytes } satisfies ToReader, [bytes]);
    this.recycled++;
  }

  private send(msg: ToReader): void {
    this.port?.postMessage(msg);
    this.nudge();
  }

  /** Tells the thread something changed; wakes it now unless `onlyForRoom` and it is not waiting for room. */
  private nudge(onlyForRoom = false): void {
    Atomics.add(this.wake, WAKE_COUNT, 1);
    if (!onlyForRoom || Atomics.load(this.wake, WAKE_FOR_ROOM) !== 0) Atomics.notify(this.wake, WAKE_COUNT);
  }

  /** The thread died (it should not): every terminal goes back to the event loop's reads. */
  private lost(): void {
    this.forget();
    const taken = [...this.taken.values()];
    this.taken.clear();
    for (const t of taken) t.sink.returned(false);
  }

  private armIdleEnd(): void {
    this.disarmIdleEnd();
    this.idleTimer = setTimeout(() => this.end(), this.idleEndMs);
    this.idleTimer.unref();
  }

  private disarmIdleEnd(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Ends the thread when nothing is handed over (the next flood starts a new one). */
  end(): void {
    if (!this.worker || this.taken.size > 0) return;
    this.send({ op: 'exit' });
    this.forget();
  }

  /** Drops the thread; the next flood starts a new one. */
  private forget(): void {
    this.worker = null;
    this.port?.close();
    this.port = null;
    this.ready = null;
    this.disarmIdleEnd();
  }
}

export interface OffloadedReader {
  setPaused(paused: boolean): void;
  /** Asks for the descriptor back; the sink's `returned` follows once the thread no longer reads it. */
  giveBack(): void;
}

/** The one reader thread of this process. */
export const ptyReadThread = new PtyReadThread();
