// One command/exec process's output: each stream cut at its cap, then either kept for the response or sent as
// `command/exec/outputDelta` notifications. A slow reader is waited for, never outrun: deltas the connection
// cannot take yet are queued, and once HIGH_WATER bytes are queued the child's output is paused (it blocks when
// the kernel's buffer fills) until the connection drains. Memory stays bounded even with disableOutputCap.
import type { OutputStream } from '../exec/index.js';
import type { CommandExecOutputDeltaData } from './command-exec-shapes.js';

/** Bytes of queued deltas at which the child's output is paused. */
export const HIGH_WATER = 1024 * 1024;
/** Output kept for a response is never more than this per stream, whatever the cap says. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface OutputTarget {
  /** null: keep output for the response. */
  processId: string | null;
  /** Per-stream cap in bytes; null: none. */
  cap: number | null;
  /** False when the connection's buffer is full. */
  send(delta: CommandExecOutputDeltaData): boolean | void;
  /** Resolves once the connection has room again; absent: never wait. */
  drained?: () => Promise<void>;
  pause(): void;
  resume(): void;
}

interface StreamState {
  taken: number;
  capReached: boolean;
  kept: Buffer[];
}

export class ExecOutput {
  private readonly streams: Record<OutputStream, StreamState> = {
    stdout: { taken: 0, capReached: false, kept: [] },
    stderr: { taken: 0, capReached: false, kept: [] },
  };
  private readonly queue: CommandExecOutputDeltaData[] = [];
  private queuedBytes = 0;
  private blocked = false;
  private paused = false;
  private gone = false;
  private readonly flushWaiters: (() => void)[] = [];
  private readonly limit: number | null;

  constructor(private readonly target: OutputTarget) {
    const streaming = target.processId !== null;
    this.limit = streaming ? target.cap : Math.min(target.cap ?? Infinity, MAX_BUFFERED_BYTES);
  }

  push(chunk: Buffer, name: OutputStream): void {
    const s = this.streams[name];
    if (s.capReached || this.gone) return; // past the cap, output is read and dropped
    let piece = chunk;
    if (this.limit !== null && s.taken + piece.length >= this.limit) {
      piece = piece.subarray(0, this.limit - s.taken);
      s.capReached = true;
    }
    s.taken += piece.length;
    if (this.target.processId === null) s.kept.push(piece);
    else if (piece.length > 0 || s.capReached) {
      this.enqueue({ processId: this.target.processId, stream: name, deltaBase64: piece.toString('base64'), capReached: s.capReached });
    }
  }

  /** Resolves once every delta has been handed to the connection, or the connection is gone. */
  flushed(): Promise<void> {
    if (this.queue.length === 0 && !this.blocked) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** The response's fields: what was kept, or empty strings for what was streamed. */
  result(): { stdout: string; stderr: string } {
    const text = (s: StreamState): string => Buffer.concat(s.kept).toString('utf8');
    return { stdout: text(this.streams.stdout), stderr: text(this.streams.stderr) };
  }

  /** The connection went away: drop what is queued and let the child run (it is being ended anyway). */
  abandon(): void {
    this.gone = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.blocked = false;
    this.setPaused(false);
    this.settle();
  }

  private enqueue(delta: CommandExecOutputDeltaData): void {
    if (!this.blocked) {
      this.blocked = this.target.send(delta) === false && this.target.drained !== undefined;
      if (this.blocked) void this.sendWhenDrained();
      return;
    }
    this.queue.push(delta);
    this.queuedBytes += delta.deltaBase64.length;
    if (this.queuedBytes >= HIGH_WATER) this.setPaused(true);
  }

  private async sendWhenDrained(): Promise<void> {
    while (this.blocked && !this.gone) {
      await this.target.drained!();
      this.blocked = false;
      while (this.queue.length > 0 && !this.blocked && !this.gone) {
        const delta = this.queue.shift()!;
        this.queuedBytes -= delta.deltaBase64.length;
        this.blocked = this.target.send(delta) === false;
      }
    }
    this.setPaused(false);
    this.settle();
  }

  private setPaused(on: boolean): void {
    if (on === this.paused) return;
    this.paused = on;
    if (on) this.target.pause();
    else this.target.resume();
  }

  private settle(): void {
    if (this.queue.length === 0 && !this.blocked) for (const w of this.flushWaiters.splice(0)) w();
  }
}

/**
 * The notification's JSON line, as JSON.stringify({method, params}) writes it. Built by hand because a stream
 * of output is mostly this one message: base64 and the stream name need no escaping, so the ~87 KB of each
 * delta are copied once rather than scanned and copied again.
 */
export function outputDeltaJson(d: CommandExecOutputDeltaData): string {
  return `{"method":"command/exec/outputDelta","params":{"processId":${JSON.stringify(d.processId)},"stream":"${d.stream}","deltaBase64":"${d.deltaBase64}","capReached":${d.capReached}}}`;
}
