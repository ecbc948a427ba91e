// Reads a thread's JSONL file back. A damaged line (half-written by a crash, or garbage) is skipped and
// counted; it never stops the rest from loading.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type LogRecord, MAX_FILE_BYTES } from './thread-log-writer.js';

export interface ThreadLogContents {
  records: LogRecord[];
  /** Lines that were not a JSON object with a string `type`. */
  skipped: number;
}

/** At most the first `maxBytes` of a file. */
export function readHead(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(fstatSync(fd).size, maxBytes));
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The records of a thread log. Throws only when the file cannot be read at all (the message names the file
 * and the reason). A file larger than `maxBytes` (the writer never makes one) is read up to there.
 */
export function readThreadLog(path: string, opts: { maxBytes?: number } = {}): ThreadLogContents {
  let buf: Buffer;
  try {
    buf = readHead(path, opts.maxBytes ?? MAX_FILE_BYTES);
  } catch (err) {
    throw new Error(`cannot read the thread log ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseLines(buf.toString('utf8'));
}

export function parseLines(text: string): ThreadLogContents {
  const records: LogRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isRecord(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

const isRecord = (v: unknown): v is LogRecord =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string';
