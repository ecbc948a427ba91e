// The threads kept under $CORRAL_HOME/sessions: listed newest first, summarised from the start of each file
// only (so listing many stays fast), and found by id.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseLines, readHead } from './thread-log-reader.js';
import type { LogRecord } from './thread-log-writer.js';

const SUMMARY_BYTES = 64 * 1024;
const PREVIEW_CHARS = 200;
const DEFAULT_LIMIT = 25;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const FILE_NAME = new RegExp(`^rollout-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-(${UUID})\\.jsonl$`);

export interface ThreadSummary {
  threadId: string;
  path: string;
  cwd: string;
  /** ms since the epoch, from the thread's metadata. */
  createdAt: number;
  /** ms since the epoch: the file's modification time. */
  updatedAt: number;
  /** The first user message, whitespace collapsed, at most 200 characters ('' when there is none yet). */
  preview: string;
}

export interface ThreadPage {
  data: ThreadSummary[];
  /** Pass back as `cursor` for the next page; `null` when this is the last. */
  nextCursor: string | null;
}

interface ThreadFile {
  path: string;
  threadId: string;
  mtimeMs: number;
}

function namesDesc(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => pattern.test(n))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** Every thread file's path, newest day first and, within a day, newest first. */
function* threadPaths(home: string): Generator<string> {
  const root = join(home, 'sessions');
  for (const y of namesDesc(root, /^\d{4}$/))
    for (const m of namesDesc(join(root, y), /^\d{2}$/))
      for (const d of namesDesc(join(root, y, m), /^\d{2}$/))
        for (const f of namesDesc(join(root, y, m, d), FILE_NAME)) yield join(root, y, m, d, f);
}

const cursorOf = (f: ThreadFile): string => `${f.mtimeMs}|${basename(f.path)}`;

/** Newest first: by modification time, then by file name. */
const newerFirst = (a: ThreadFile, b: ThreadFile): number =>
  b.mtimeMs - a.mtimeMs || (basename(a.path) < basename(b.path) ? 1 : basename(a.path) > basename(b.path) ? -1 : 0);

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS) : null;
}

/** The first user message: from a `userMessage` item (what the person typed) or else the model's history. */
function previewOf(records: LogRecord[]): string {
  let fromHistory: string | null = null;
  for (const r of records) {
    const item = r.item as { type?: unknown; role?: unknown; text?: unknown; content?: { text?: unknown }[] } | undefined;
    if (typeof item !== 'object' || item === null) continue;
    if (r.type === 'item' && item.type === 'userMessage' && Array.isArray(item.content)) {
      const text = textOf(item.content[0]?.text);
      if (text !== null) return text;
    }
    if (r.type === 'history' && item.role === 'user' && fromHistory === null) fromHistory = textOf(item.text);
  }
  return fromHistory ?? '';
}

/** `null` for a file that is unreadable or not one of corral's thread logs. */
function summarize(file: ThreadFile): ThreadSummary | null {
  try {
    const head = readHead(file.path, SUMMARY_BYTES);
    // The last line of a full head is cut short; it would only parse as a damaged line.
    const whole = head.length === SUMMARY_BYTES ? head.subarray(0, head.lastIndexOf(0x0a) + 1) : head;
    const { records } = parseLines(whole.toString('utf8'));
    const meta = records[0];
    if (meta?.type !== 'threadMeta' || meta.threadId !== file.threadId) return null;
    return {
      threadId: file.threadId,
      path: file.path,
      cwd: typeof meta.cwd === 'string' ? meta.cwd : '',
      createdAt: typeof meta.createdAt === 'number' ? meta.createdAt : 0,
      updatedAt: file.mtimeMs,
      preview: previewOf(records),
    };
  } catch {
    return null;
  }
}

/**
 * One page of threads, newest first (by last modification). Every file is statted, since a thread resumed
 * today may live in an old day's directory; only the page's files are read, and only their first 64 KiB.
 * The cursor is a position (modification time and file name), so a thread updated meanwhile is not listed twice.
 */
export function listThreads(home: string, opts: { limit?: number; cursor?: string | null } = {}): ThreadPage {
  const files: ThreadFile[] = [];
  for (const path of threadPaths(home)) {
    try {
      const threadId = FILE_NAME.exec(basename(path))![1]!;
      files.push({ path, threadId, mtimeMs: statSync(path).mtimeMs });
    } catch {
      // removed or unreadable meanwhile
    }
  }
  files.sort(newerFirst);
  let start = 0;
  if (opts.cursor) {
    const after = parseCursor(opts.cursor);
    start = files.findIndex((f) => newerFirst(after, f) < 0);
    if (start < 0) start = files.length;
  }
  const limit = Math.max(1, opts.limit ?? DEFAULT_LIMIT);
  const data: ThreadSummary[] = [];
  let i = start;
  for (; i < files.length && data.length < limit; i++) {
    const summary = summarize(files[i]!);
    if (summary) data.push(summary);
  }
  return { data, nextCursor: i < files.length ? cursorOf(files[i - 1]!) : null };
}

/** The position a cursor names; the file it names need not exist any more. */
function parseCursor(cursor: string): ThreadFile {
  const m = /^(\d+(?:\.\d+)?)\|(.*)$/.exec(cursor);
  const id = m ? FILE_NAME.exec(m[2]!)?.[1] : undefined;
  if (!m || !id) throw new Error(`invalid thread list cursor ${JSON.stringify(cursor.slice(0, 200))}: pass back a nextCursor as given`);
  return { path: m[2]!, threadId: id, mtimeMs: Number(m[1]) };
}

/** The log of thread `threadId`, or `null`. */
export function findThreadLog(home: string, threadId: string): string | null {
  if (!new RegExp(`^${UUID}$`).test(threadId)) return null;
  for (const path of threadPaths(home)) if (path.endsWith(`-${threadId}.jsonl`)) return path;
  return null;
}
