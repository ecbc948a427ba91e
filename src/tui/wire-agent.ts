// Turns the conversation's notifications (turns, streamed messages and reasoning, approvals) into TUI state.
// Streamed text is gathered and applied at most ~30 times a second, however fast the model writes.
import type { CorralClient } from '../protocol/client.js';
import type { ThreadItemData } from '../protocol/shapes.js';
import { cellId } from './cells.js';
import { splitStreaming } from './markdown/split-streaming.js';
import type { TuiState } from './state.js';

const FLUSH_MS = 33;
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

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const s = state.live.get().streaming;
    if (!s || pending === '') return;
    const markdown = s.markdown + pending;
    pending = '';
    const { done, rest } = splitStreaming(markdown);
    if (done !== '') state.append({ kind: 'agent', id: cellId('agent'), markdown: done, first: s.first });
    state.live.set((l) => ({ ...l, streaming: { itemId: s.itemId, markdown: rest, first: s.first && done === '' } }));
  };

  const endMessage = (item: Extract<ThreadItemData, { type: 'agentMessage' }>): void => {
    flush();
    const s = state.live.get().streaming;
    const rest = s?.itemId === item.id ? s.markdown : s ? s.markdown : item.text;
    if (rest.trim() !== '') state.append({ kind: 'agent', id: cellId('agent'), markdown: rest, first: s ? s.first : true });
    state.live.set((l) => ({ ...l, streaming: null }));
  };

  const setThinking = (itemId: string): void => {
    const summary = thinkingLine(reasoning.summary, reasoning.content);
    state.live.set((l) => ({ ...l, thinking: { itemId, summary } }));
  };

  const offs = [
    client.on('turn/started', ({ threadId, turn }) => {
      if (mine(threadId)) state.setStatus({ turn: { id: turn.id, startedAt: Date.now() } });
    }),
    client.on('turn/completed', ({ threadId, turn }) => {
      if (!mine(threadId)) return;
      flush();
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
        flush();
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
    offs.forEach((off) => off());
    offApproval();
  };
}
