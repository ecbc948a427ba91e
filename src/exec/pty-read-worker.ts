// The body of the thread that reads flooding PTY masters (pty-offload.ts starts it). A PTY holds only a few KiB:
// whenever corral's event loop is busy (a frame, a parse), a flooding child blocks on write. This thread does
// nothing but read, so the child runs at the kernel's speed while the event loop takes the output in batches.
//
// It is started from this function's source text (`new Worker(src, { eval: true })`), so the function must not
// use anything from its module: what it needs comes in as arguments.
import type * as FsModule from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';

/** Per offloaded terminal, shared with the event loop: [bytes taken by the event loop (wrapping), paused (1)]. */
export const CTL_TAKEN = 0;
export const CTL_PAUSED = 1;
/**
 * The thread's wake word: [bumped by the event loop whenever something changed, 1 while the thread waits for
 * room]. Taking a batch wakes the thread only while it waits for room; any other wait ends at its next sweep.
 */
export const WAKE_COUNT = 0;
export const WAKE_FOR_ROOM = 1;

export type ToReader =
  | { op: 'take'; slot: number; fd: number; ctl: SharedArrayBuffer }
  /** The event loop wants the descriptor back (the terminal is closing). */
  | { op: 'release'; slot: number }
  /** A full batch nothing holds any more (chunk-lease.ts), given back to be read into again. */
  | { op: 'recycle'; bytes: ArrayBuffer }
  | { op: 'exit' };

export type FromReader =
  | { op: 'data'; slot: number; bytes: ArrayBuffer; length: number }
  /** The reader no longer touches the descriptor: it was asked to, or the terminal has been quiet a while. */
  | { op: 'released'; slot: number }
  /** The master reported end of file (every slave closed, nothing left): the descriptor is given back too. */
  | { op: 'eof'; slot: number };

/** Bytes of a full batch; only these are recycled. */
export const BATCH_BYTES = 64 * 1024;

export interface ReaderConfig {
  /** Bytes posted but not yet taken by the event loop, per terminal; past it the child waits. */
  window: number;
  /** A terminal quiet this long goes back to the event loop's reads (they cost nothing while idle). */
  quietMs: number;
  /** CTL_TAKEN and CTL_PAUSED (the function sees nothing of its module). */
  taken: number;
  paused: number;
  /** WAKE_FOR_ROOM (likewise). */
  forRoom: number;
  /** BATCH_BYTES (likewise). */
  batch: number;
}

export function ptyReadWorker(
  wt: typeof WorkerThreads,
  fs: typeof FsModule,
  port: WorkerThreads.MessagePort,
  wake: Int32Array,
  config: ReaderConfig,
): void {
  const BATCH = config.batch;
  /** Batches given back, read into before any new one is allocated; more than a window's worth are let go. */
  const pool: Buffer[] = [];
  const POOL_MAX = Math.ceil(config.window / BATCH) + 2;
  /** Below this much room a batch is posted rather than read into. */
  const MIN_ROOM = 4 * 1024;
  /** Output is gathered this long before it is posted: fewer, larger batches cost the event loop less. */
  const GATHER_MS = 2;
  /**
   * Between sweeps that read nothing it sleeps MIN_WAIT_MS until nothing has come for BACKOFF_AFTER_MS; only then
   * do the sleeps grow, up to MAX_WAIT_MS. A terminal holds ~18 KiB before the writer blocks, about 0.5 ms of the
   * 27 MB flood. Shorter sleeps everywhere (down to none) made the child no faster and cost the thread more CPU
   * (50 µs: 230 ms against 165); ARCHITECTURE.md lists what else was measured.
   */
  const MIN_WAIT_MS = 0.5;
  const BACKOFF_AFTER_MS = 2;
  const MAX_WAIT_MS = 4;
  /**
   * While a batch is gathered, an empty read is tried again at once instead of sleeping, but only for a terminal
   * that flooded over the last RATE_WINDOW_MS (at FAST_BYTES_PER_MS or more) and whose last data came within
   * SPIN_GAP_MS: the writer of such a terminal is blocked on a full buffer, and each sleep left it blocked (the
   * 27 MB flood finished 1.21-1.25x a bare read instead of 1.32-1.34x). A steady or bursty writer fails one of the
   * gates, so it never costs a spinning thread (30 MB/s in 1 ms bursts: no more CPU than sleeping).
   */
  const RATE_WINDOW_MS = 4;
  const FAST_BYTES_PER_MS = 16 * 1024;
  const SPIN_GAP_MS = 0.1;
  interface Slot {
    fd: number;
    ctl: Int32Array;
    buf: Buffer;
    used: number;
    posted: number;
    lastData: number;
    /** When the first byte of the batch being gathered was read. */
    firstAt: number;
    /** Bytes read since rateFrom; `fast` is whether the window before it reached FAST_BYTES_PER_MS. */
    rateFrom: number;
    rateBytes: number;
    fast: boolean;
  }
  const slots = new Map<number, Slot>();
  let seen = Atomics.load(wake, 0);
  let wait = MIN_WAIT_MS;
  let lastRead = 0;

  const post = (slot: number, s: Slot): void => {
    if (s.used === 0) return;
    let bytes: ArrayBuffer;
    if (s.used >= BATCH / 2) {
      bytes = s.buf.buffer as ArrayBuffer; // a full batch is handed over as it is
      s.buf = pool.pop() ?? Buffer.allocUnsafeSlow(BATCH);
    } else {
      bytes = s.buf.buffer.slice(0, s.used) as ArrayBuffer; // a small one is copied: it may stay held a while
    }
    port.postMessage({ op: 'data', slot, bytes, length: s.used } satisfies FromReader, [bytes]);
    s.posted = (s.posted + s.used) | 0;
    s.used = 0;
  };
  const finish = (slot: number, s: Slot, op: 'released' | 'eof'): void => {
    post(slot, s);
    slots.delete(slot);
    port.postMessage({ op, slot } satisfies FromReader);
  };

  for (;;) {
    for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) {
      const msg = m.message as ToReader;
      if (msg.op === 'exit') return;
      if (msg.op === 'recycle') {
        if (pool.length < POOL_MAX) pool.push(Buffer.from(msg.bytes));
        continue;
      }
      if (msg.op === 'take') {
        slots.set(msg.slot, { fd: msg.fd, ctl: new Int32Array(msg.ctl), buf: pool.pop() ?? Buffer.allocUnsafeSlow(BATCH), used: 0, posted: 0, lastData: performance.now(), firstAt: 0, rateFrom: 0, rateBytes: 0, fast: false });
      } else {
        const s = slots.get(msg.slot);
        if (s) finish(msg.slot, s, 'released');
      }
    }
    if (slots.size === 0) {
      Atomics.wait(wake, 0, seen); // until the event loop posts something
      seen = Atomics.load(wake, 0);
      continue;
    }
    let read = false;
    let gathering = false;
    let spinning = false;
    let forRoom = false;
    const now = performance.now();
    for (const [slot, s] of slots) {
      if (Atomics.load(s.ctl, config.paused) !== 0) continue;
      if (((s.posted - Atomics.load(s.ctl, config.taken)) | 0) + s.used >= config.window) {
        post(slot, s); // what is read is offered; the child waits until the event loop catches up
        s.lastData = now; // being behind is not being quiet
        forRoom = true;
        continue;
      }
      if (now - s.rateFrom >= RATE_WINDOW_MS) {
        s.fast = s.rateBytes >= FAST_BYTES_PER_MS * (now - s.rateFrom);
        s.rateFrom = now;
        s.rateBytes = 0;
      }
      let n: number;
      try {
        n = fs.readSync(s.fd, s.buf, s.used, s.buf.length - s.used, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
          finish(slot, s, 'eof'); // EIO: every slave is closed and nothing is left
          continue;
        }
        n = -1;
      }
      if (n === 0) {
        finish(slot, s, 'eof');
      } else if (n > 0) {
        read = true;
        if (s.used === 0) s.firstAt = now;
        s.used += n;
        s.rateBytes += n;
        s.lastData = now;
        if (s.buf.length - s.used < MIN_ROOM) post(slot, s);
      } else if (s.used > 0) {
        if (now - s.firstAt >= GATHER_MS) post(slot, s);
        else if (s.fast && now - s.lastData < SPIN_GAP_MS) spinning = true;
        else gathering = true;
      } else if (now - s.lastData >= config.quietMs) {
        finish(slot, s, 'released');
      }
    }
    if (read || spinning) {
      wait = MIN_WAIT_MS;
      if (read) lastRead = now;
      continue;
    }
    // Set before the wait: the event loop bumps the count before it looks at the flag, so no wake is missed.
    if (forRoom) Atomics.store(wake, config.forRoom, 1);
    Atomics.wait(wake, 0, seen, gathering ? Math.min(wait, GATHER_MS / 4) : wait);
    if (forRoom) Atomics.store(wake, config.forRoom, 0);
    seen = Atomics.load(wake, 0);
    if (now - lastRead >= BACKOFF_AFTER_MS) wait = Math.min(MAX_WAIT_MS, wait * 2);
  }
}
