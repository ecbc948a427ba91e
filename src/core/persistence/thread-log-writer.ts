// Appends a thread's records to its JSONL file: one whole line per write, synchronously, so a crash loses at
// most the line being written. Bounded (long strings cut, the file capped), secrets redacted, and a write
// error never throws: it is reported once and logging stops.
import { appendFileSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_STRING_BYTES = 64 * 1024;
const MIN_SECRET_LENGTH = 8;

export interface LogRecord {
  type: string;
  [key: string]: unknown;
}

export interface ThreadLogOptions {
  /** Values replaced by `[redacted]` wherever they appear (API keys, auth header values). */
  secrets?: string[];
  maxFileBytes?: number;
  maxStringBytes?: number;
  onWarning?: (message: string) => void;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `sessions/YYYY/MM/DD/rollout-YYYY-MM-DDTHH-MM-SS-<id>.jsonl`, in local time. */
export function threadLogPath(home: string, threadId: string, createdAt: number): string {
  const d = new Date(createdAt);
  const day = [String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate())];
  const stamp = `${day.join('-')}T${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`;
  return join(home, 'sessions', ...day, `rollout-${stamp}-${threadId}.jsonl`);
}

function cut(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  const half = Math.floor(max / 2 / 4); // characters, at most 4 bytes each
  return `${s.slice(0, half)}\n…[${Buffer.byteLength(s) - max} bytes cut]…\n${s.slice(-half)}`;
}

export class ThreadLogWriter {
  private bytes: number;
  private stopped = false;
  private warned: string | null = null;
  private readonly secrets: string[];

  private constructor(
    readonly path: string,
    private readonly opts: ThreadLogOptions,
  ) {
    this.secrets = (opts.secrets ?? []).filter((s) => s.length >= MIN_SECRET_LENGTH);
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      // a new file
    }
    this.bytes = size;
  }

  static create(home: string, meta: LogRecord & { threadId: string; createdAt: number }, opts: ThreadLogOptions = {}): ThreadLogWriter {
    const writer = new ThreadLogWriter(threadLogPath(home, meta.threadId, meta.createdAt), opts);
    try {
      mkdirSync(dirname(writer.path), { recursive: true, mode: 0o700 });
      closeSync(openSync(writer.path, 'a', 0o600));
    } catch (err) {
      writer.fail(err);
    }
    writer.append(meta);
    return writer;
  }

  static reopen(path: string, opts: ThreadLogOptions = {}): ThreadLogWriter {
    return new ThreadLogWriter(path, opts);
  }

  /** Why logging stopped, if it did. */
  get warning(): string | null {
    return this.warned;
  }

  append(record: LogRecord): void {
    if (this.stopped) return;
    const line = `${JSON.stringify({ ...this.clean(record) as LogRecord, ts: Date.now() })}\n`;
    const size = Buffer.byteLength(line);
    if (this.bytes + size > (this.opts.maxFileBytes ?? MAX_FILE_BYTES)) {
      this.stop(`${this.path}: the thread log reached its size cap; later records are not saved`);
      return;
    }
    try {
      appendFileSync(this.path, line, { mode: 0o600 });
      this.bytes += size;
    } catch (err) {
      this.fail(err);
    }
  }

  private clean(value: unknown): unknown {
    if (typeof value === 'string') {
      let s = value;
      for (const secret of this.secrets) if (s.includes(secret)) s = s.split(secret).join('[redacted]');
      return cut(s, this.opts.maxStringBytes ?? MAX_STRING_BYTES);
    }
    if (Array.isArray(value)) return value.map((v) => this.clean(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.clean(v);
      return out;
    }
    return value;
  }

  private fail(err: unknown): void {
    this.stop(`cannot write the thread log ${this.path}: ${(err as Error).message}; this conversation is not saved`);
  }

  private stop(message: string): void {
    this.stopped = true;
    if (this.warned) return;
    this.warned = message;
    this.opts.onWarning?.(message);
  }

  close(): void {
    this.stopped = true;
  }
}
