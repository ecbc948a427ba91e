// Thread logs on disk: written a line at a time, bounded, secrets redacted, damaged lines skipped, listed
// newest first, and a thread read back into turns and history (resume).
import { appendFileSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreThread } from '../../src/core/agent/restore.js';
import { readThreadLog } from '../../src/core/persistence/thread-log-reader.js';
import { ThreadLogWriter } from '../../src/core/persistence/thread-log-writer.js';
import { findThreadLog, listThreads } from '../../src/core/persistence/thread-index.js';

const home = (): string => mkdtempSync(join(tmpdir(), 'corral-persist-'));
let n = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const meta = (threadId: string, createdAt = Date.now()) => ({ type: 'threadMeta', threadId, cwd: '/work/app', createdAt, model: 'm', modelProvider: 'p', cliVersion: 't' });

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

describe('thread logs', () => {
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

  it('redacts secrets everywhere before they reach the file', () => {
    const h = home();
    const secret = 'sk-test-abcdef0123456789';
    const w = ThreadLogWriter.create(h, meta(uuid()), { secrets: [secret, 'short'] });
    w.append({ type: 'item', turnId: 'x', item: { aggregatedOutput: `OPENAI_API_KEY=${secret}\n`, nested: [{ deep: `Bearer ${secret}` }] } });
    const bytes = readFileSync(w.path, 'utf8');
    expect(bytes).not.toContain(secret);
    expect(bytes).toContain('OPENAI_API_KEY=[redacted]');
    expect(bytes).toContain('Bearer [redacted]');
  });

  it('cuts long strings and stops at the file cap, saying so once', () => {
    const h = home();
    const warnings: string[] = [];
    const w = ThreadLogWriter.create(h, meta(uuid()), { maxStringBytes: 1000, maxFileBytes: 20_000, onWarning: (m) => warnings.push(m) });
    w.append({ type: 'item', turnId: 'x', item: { aggregatedOutput: 'x'.repeat(50_000) } });
    const line = readFileSync(w.path, 'utf8').split('\n')[1]!;
    expect(line.length).toBeLessThan(2000);
    expect(line).toContain('bytes cut');
    for (let i = 0; i < 100; i++) w.append({ type: 'history', item: { type: 'message', role: 'user', text: 'y'.repeat(900) } });
    expect(readFileSync(w.path).length).toBeLessThanOrEqual(20_000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/size cap/);
  });

  it('never throws when the log cannot be written: it warns once', () => {
    const h = home();
    writeFileSync(join(h, 'sessions'), 'a file where the directory should be');
    const warnings: string[] = [];
    const w = ThreadLogWriter.create(h, meta(uuid()), { onWarning: (m) => warnings.push(m) });
    expect(() => userTurn(w, 'hello')).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(w.warning).toMatch(/cannot write the thread log/);
  });

  it('creates files only the owner can read', () => {
    const w = ThreadLogWriter.create(home(), meta(uuid()));
    expect(statSync(w.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(w.path)).mode & 0o777).toBe(0o700);
  });

  it('lists threads newest first with their first message, in pages, and finds one by id', () => {
    const h = home();
    const ids: string[] = [];
    const day = 86_400_000;
    for (let i = 0; i < 5; i++) {
      const id = uuid();
      ids.push(id);
      const w = ThreadLogWriter.create(h, meta(id, Date.now() - (5 - i) * day));
      userTurn(w, `message ${i}`);
      const t = (Date.now() - (5 - i) * 1000) / 1000;
      utimesSync(w.path, t, t);
    }
    const first = listThreads(h, { limit: 2 });
    expect(first.data.map((t) => t.preview)).toEqual(['message 4', 'message 3']);
    expect(first.nextCursor).toBe(ids[3]);
    const second = listThreads(h, { limit: 2, cursor: first.nextCursor });
    expect(second.data.map((t) => t.threadId)).toEqual([ids[2], ids[1]]);
    const last = listThreads(h, { limit: 2, cursor: second.nextCursor });
    expect(last.data.map((t) => t.threadId)).toEqual([ids[0]]);
    expect(last.nextCursor).toBeNull();
    expect(findThreadLog(h, ids[2]!)).toMatch(new RegExp(`${ids[2]}\\.jsonl$`));
    expect(findThreadLog(h, uuid())).toBeNull();
  });
});
