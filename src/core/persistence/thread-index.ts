// The threads kept under $CORRAL_HOME/sessions, newest first, summarised from the start of each file (so
// listing many stays fast), and finding one by id.
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseLines } from './thread-log-reader.js';

const HEAD_BYTES = 64 * 1024;
const PREVIEW_CHARS = 200;
const NAME = /^rollout-.*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

export interface ThreadSummary {
  threadId: string;
  path: string;
  cwd: string;
  createdAt: number;
  updatedAt: number;
  preview: string;
}

function dirsDesc(path: string, pattern: RegExp): string[] {
  try {
    return readdirSync(path)
      .filter((n) => pattern.test(n))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** Every thread file, newest day first (within a day, newest name first). */
function* threadFiles(home: string): Generator<string> {
  const root = join(home, 'sessions');
  for (const y of dirsDesc(root, /^\d{4}$/))
    for (const m of dirsDesc(join(root, y), /^\d{2}$/))
      for (const d of dirsDesc(join(root, y, m), /^\d{2}$/)) for (const f of dirsDesc(join(root, y, m, d), NAME)) yield join(root, y, m, d, f);
}

function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    const text = buf.subarray(0, n).toString('utf8');
    return n === HEAD_BYTES ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
  } finally {
    closeSync(fd);
  }
}

function summarize(path: string): ThreadSummary | null {
  try {
    const { records } = parseLines(readHead(path));
    const meta = records.find((r) => r.type === 'threadMeta');
    if (!meta || typeof meta.threadId !== 'string') return null;
    let preview = '';
    for (const r of records) {
      const item = r.item as { type?: string; role?: string; text?: string } | undefined;
      if (r.type === 'history' && item?.type === 'message' && item.role === 'user' && typeof item.text === 'string') {
        preview = item.text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
        break;
      }
    }
    return {
      threadId: meta.threadId,
      path,
      cwd: typeof meta.cwd === 'string' ? meta.cwd : '',
      createdAt: typeof meta.createdAt === 'number' ? meta.createdAt : 0,
      updatedAt: statSync(path).mtimeMs,
      preview,
    };
  } catch {
    return null;
  }
}

/**
 * Threads, newest first by last update. The cursor is the id of the last thread of the previous page.
 * Files are few per day; all are statted (cheap), only the page's are read.
 */
export function listThreads(home: string, opts: { limit?: number; cursor?: string | null } = {}): { data: ThreadSummary[]; nextCursor: string | null } {
  const files: { path: string; mtime: number }[] = [];
  for (const path of threadFiles(home)) {
    try {
      files.push({ path, mtime: statSync(path).mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  files.sort((a, b) => b.mtime - a.mtime || b.path.localeCompare(a.path));
  let start = 0;
  if (opts.cursor) {
    const at = files.findIndex((f) => NAME.exec(f.path.slice(f.path.lastIndexOf('/') + 1))?.[1] === opts.cursor);
    start = at >= 0 ? at + 1 : files.length;
  }
  const limit = opts.limit ?? 25;
  const data: ThreadSummary[] = [];
  let i = start;
  for (; i < files.length && data.length < limit; i++) {
    const s = summarize(files[i]!.path);
    if (s) data.push(s);
  }
  return { data, nextCursor: i < files.length && data.length > 0 ? data[data.length - 1]!.threadId : null };
}

export function findThreadLog(home: string, threadId: string): string | null {
  if (!/^[0-9a-f-]{36}$/.test(threadId)) return null;
  for (const path of threadFiles(home)) if (path.endsWith(`-${threadId}.jsonl`)) return path;
  return null;
}
