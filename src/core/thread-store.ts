// Threads on disk: a new thread's log, the list of past threads, and loading one back (resume).
import { readThreadLog } from './persistence/thread-log-reader.js';
import { ThreadLogWriter } from './persistence/thread-log-writer.js';
import { findThreadLog, listThreads } from './persistence/thread-index.js';
import type { RestoredThread } from './agent/agent-thread.js';
import { restoreThread } from './agent/restore.js';
import type { ThreadInfo } from './session-events.js';

export interface StoredThreadSummary {
  threadId: string;
  cwd: string;
  createdAt: number;
  updatedAt: number;
  preview: string;
}

export class ThreadStore {
  /** A log that could not be written (disk full, not writable); shown once. */
  onWarning: (message: string) => void = () => undefined;

  constructor(
    private readonly home: string,
    private readonly secrets: string[],
    private readonly cliVersion: string,
  ) {}

  open(info: ThreadInfo): ThreadLogWriter | null {
    const writer = ThreadLogWriter.create(
      this.home,
      { type: 'threadMeta', threadId: info.id, cwd: info.cwd, createdAt: info.createdAt, model: info.model, modelProvider: info.modelProvider, cliVersion: this.cliVersion },
      { secrets: this.secrets, onWarning: (m: string) => this.onWarning(m) },
    );
    return writer;
  }

  list(opts: { cursor?: string | null; limit?: number | null }): { data: StoredThreadSummary[]; nextCursor: string | null } {
    const page = listThreads(this.home, { cursor: opts.cursor ?? null, limit: opts.limit ?? 25 });
    return {
      nextCursor: page.nextCursor,
      data: page.data.map((t) => ({ threadId: t.threadId, cwd: t.cwd, createdAt: t.createdAt, updatedAt: t.updatedAt, preview: t.preview })),
    };
  }

  /** The newest thread, for `corral resume --last`. */
  newest(): StoredThreadSummary | null {
    return this.list({ limit: 1 }).data[0] ?? null;
  }

  load(threadId: string): { info: ThreadInfo; restored: RestoredThread } | null {
    const path = findThreadLog(this.home, threadId);
    if (!path) return null;
    let records;
    try {
      records = readThreadLog(path).records;
    } catch {
      return null; // unreadable: as good as absent
    }
    const log = restoreThread(records);
    if (!log) return null;
    const first = log.history.find((h) => h.type === 'message' && h.role === 'user');
    const info: ThreadInfo = {
      id: log.meta.threadId,
      cwd: log.meta.cwd,
      createdAt: log.meta.createdAt,
      updatedAt: log.updatedAt,
      preview: first && first.type === 'message' ? first.text.slice(0, 200) : '',
      model: log.meta.model,
      modelProvider: log.meta.modelProvider,
      ephemeral: false,
      status: { type: 'idle' },
    };
    const writer = ThreadLogWriter.reopen(path, { secrets: this.secrets, onWarning: (m: string) => this.onWarning(m) });
    return { info, restored: { turns: log.turns, history: log.history, usage: log.usage, log: writer } };
  }
}
