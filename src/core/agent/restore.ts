// Rebuilds a thread from its log: its metadata, turns with their items, the history for the model and the
// token usage. A turn the log never saw end (corral was killed mid-turn) is restored as interrupted.
import type { ThreadItem } from '../items.js';
import type { ConversationItem, TokenUsage } from '../model/types.js';
import { type Turn, type TurnError, type TurnStatus, ZERO_USAGE, addUsage, unixSeconds } from '../turns.js';

export interface ThreadMetaRecord {
  type: 'threadMeta';
  threadId: string;
  cwd: string;
  createdAt: number;
  model: string | null;
  modelProvider: string;
  cliVersion: string;
}

export interface RestoredLog {
  meta: ThreadMetaRecord;
  turns: Turn[];
  history: ConversationItem[];
  usage: TokenUsage;
  updatedAt: number;
}

type LogRecord = { type?: unknown; ts?: unknown; [k: string]: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function restoreThread(records: readonly LogRecord[]): RestoredLog | null {
  const meta = records.find((r): r is LogRecord & ThreadMetaRecord => r.type === 'threadMeta' && typeof r.threadId === 'string');
  if (!meta) return null;
  const turns = new Map<string, Turn>();
  const history: ConversationItem[] = [];
  let usage = ZERO_USAGE;
  let updatedAt = meta.createdAt;
  for (const r of records) {
    if (typeof r.ts === 'number') updatedAt = Math.max(updatedAt, r.ts);
    const turnId = typeof r.turnId === 'string' ? r.turnId : null;
    switch (r.type) {
      case 'turnStarted':
        if (turnId && typeof r.startedAt === 'number') {
          turns.set(turnId, { id: turnId, items: [], status: 'interrupted', error: null, startedAt: unixSeconds(r.startedAt), completedAt: null, durationMs: null });
        }
        break;
      case 'item': {
        const turn = turnId ? turns.get(turnId) : undefined;
        if (!turn || !isObject(r.item) || typeof r.item.id !== 'string') break;
        const item = r.item as unknown as ThreadItem;
        const i = turn.items.findIndex((x) => x.id === item.id);
        if (i >= 0) turn.items[i] = item;
        else turn.items.push(item);
        break;
      }
      case 'history':
        if (isObject(r.item) && typeof r.item.type === 'string') history.push(r.item as unknown as ConversationItem);
        break;
      case 'tokenUsage':
        if (isObject(r.usage)) usage = addUsage(usage, r.usage as unknown as TokenUsage);
        break;
      case 'turnCompleted': {
        const turn = turnId ? turns.get(turnId) : undefined;
        if (!turn) break;
        turn.status = (r.status as TurnStatus) ?? 'completed';
        turn.error = (r.error as TurnError | null) ?? null;
        turn.completedAt = typeof r.completedAt === 'number' ? unixSeconds(r.completedAt) : null;
        turn.durationMs = typeof r.durationMs === 'number' ? r.durationMs : null;
        break;
      }
    }
  }
  return { meta, turns: [...turns.values()], history: repairHistory(history), usage, updatedAt };
}

/** A call whose output was never written (killed mid-command) gets one, or the API refuses the history. */
function repairHistory(history: ConversationItem[]): ConversationItem[] {
  const answered = new Set(history.flatMap((h) => (h.type === 'functionCallOutput' ? [h.callId] : [])));
  const out: ConversationItem[] = [];
  for (const h of history) {
    out.push(h);
    if (h.type === 'functionCall' && !answered.has(h.callId)) {
      out.push({ type: 'functionCallOutput', callId: h.callId, output: 'aborted: corral ended before this command finished' });
    }
  }
  return out;
}
