// A finished conversation of many turns written as corral's own thread log, so that `corral resume --last`
// puts that many cells in the transcript without waiting for a model. Written with corral's ThreadLogWriter,
// so the records are exactly what a real run leaves.
import { randomUUID } from 'node:crypto';
import { ThreadLogWriter } from '../src/core/persistence/thread-log-writer.js';
import { markdownAnswer } from './markdown-answer.js';

/** The last cell's text, on screen once the whole transcript has been printed. */
export const lastAnswerLine = (turns: number): string => `That was answer ${turns}.`;

/** Writes a thread of `turns` turns (a user message and a Markdown answer each: two cells) under `home`. */
export function writeFinishedThread(home: string, cwd: string, turns: number): string {
  const createdAt = Date.now() - turns * 60_000;
  const writer = ThreadLogWriter.create(home, {
    type: 'threadMeta',
    threadId: randomUUID(),
    cwd,
    createdAt,
    model: 'bench',
    modelProvider: 'local',
    cliVersion: 'bench',
  });
  for (let n = 1; n <= turns; n++) {
    const turnId = randomUUID();
    const startedAt = createdAt + (n - 1) * 60_000;
    const question = `Question ${n}: explain how the process manager bounds its buffers.`;
    const answer = markdownAnswer(400, n, lastAnswerLine(n));
    writer.append({ type: 'turnStarted', turnId, startedAt });
    writer.append({ type: 'item', turnId, item: { type: 'userMessage', id: randomUUID(), content: [{ type: 'text', text: question, text_elements: [] }] } });
    writer.append({ type: 'history', item: { type: 'message', role: 'user', text: question } });
    writer.append({ type: 'item', turnId, item: { type: 'agentMessage', id: randomUUID(), text: answer } });
    writer.append({ type: 'history', item: { type: 'message', role: 'assistant', text: answer } });
    writer.append({ type: 'turnCompleted', turnId, status: 'completed', error: null, completedAt: startedAt + 5000, durationMs: 5000 });
  }
  writer.close();
  if (writer.warning) throw new Error(`could not write the fixture thread: ${writer.warning}`);
  return writer.path;
}
