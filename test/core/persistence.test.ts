// Thread logs on disk: written a line at a time, bounded, secrets redacted, damaged lines skipped and counted,
// listed newest first in pages, found by id.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findThreadLog, listThreads } from '../../src/core/persistence/thread-index.js';
import { readThreadLog } from '../../src/core/persistence/thread-log-reader.js';
import { type ThreadMeta, ThreadLogWriter } from '../../src/core/persistence/thread-log-writer.js';

const homes: string[] = [];
const home = (): string => {
  const h = mkdtempSync(join(tmpdir(), 'corral-persist-'));
  homes.push(h);
  return h;
};
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
let n = 0;
const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const meta = (threadId: string, createdAt = Date.now()): ThreadMeta => ({
  type: 'threadMeta',
  threadId,
  cwd: '/work/app',
  createdAt,
  model: 'm',
  modelProvider: 'p',
  cliVersion: 't',
});

function userTurn(w: ThreadLogWriter, text: string): void {
  const turnId = uuid();
  w.append({ type: 'turnStarted', turnId });
  w.append({ type: 'item', turnId, item: { type: 'userMessage', id: uuid(), content: [{ type: 'text', text, text_elements: [] }] } });
  w.append({ type: 'history', item: { type: 'message', role: 'user', text } });
  w.append({ type: 'turnCompleted', turnId, status: 'completed', error: null });
}

/** Sets a file's modification time to `secondsAgo` before now. */
function touch(path: string, secondsAgo: number): void {
  const t = Date.now() / 1000 - secondsAgo;
  utimesSync(path, t, t);
}

describe('thread log writer and reader', () => {
  it('round-trips records in order, meta first, each with a timestamp, under the day of creation', () => {
    const h = home();
    const id = uuid();
    const created = new Date(2025, 0, 2, 3, 4, 5).getTime(); // local time, as the path is
    const before = Date.now();
    const w = ThreadLogWriter.create(h, meta(id, created));
    w.append({ type: 'item', turnId: 't', item: { type: 'agentMessage', text: 'héllo ✓ 🚀', n: 1.5, ok: true, none: null } });
    w.append({ type: 'turnCompleted', turnId: 't', status: 'completed', usage: { inputTokens: 3 } });
    w.close();
    w.append({ type: 'item', turnId: 't', item: { text: 'after close' } });

    expect(relative(h, w.path)).toBe(`sessions/2025/01/02/rollout-2025-01-02T03-04-05-${id}.jsonl`);
    const { records, skipped } = readThreadLog(w.path);
    expect(skipped).toBe(0);
    expect(records.map((r) => r.type)).toEqual(['threadMeta', 'item', 'turnCompleted']);
    expect(records[0]).toMatchObject(meta(id, created));
    expect(records[1]!.item).toEqual({ type: 'agentMessage', text: 'héllo ✓ 🚀', n: 1.5, ok: true, none: null });
    for (const r of records) expect(r.ts).toBeGreaterThanOrEqual(before);
    expect(readFileSync(w.path, 'utf8').split('\n')).toHaveLength(4); // three lines, each ended
  });

  it('skips and counts a garbage line and a half-written last line; a reopened log ends the half line first', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    userTurn(w, 'one');
    appendFileSync(w.path, 'garbage that is not json\n[1,2]\n{"no":"type"}\n');
    userTurn(w, 'two');
    appendFileSync(w.path, '{"type":"history","item":{"type":"mess');
    w.close();
    const damaged = readThreadLog(w.path);
    expect(damaged.skipped).toBe(4);
    expect(damaged.records.filter((r) => r.type === 'turnStarted')).toHaveLength(2);

    const again = ThreadLogWriter.reopen(w.path);
    again.append({ type: 'turnStarted', turnId: 'three' });
    again.close();
    const { records, skipped } = readThreadLog(w.path);
    expect(skipped).toBe(4);
    expect(records.at(-1)).toMatchObject({ type: 'turnStarted', turnId: 'three' });
    expect(records).toHaveLength(damaged.records.length + 1);
  });

  it('reads at most maxBytes and says clearly when a log cannot be read', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    for (let i = 0; i < 20; i++) userTurn(w, `message ${i}`);
    const size = statSync(w.path).size;
    const { records, skipped } = readThreadLog(w.path, { maxBytes: Math.floor(size / 2) });
    expect(records.length).toBeGreaterThan(5);
    expect(records.length).toBeLessThan(60);
    expect(skipped).toBeLessThanOrEqual(1); // the line cut at maxBytes
    expect(() => readThreadLog(join(h, 'missing.jsonl'))).toThrow(/cannot read the thread log .*missing\.jsonl.*ENOENT/);
  });

  it('redacts secrets in every string, nested and in keys, before they reach the file', () => {
    const h = home();
    const secret = 'sk-test-abcdef0123456789';
    const header = 'Bearer tok_987654321';
    const w = ThreadLogWriter.create(h, meta(uuid()), { secrets: [secret, header, 'short'] });
    w.append({
      type: 'item',
      turnId: 'x',
      item: { aggregatedOutput: `OPENAI_API_KEY=${secret}\n${secret}`, nested: [{ deep: [`auth: ${header}`] }], [secret]: 'as a key' },
    });
    w.append({ type: 'history', item: { type: 'message', role: 'user', text: 'a short word stays' } });
    const bytes = readFileSync(w.path, 'utf8');
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain('tok_987654321');
    expect(bytes).toContain('short word');
    const item = readThreadLog(w.path).records[1]!.item;
    expect(item).toEqual({
      aggregatedOutput: 'OPENAI_API_KEY=[redacted]\n[redacted]',
      nested: [{ deep: ['auth: [redacted]'] }],
      '[redacted]': 'as a key',
    });
  });

  it('cuts a long string to its head and tail at character boundaries', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()), { maxStringBytes: 1000 });
    const long = `START${'é'.repeat(20_000)}🚀END`;
    w.append({ type: 'item', turnId: 'x', item: { aggregatedOutput: long, short: 'kept' } });
    const item = readThreadLog(w.path).records[1]!.item as { aggregatedOutput: string; short: string };
    expect(item.short).toBe('kept');
    const cut = item.aggregatedOutput;
    expect(cut.startsWith('STARTéé')).toBe(true);
    expect(cut.endsWith('éé🚀END')).toBe(true);
    expect(cut).not.toContain('\uFFFD'); // no character split
    const removed = Number(/…\[(\d+) bytes cut\]…/.exec(cut)![1]);
    const kept = Buffer.byteLength(cut.replace(/\n…\[\d+ bytes cut\]…\n/, ''));
    expect(kept).toBeLessThanOrEqual(1000);
    expect(kept).toBeGreaterThan(990);
    expect(kept + removed).toBe(Buffer.byteLength(long));
  });

  it('stops at the file cap, saying so once, and keeps whole lines', () => {
    const h = home();
    const warnings: string[] = [];
    const w = ThreadLogWriter.create(h, meta(uuid()), { maxFileBytes: 20_000, onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 100; i++) w.append({ type: 'history', item: { type: 'message', role: 'user', text: 'y'.repeat(900) } });
    const bytes = readFileSync(w.path);
    expect(bytes.length).toBeLessThanOrEqual(20_000);
    expect(bytes.length).toBeGreaterThan(18_000);
    expect(readThreadLog(w.path).skipped).toBe(0);
    expect(warnings).toEqual([w.warning]);
    expect(w.warning).toMatch(/size cap \(20000 bytes\)/);
    w.append({ type: 'turnStarted', turnId: 'small' });
    expect(readFileSync(w.path).length).toBe(bytes.length);
  });

  it('never throws when the log cannot be written: it warns once and skips later records', () => {
    const h = home();
    writeFileSync(join(h, 'sessions'), 'a file where the directory should be');
    const warnings: string[] = [];
    const w = ThreadLogWriter.create(h, meta(uuid()), { onWarning: (m) => warnings.push(m) });
    expect(() => userTurn(w, 'hello')).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(w.warning).toMatch(/cannot write the thread log .*sessions.*\(E[A-Z]+/);
    expect(w.warning).toMatch(/not being saved/);

    const r = ThreadLogWriter.reopen(join(h, 'sessions', 'x.jsonl'));
    expect(() => r.append({ type: 'turnStarted' })).not.toThrow();
    expect(r.warning).toMatch(/cannot write the thread log/);
  });

  it('drops a record that cannot be serialised, warns, and keeps logging', () => {
    const w = ThreadLogWriter.create(home(), meta(uuid()));
    w.append({ type: 'item', big: 10n });
    w.append({ type: 'turnStarted', turnId: 'next' });
    expect(w.warning).toMatch(/a item record could not be saved/);
    expect(readThreadLog(w.path).records.map((r) => r.type)).toEqual(['threadMeta', 'turnStarted']);
  });

  it('creates files only the owner can read', () => {
    const w = ThreadLogWriter.create(home(), meta(uuid()));
    expect(statSync(w.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(w.path)).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(dirname(dirname(dirname(w.path))))).mode & 0o777).toBe(0o700); // sessions/
  });
});

describe('thread index', () => {
  it('lists newest first by modification time, in pages, with each first user message', () => {
    const h = home();
    const day = 86_400_000;
    const ids: string[] = [];
    const created: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = uuid();
      ids.push(id);
      created.push(Date.now() - (5 - i) * day);
      const w = ThreadLogWriter.create(h, meta(id, created[i]));
      userTurn(w, `message  ${i}\n second line`);
      w.close();
      touch(w.path, 100 - i);
    }
    // The oldest thread was resumed: it now comes first although its day directory is the oldest.
    touch(findThreadLog(h, ids[0]!)!, 1);

    const first = listThreads(h, { limit: 2 });
    expect(first.data.map((t) => t.threadId)).toEqual([ids[0], ids[4]]);
    expect(first.data[1]).toMatchObject({ cwd: '/work/app', preview: 'message 4 second line' });
    expect(first.data[1]!.updatedAt).toBeCloseTo(Date.now() - 96_000, -4);
    expect(first.data[1]!.createdAt).toBe(created[4]);
    const second = listThreads(h, { limit: 2, cursor: first.nextCursor });
    expect(second.data.map((t) => t.threadId)).toEqual([ids[3], ids[2]]);
    const last = listThreads(h, { limit: 2, cursor: second.nextCursor });
    expect(last.data.map((t) => t.threadId)).toEqual([ids[1]]);
    expect(last.nextCursor).toBeNull();

    // Threads updated between pages (the cursor's own among them) are not listed again on a later page.
    touch(findThreadLog(h, ids[2]!)!, 0);
    touch(findThreadLog(h, ids[3]!)!, 0);
    expect(listThreads(h, { limit: 2, cursor: second.nextCursor }).data.map((t) => t.threadId)).toEqual([ids[1]]);

    expect(listThreads(h).data).toHaveLength(5);
    expect(() => listThreads(h, { cursor: 'nonsense' })).toThrow(/invalid thread list cursor/);
  });

  it('takes the preview from the first userMessage item, else from history, cut to 200 characters', () => {
    const h = home();
    const a = ThreadLogWriter.create(h, meta(uuid()));
    a.append({ type: 'history', item: { type: 'message', role: 'user', text: 'context the model sees' } });
    a.append({ type: 'item', turnId: 't', item: { type: 'userMessage', id: 'u', content: [{ type: 'text', text: 'what the person typed' }] } });
    const b = ThreadLogWriter.create(h, meta(uuid()));
    b.append({ type: 'history', item: { type: 'message', role: 'user', text: 'x'.repeat(300) } });
    const c = ThreadLogWriter.create(h, meta(uuid()));
    for (const w of [a, b, c]) w.close();
    const byId = new Map(listThreads(h).data.map((t) => [t.threadId, t.preview]));
    expect(byId.get(a.path.slice(-42, -6))).toBe('what the person typed');
    expect(byId.get(b.path.slice(-42, -6))).toBe('x'.repeat(200));
    expect(byId.get(c.path.slice(-42, -6))).toBe('');
  });

  it('summarises from the first 64 KiB only', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    for (let i = 0; i < 20; i++) w.append({ type: 'item', turnId: 't', item: { type: 'reasoning', text: 'z'.repeat(4000) } });
    userTurn(w, 'too far in');
    w.close();
    const [summary] = listThreads(h).data;
    expect(summary!.threadId).toBe(w.path.slice(-42, -6));
    expect(summary!.preview).toBe('');
  });

  it('ignores foreign and unreadable files and finds a log by id', () => {
    const h = home();
    const w = ThreadLogWriter.create(h, meta(uuid()));
    userTurn(w, 'real');
    w.close();
    const dir = dirname(w.path);
    writeFileSync(join(dir, 'notes.txt'), 'not a thread');
    writeFileSync(join(dir, `rollout-2025-01-01T00-00-00-${uuid()}.jsonl`), 'garbage\n');
    writeFileSync(join(dir, `rollout-2025-01-01T00-00-00-${uuid()}.jsonl`), `${JSON.stringify(meta(uuid()))}\n`); // id mismatch
    mkdirSync(join(dir, `rollout-2025-01-01T00-00-00-${uuid()}.jsonl`)); // a directory
    mkdirSync(join(h, 'sessions', 'misc'));
    const { data, nextCursor } = listThreads(h, { limit: 10 });
    expect(data.map((t) => t.preview)).toEqual(['real']);
    expect(nextCursor).toBeNull();

    const id = w.path.slice(-42, -6);
    expect(findThreadLog(h, id)).toBe(w.path);
    expect(findThreadLog(h, uuid())).toBeNull();
    expect(findThreadLog(h, '../../etc/passwd')).toBeNull();
    expect(findThreadLog(join(h, 'nowhere'), id)).toBeNull();
    expect(listThreads(join(h, 'nowhere'))).toEqual({ data: [], nextCursor: null });
  });
});
