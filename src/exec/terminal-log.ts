// One terminal's complete output in a file, raw bytes as received, written asynchronously: appending costs the
// event loop a push. A write starts GATHER_MS after the first byte waiting (while the head is still being
// written, also once BATCH_BYTES have gathered), and a new one at most every FLOOD_INTERVAL_MS while output keeps
// coming; one write is in flight at a time. The file is capped: past the cap it keeps its first HEAD bytes, a
// marker line saying how much was left out, and the newest data (at least the newest eighth of the room behind
// the marker: that eighth is moved down behind the marker, then the file is truncated). Bytes waiting to be
// written count towards that eighth, so once the head is written, waiting bytes older than the newest eighth are
// let go at once and the file's tail with them (they would be cut at the next compaction anyway): during a flood
// the disk sees at most an eighth of the room per interval instead of every byte, which on a 2-core machine cost
// pipe floods about a sixth of their speed. Before the head is written, waiting bytes are bounded too; beyond
// that the oldest are dropped and a marker in the file says how many.
import { type FileHandle, open, rm } from 'node:fs/promises';
import { hold, letGo } from './chunk-lease.js';

export const DEFAULT_LOG_CAP = 64 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const GATHER_MS = 25;
const FLOOD_INTERVAL_MS = 100;
/** writev takes at most IOV_MAX (1024) buffers. */
const BATCH_BUFFERS = 1024;
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** The smallest cap that leaves room for a head, the marker and a tail. */
export const MIN_LOG_CAP = 64 * 1024;
/** The share of the room behind the marker that a compaction keeps (counting what waits to be written). */
const KEEP_SHARE = 0.125;

/** The marker between the head and the newest data; fixed width, so it is rewritten in place as it grows. */
export function omittedLine(n: number): Buffer {
  return Buffer.from(`\n[corral: ${String(n).padStart(15)} bytes omitted]\n`);
}
const MARKER_BYTES = omittedLine(0).length;

export function notLoggedLine(n: number): Buffer {
  return Buffer.from(`\n[corral: ${n} bytes not logged]\n`);
}

export class TerminalLog {
  private cap: number;
  private readonly head: number;
  private readonly batchMax: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private file: FileHandle | null = null;
  private size = 0;
  private omitted = 0;
  /** Waiting bytes let go as older than the newest share: the file's tail goes at the next write (`compact`). */
  private skipped = 0;
  private compacted = false;
  /** When the last write started: while output keeps coming, the next waits FLOOD_INTERVAL_MS from it. */
  private lastDrainAt = -Infinity;
  /**
   * "Bytes not logged" markers in the file's tail: a compaction that cuts one counts the bytes it stood for (not
   * its own text) as omitted, so the head marker and the file together still account for every byte.
   */
  private markers: { at: number; length: number; count: number }[] = [];
  private nextMarker: { length: number; count: number } | null = null;
  private writing: Promise<void> | null = null;
  private gather: NodeJS.Timeout | null = null;
  private state: 'open' | 'closing' | 'closed' | 'failed' = 'open';

  /** `onError` is told of the first fs error; the log then stops (it never throws). */
  constructor(
    readonly path: string,
    cap: number,
    private readonly onError: (err: NodeJS.ErrnoException) => void,
  ) {
    this.cap = Math.max(MIN_LOG_CAP, cap);
    this.head = Math.min(HEAD_BYTES, Math.floor(this.cap / 4));
    this.batchMax = Math.min(BATCH_BYTES, Math.floor(this.cap / 4));
  }

  /**
   * A new cap (the total of all logs is shared among the live ones); a file past it is compacted at its next
   * write. Never below what the head, the marker and a batch need.
   */
  setCap(cap: number): void {
    this.cap = Math.max(MIN_LOG_CAP, 2 * this.head + MARKER_BYTES + 2 * this.batchMax, cap);
  }

  /** Bytes in the file once everything queued is written. */
  get fileBytes(): number {
    return this.size;
  }

  append(chunk: Buffer): void {
    if (this.state !== 'open' || chunk.length === 0) return;
    hold(chunk); // kept until written or dropped (chunk-lease.ts)
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.size >= this.head) {
      const share = this.share();
      while (this.pending.length > 1 && this.pendingBytes - this.pending[0]!.length >= share) this.skipped += this.shiftOldest();
    }
    while (this.pendingBytes > MAX_PENDING_BYTES && this.pending.length > 1) this.dropped += this.shiftOldest();
    if (this.writing) return; // the write in flight goes on with what gathered
    if (this.size < this.head && this.pendingBytes >= this.batchMax) return this.startWriting();
    this.planWrite();
  }

  /** Removes the oldest waiting chunk; returns its length. */
  private shiftOldest(): number {
    const old = this.pending.shift()!;
    const length = old.length;
    this.pendingBytes -= length;
    letGo(old); // last: a batch given back is empty here
    return length;
  }

  /** The next write: GATHER_MS from now, and no sooner than FLOOD_INTERVAL_MS after the last one started. */
  private planWrite(): void {
    if (this.gather) return;
    const wait = Math.max(GATHER_MS, this.lastDrainAt + FLOOD_INTERVAL_MS - performance.now());
    this.gather = setTimeout(() => this.startWriting(), wait);
    this.gather.unref();
  }

  /** The newest bytes a compaction keeps behind the marker (what waits to be written counts). */
  private share(): number {
    return Math.floor((this.cap - this.head - MARKER_BYTES) * KEEP_SHARE);
  }

  private startWriting(all = false): void {
    if (this.gather) clearTimeout(this.gather);
    this.gather = null;
    if (this.pending.length === 0 || this.writing) return;
    this.lastDrainAt = performance.now();
    this.writing = this.drain(all);
  }

  /** Resolves once everything appended so far is written (or the log failed). */
  async flush(): Promise<void> {
    if (!this.writing) this.startWriting(true);
    while (this.writing) await this.writing;
    if (this.pending.length > 0 && this.live()) return this.flush(); // appended while the last write ran
  }

  private live(): boolean {
    return this.state === 'open' || this.state === 'closing';
  }

  /** Writes what is queued, then closes the file (kept). */
  async close(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    await this.flush();
    if (this.state === 'closing') this.state = 'closed';
    await this.release();
  }

  /** Stops at once: what is queued is dropped, the file is closed and removed. */
  async remove(): Promise<void> {
    this.stop();
    await this.flush();
    await this.release();
    await rm(this.path, { force: true }).catch(() => undefined);
  }

  /** Stops logging (logging failed elsewhere): nothing more is written; the file stays. */
  stop(): void {
    if (this.live()) this.state = 'closed';
    if (this.gather) clearTimeout(this.gather);
    this.gather = null;
    this.dropPending();
    void this.flush().then(() => this.release());
  }

  private dropPending(): void {
    for (const chunk of this.pending) letGo(chunk);
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async release(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.close().catch(() => undefined);
  }

  /** Writes what is waiting now (or, `all`, until nothing is); what comes meanwhile waits for the next write. */
  private async drain(all: boolean): Promise<void> {
    let budget = this.pendingBytes;
    try {
      do {
        const before = this.pendingBytes;
        const batch = this.takeBatch();
        budget -= before - this.pendingBytes;
        try {
          this.file ??= await open(this.path, 'w+', 0o600); // read too: compacting moves data down
          await this.write(batch);
        } finally {
          for (const b of batch) letGo(b);
        }
      } while (this.live() && this.pending.length > 0 && (all || this.state === 'closing' || budget > 0));
    } catch (err) {
      this.state = 'failed';
      this.dropPending();
      this.onError(err as NodeJS.ErrnoException);
    } finally {
      this.writing = null;
      if (this.live() && this.pending.length > 0) this.planWrite();
    }
  }

  private takeBatch(): Buffer[] {
    const batch: Buffer[] = [];
    if (this.dropped > 0) {
      const line = notLoggedLine(this.dropped);
      batch.push(line);
      this.nextMarker = { length: line.length, count: this.dropped };
      this.dropped = 0;
    }
    let bytes = 0;
    while (this.pending.length > 0 && batch.length < BATCH_BUFFERS) {
      const next = this.pending[0]!;
      if (bytes > 0 && bytes + next.length > this.batchMax) break;
      if (next.length > this.batchMax) {
        // A single chunk larger than a batch (or than the room past the head): written in parts.
        const part = next.subarray(0, this.batchMax);
        hold(part); // the rest stays waiting, held as before
        batch.push(part);
        this.pending[0] = next.subarray(this.batchMax);
        this.pendingBytes -= this.batchMax;
        bytes += this.batchMax;
        break;
      }
      batch.push(this.pending.shift()!);
      this.pendingBytes -= next.length;
      bytes += next.length;
    }
    return batch;
  }

  private async write(batch: Buffer[]): Promise<void> {
    const bytes = batch.reduce((n, b) => n + b.length, 0);
    if (this.skipped > 0 || this.size + bytes > this.cap) await this.compact(bytes + this.pendingBytes);
    if (this.nextMarker) {
      this.markers.push({ at: this.size, ...this.nextMarker });
      this.nextMarker = null;
    }
    const { bytesWritten } = await this.file!.writev(batch, this.size);
    if (bytesWritten < bytes) {
      // A short write: the rest, one buffer at a time.
      let at = this.size + bytesWritten;
      let skip = bytesWritten;
      for (const b of batch) {
        if (skip >= b.length) {
          skip -= b.length;
          continue;
        }
        const part = b.subarray(skip);
        skip = 0;
        await this.writeAll(part, at);
        at += part.length;
      }
    }
    this.size += bytes;
  }

  private async writeAll(buf: Buffer, at: number): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.file!.write(buf, done, buf.length - done, at + done);
      if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
      done += bytesWritten;
    }
  }

  /**
   * Keeps the head, rewrites the marker, moves the newest data down behind it, truncates. `incoming` bytes are
   * about to follow: the file keeps only what they leave of its share.
   */
  private async compact(incoming: number): Promise<void> {
    const tailStart = this.head + MARKER_BYTES;
    // Skipped bytes are newer than the whole file: none of it behind the head stays.
    const keep = this.skipped > 0 ? 0 : Math.min(Math.max(0, this.size - tailStart), Math.max(0, this.share() - incoming));
    const from = this.size - keep;
    // The first time, the bytes between the head and `from` go; afterwards those between the marker and `from`.
    this.omitted += Math.max(0, from - (this.compacted ? tailStart : this.head)) + this.skipped;
    this.skipped = 0;
    for (const m of this.markers) if (m.at < from && m.at >= this.head) this.omitted += m.count - m.length;
    this.markers = this.markers.filter((m) => m.at >= from || m.at < this.head).map((m) => (m.at >= from ? { ...m, at: m.at - from + tailStart } : m));
    this.compacted = true;
    const file = this.file!;
    const buf = Buffer.allocUnsafe(Math.min(BATCH_BYTES, Math.max(keep, 1)));
    // Moving down in ascending pieces never overwrites a piece before it is read.
    for (let done = 0; done < keep; ) {
      const { bytesRead } = await file.read(buf, 0, Math.min(buf.length, keep - done), from + done);
      if (bytesRead === 0) throw Object.assign(new Error('log file shrank'), { code: 'EIO' });
      await this.writeAll(buf.subarray(0, bytesRead), tailStart + done);
      done += bytesRead;
    }
    await this.writeAll(omittedLine(this.omitted), this.head);
    await file.truncate(tailStart + keep);
    this.size = tailStart + keep;
  }
}
