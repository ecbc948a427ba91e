// Turns the conversation's notifications (turns, streamed messages and reasoning, approvals) into TUI state.
// Streamed text is gathered and applied every FLUSH_MS (or with the next keystroke), however fast the model
// writes, in bounded pieces when it writes faster than the screen can take.
import type { CorralClient } from '../protocol/client.js';
import type { ThreadItemData } from '../protocol/shapes.js';
import { cellId } from './cells.js';
import { splitStreaming } from './markdown/split-streaming.js';
import type { TuiState } from './state.js';

const FLUSH_MS = 40;
/**
 * Most streamed text one flush takes in (~200 KB/s at 25 flushes a second, more while typing): lexing,
 * rendering and printing are proportional to it, and one long task would hold keystrokes back. A model that
 * outruns even that leaves the rest for the next flush; the screen falls behind rather than freezing, and
 * catches up when the message ends.
 */
const MAX_FLUSH_CHARS = 8 * 1024;
/** The collapsed reasoning line never needs more than this. */
const THINKING_CAP = 4000;

export interface AgentWiring {
  /** Called when a turn ends (to send the next queued message). */
  onTurnEnded?: () => void;
  /** Called when the model asks to run a command; resolves with the person's decision. */
  onApproval: (prompt: { requestId: string; itemId: string; command: string; cwd: string; reason: string | null; prefix: string[] }) => Promise<
    'accept' | 'acceptForSession' | 'decline' | 'cancel'
  >;
}

/** One line that stands for what the model thought: its summary, else the newest raw reasoning. */
export function thinkingLine(summary: string[], content: string[]): string {
  const text = (summary.join(' ').trim() || content.join('').trim()).replace(/\*\*/g, '');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return summary.length > 0 ? (lines[0] ?? '') : (lines.at(-1) ?? '');
}

export function wireAgent(client: CorralClient, state: TuiState, hooks: AgentWiring): () => void {
  const mine = (threadId: string): boolean => threadId === state.status.get().threadId;
  let pending = '';
  let timer: NodeJS.Timeout | null = null;
  let reasoning: { summary: string[]; content: string[] } = { summary: [], content: [] };

  /** Takes at most MAX_FLUSH_CHARS of what has arrived (whole lines when it can); all of it when `all`. */
  const takePending = (all: boolean): string => {
    if (all || pending.length <= MAX_FLUSH_CHARS) {
      const text = pending;
      pending = '';
      return text;
    }
    const newline = pending.lastIndexOf('\n', MAX_FLUSH_CHARS - 1);
    let at = newline > 0 ? newline + 1 : MAX_FLUSH_CHARS;
    const last = pending.charCodeAt(at - 1);
    if (last >= 0xd800 && last <= 0xdbff) at -= 1; // never split a surrogate pair
    const text = pending.slice(0, at);
    pending = pending.slice(at);
    return text;
  };

  const flush = (all = false): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const s = state.live.get().streaming;
    if (!s || pending === '') return;
    const markdown = s.markdown + takePending(all);
    if (pending !== '') timer = setTimeout(flush, FLUSH_MS);
    const { done, rest } = splitStreaming(markdown);
    if (done !== '') state.append({ kind: 'agent', id: cellId('agent'), markdown: done, first: s.first });
    state.live.set((l) => ({ ...l, streaming: { itemId: s.itemId, markdown: rest, first: s.first && done === '' } }));
  };

  const endMessage = (item: Extract<ThreadItemData, { type: 'agentMessage' }>): void => {
    flush(true);
    const s = state.live.get().streaming;
    const rest = s?.itemId === item.id ? s.markdown : s ? s.markdown : item.text;
    if (rest.trim() !== '') state.append({ kind: 'agent', id: cellId('agent'), markdown: rest, first: s ? s.first : true });
    state.live.set((l) => ({ ...l, streaming: null }));
  };

  const setThinking = (itemId: string): void => {
    const summary = thinkingLine(reasoning.summary, reasoning.content);
    state.live.set((l) => ({ ...l, thinking: { itemId, summary } }));
  };

  // A keystroke redraws the screen anyway: streamed text that is waiting goes into the same frame, so typing
  // during a stream does not add frames of its own.
  const offComposer = state.composer.subscribe(() => {
    if (timer && pending !== '') flush();
  });

  const offs = [
    client.on('turn/started', ({ threadId, turn }) => {
      if (mine(threadId)) state.setStatus({ turn: { id: turn.id, startedAt: Date.now() } });
    }),
    client.on('turn/completed', ({ threadId, turn }) => {
      if (!mine(threadId)) return;
      flush(true);
      const s = state.live.get().streaming;
      if (s && s.markdown.trim() !== '') state.append({ kind: 'agent', id: cellId('agent'), markdown: s.markdown, first: s.first });
      state.live.set((l) => ({ ...l, streaming: null, thinking: null, approval: null }));
      if (turn.status === 'interrupted') state.append({ kind: 'info', id: cellId('info'), text: 'Interrupted. Background terminals keep running; tell the model what to do next.' });
      state.setStatus({ turn: null });
      hooks.onTurnEnded?.();
    }),
    client.on('error', ({ threadId, error }) => {
      if (mine(threadId)) state.append({ kind: 'turnError', id: cellId('turn-error'), message: error.message });
    }),
    client.on('item/started', ({ threadId, item }) => {
      if (!mine(threadId)) return;
      if (item.type === 'agentMessage') {
        flush(true);
        state.live.set((l) => ({ ...l, streaming: { itemId: item.id, markdown: '', first: true } }));
      } else if (item.type === 'reasoning') {
        reasoning = { summary: [], content: [] };
        setThinking(item.id);
      }
    }),
    client.on('item/agentMessage/delta', ({ threadId, delta }) => {
      if (!mine(threadId)) return;
      pending += delta;
      timer ??= setTimeout(flush, FLUSH_MS);
    }),
    client.on('item/reasoning/summaryTextDelta', ({ threadId, itemId, summaryIndex, delta }) => {
      if (!mine(threadId)) return;
      while (reasoning.summary.length <= summaryIndex) reasoning.summary.push('');
      if (reasoning.summary[summaryIndex]!.length < THINKING_CAP) reasoning.summary[summaryIndex] += delta;
      setThinking(itemId);
    }),
    client.on('item/reasoning/textDelta', ({ threadId, itemId, delta }) => {
      if (!mine(threadId)) return;
      const text = (reasoning.content[0] ?? '') + delta;
      reasoning.content = [text.length > THINKING_CAP ? text.slice(-THINKING_CAP) : text];
      setThinking(itemId);
    }),
    client.on('item/completed', ({ threadId, item }) => {
      if (!mine(threadId)) return;
      if (item.type === 'agentMessage') endMessage(item);
      else if (item.type === 'reasoning') {
        state.live.set((l) => ({ ...l, thinking: null }));
        state.append({ kind: 'reasoning', id: cellId('reasoning'), summary: thinkingLine(item.summary, item.content) });
      }
    }),
  ];
  const offApproval = client.onRequest('item/commandExecution/requestApproval', async (p) => {
    const decision = await hooks.onApproval({
      requestId: p.approvalId ?? p.itemId,
      itemId: p.itemId,
      command: p.command ?? '',
      cwd: p.cwd ?? '',
      reason: p.reason,
      prefix: p.proposedExecpolicyAmendment ?? [],
    });
    return { decision };
  });
  return () => {
    if (timer) clearTimeout(timer);
    offComposer();
    offs.forEach((off) => off());
    offApproval();
  };
}
