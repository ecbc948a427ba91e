// A thread read back from its log (resume): turns with their items, the history for the model, and what a
// crash left unfinished.
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreThread } from '../../src/core/agent/restore.js';
import { readThreadLog } from '../../src/core/persistence/thread-log-reader.js';
import { ThreadLogWriter } from '../../src/core/persistence/thread-log-writer.js';

const home = (): string => mkdtempSync(join(tmpdir(), 'corral-persist-'));
let n = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const meta = (threadId: string, createdAt = Date.now()) => ({ type: 'threadMeta' as const, threadId, cwd: '/work/app', createdAt, model: 'm', modelProvider: 'p', cliVersion: 't' });

function userTurn(w: ThreadLogWriter, text: string, done = true): void {
  const turnId = uuid();
  w.append({ type: 'turnStarted', turnId, startedAt: Date.now() });
  w.append({ type: 'item', turnId, item: { type: 'userMessage', id: uuid(), content: [{ type: 'text', text, text_elements: [] }] } });
  w.append({ type: 'history', item: { type: 'message', role: 'user', text } });
  if (done) {
    w.append({ type: 'item', turnId, item: { type: 'agentMessage', id: uuid(), text: `re: ${text}` } });
    w.append({ type: 'history', item: { type: 'message', role: 'assistant', text: `re: ${text}` } });
    w.append({ type: 'turnCompleted', turnId, status: 'completed', error: null, completedAt: Date.now(), durationMs: 5 });
  }
}

describe('restoring a thread', () => {
  it('round-trips turns, items and history; a turn the log never saw end comes back interrupted', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    userTurn(w, 'first');
    userTurn(w, 'second', false);
    w.append({ type: 'history', item: { type: 'functionCall', callId: 'c1', name: 'exec_command', arguments: '{"cmd":"sleep 9"}' } });
    const restored = restoreThread(readThreadLog(w.path).records)!;
    expect(restored.turns.map((t) => t.status)).toEqual(['completed', 'interrupted']);
    expect(restored.turns[0]!.items.map((i) => i.type)).toEqual(['userMessage', 'agentMessage']);
    // A call killed mid-way gets an output, or the next request would be refused.
    expect(restored.history.map((i) => i.type)).toEqual(['message', 'message', 'message', 'functionCall', 'functionCallOutput']);
  });

  it('skips and counts a damaged line and a half-written last line', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    userTurn(w, 'one');
    appendFileSync(w.path, 'garbage that is not json\n');
    userTurn(w, 'two');
    appendFileSync(w.path, '{"type":"history","item":{"type":"mess');
    const { records, skipped } = readThreadLog(w.path);
    expect(skipped).toBe(2);
    expect(restoreThread(records)!.turns).toHaveLength(2);
  });

});
