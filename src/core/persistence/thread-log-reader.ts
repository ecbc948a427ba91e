// Reads a thread's JSONL file back. A damaged line (half-written by a crash, or garbage) is skipped and
// counted; it never stops the rest from loading.
import { readFileSync, statSync } from 'node:fs';
import type { LogRecord } from './thread-log-writer.js';
import { MAX_FILE_BYTES } from './thread-log-writer.js';

export function readThreadLog(path: string): { records: LogRecord[]; skipped: number } {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES * 2) return { records: [], skipped: 0 };
    text = readFileSync(path, 'utf8');
  } catch {
    return { records: [], skipped: 0 };
  }
  return parseLines(text);
}

export function parseLines(text: string): { records: LogRecord[]; skipped: number } {
  const records: LogRecord[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && typeof (value as LogRecord).type === 'string') records.push(value as LogRecord);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}
