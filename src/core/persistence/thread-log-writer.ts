// Appends a thread's records to its JSONL file: one whole line per write call, synchronously, so a crash loses
// at most the line being written and order is kept. Bounded (long strings cut, the file capped), secrets
// redacted, and a write error never throws: it is reported once and logging stops.
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { utf8SafeEnd, utf8SafeStart } from '../../exec/utf8.js';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** A string longer than this is kept as its head and tail (in the file, and in a command's item). */
export const MAX_STRING_BYTES = 64 * 1024;
/** Shorter values would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

export interface LogRecord {
  type: string;
  [key: string]: unknown;
}

/** The first record of every thread log. */
export interface ThreadMeta extends LogRecord {
  type: 'threadMeta';
  threadId: string;
  cwd: string;
  /** ms since the epoch; also names the file's day directory (local time). */
  createdAt: number;
  model: string | null;
  modelProvider: string;
  cliVersion: string;
}

export interface ThreadLogOptions {
  /** Values replaced by `[redacted]` wherever they appear (API keys, auth header values). */
  secrets?: string[];
  maxFileBytes?: number;
  maxStringBytes?: number;
  /** Called once, with the first problem (a write error, the size cap, a record that cannot be serialised). */
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

/** `s` if it fits `max` UTF-8 bytes, else its head and tail (about half each) around a marker. */
export function cutString(s: string, max: number): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no encoding to be known to fit.
  if (s.length * 3 <= max) return s;
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return s;
  const half = Math.floor(max / 2);
  const headEnd = utf8SafeEnd(buf, half);
  const tailStart = utf8SafeStart(buf, buf.length - half);
  const head = buf.subarray(0, headEnd).toString('utf8');
  const tail = buf.subarray(tailStart).toString('utf8');
  return `${head}\n…[${tailStart - headEnd} bytes cut]…\n${tail}`;
}

export class ThreadLogWriter {
  private fd: number | null = null;
  private bytes = 0;
  private stopped = false;
  private warned: string | null = null;
  private readonly secrets: string[];
  private readonly maxFileBytes: number;
  private readonly maxStringBytes: number;

  private constructor(
    readonly path: string,
    private readonly opts: ThreadLogOptions,
  ) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(opts.secrets ?? [])].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
    this.maxFileBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
    this.maxStringBytes = opts.maxStringBytes ?? MAX_STRING_BYTES;
  }

  /** Starts a new thread's log and writes `meta` as its first record. */
  static create(home: string, meta: ThreadMeta, opts: ThreadLogOptions = {}): ThreadLogWriter {
    const writer = new ThreadLogWriter(threadLogPath(home, meta.threadId, meta.createdAt), opts);
    try {
      mkdirSync(dirname(writer.path), { recursive: true, mode: 0o700 });
      writer.open();
    } catch (err) {
      writer.fail(err);
    }
    writer.append(meta);
    return writer;
  }

  /** Continues an existing log (a resumed thread). */
  static reopen(path: string, opts: ThreadLogOptions = {}): ThreadLogWriter {
    const writer = new ThreadLogWriter(path, opts);
    try {
      writer.open();
    } catch (err) {
      writer.fail(err);
    }
    return writer;
  }

  /** The first problem seen: why logging stopped, or a record that was dropped. */
  get warning(): string | null {
    return this.warned;
  }

  append(record: LogRecord): void {
    if (this.stopped || this.fd === null) return;
    let line: Buffer;
    try {
      line = Buffer.from(`${JSON.stringify({ ...(this.clean(record) as LogRecord), ts: Date.now() })}\n`, 'utf8');
    } catch (err) {
      // A record that cannot be serialised (a cycle, a BigInt) is a bug upstream; drop it, keep logging.
      this.warn(`a ${record.type} record could not be saved to ${this.path} (${errorText(err)})`);
      return;
    }
    if (this.bytes + line.length > this.maxFileBytes) {
      this.stop(`the thread log ${this.path} reached its size cap (${this.maxFileBytes} bytes); later records of this conversation are not saved`);
      return;
    }
    try {
      this.write(line);
    } catch (err) {
      this.fail(err);
    }
  }

  close(): void {
    this.stopped = true;
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already unusable; nothing more would be written anyway
    }
    this.fd = null;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a+', 0o600);
    this.bytes = fstatSync(this.fd).size;
    // A crash can leave a half-written last line; end it, or the next record would be glued to it and lost.
    if (this.bytes > 0 && !this.endsWithNewline()) this.write(Buffer.from('\n'));
  }

  private endsWithNewline(): boolean {
    const last = Buffer.alloc(1);
    readSync(this.fd!, last, 0, 1, this.bytes - 1);
    return last[0] === 0x0a;
  }

  /** One write call per line; a short write (disk full) is completed or fails on the next call. */
  private write(buf: Buffer): void {
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd!, buf, done);
    this.bytes += buf.length;
  }

  private redact(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    return out;
  }

  private clean(value: unknown): unknown {
    if (typeof value === 'string') return cutString(this.redact(value), this.maxStringBytes);
    if (Array.isArray(value)) return value.map((v) => this.clean(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.clean(v);
      return out;
    }
    return value;
  }

  private fail(err: unknown): void {
    this.stop(`cannot write the thread log ${this.path} (${errorText(err)}); this conversation is not being saved`);
  }

  private stop(message: string): void {
    this.stopped = true;
    this.closeFd();
    this.warn(message);
  }

  /** Only the first problem is reported: later ones follow from it or add nothing the person can act on. */
  private warn(message: string): void {
    if (this.warned !== null) return;
    this.warned = message;
    this.opts.onWarning?.(message);
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
