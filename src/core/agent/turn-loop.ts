// The agent loop of one turn: ask the model, stream its answer and reasoning into items, run the tools it
// called (one after another, in order), give it their output, and ask again until it answers without a tool
// call. It knows the provider only through the ModelProvider interface.
import { randomUUID } from 'node:crypto';
import type { AgentMessageItem, ReasoningItem, ThreadItem } from '../items.js';
import type { ConversationItem, ModelProvider, TokenUsage, ToolSpec } from '../model/types.js';

export interface ToolCall {
  callId: string;
  name: string;
  arguments: string;
}

export interface TurnLoopHooks {
  itemStarted(item: ThreadItem): void;
  itemCompleted(item: ThreadItem): void;
  agentMessageDelta(itemId: string, delta: string): void;
  reasoningSummaryPartAdded(itemId: string, summaryIndex: number): void;
  reasoningSummaryDelta(itemId: string, summaryIndex: number, delta: string): void;
  reasoningTextDelta(itemId: string, contentIndex: number, delta: string): void;
  usage(usage: TokenUsage): void;
  /** Something to remember for the next request (and to persist). */
  history(item: ConversationItem): void;
  /** Runs one tool call; the text goes back to the model. */
  runTool(call: ToolCall): Promise<string>;
}

export interface TurnLoopInput {
  provider: ModelProvider;
  model: string;
  instructions: string;
  tools: ToolSpec[];
  /** The conversation so far, this turn's user message included; the loop appends to it. */
  history: ConversationItem[];
  signal: AbortSignal;
  /**
   * Sent with every request ahead of this turn's user message, in the same message, never kept in the history
   * (the live list of background terminals). In the same message: some chat templates refuse two user messages
   * in a row, and the person's words stay the end of the newest user message.
   */
  context?: () => Promise<string | null>;
}

/** Output given to the model for a call that never ran because the turn was interrupted. */
export const ABORTED_OUTPUT = 'aborted: the person interrupted the turn before this ran';

/** One model response being streamed into items. */
class ResponseItems {
  message: AgentMessageItem | null = null;
  reasoning: ReasoningItem | null = null;
  readonly calls: ToolCall[] = [];

  constructor(private readonly hooks: TurnLoopHooks) {}

  text(delta: string): void {
    this.closeReasoning();
    if (!this.message) {
      this.message = { type: 'agentMessage', id: randomUUID(), text: '' };
      this.hooks.itemStarted({ ...this.message });
    }
    this.message.text += delta;
    this.hooks.agentMessageDelta(this.message.id, delta);
  }

  reason(kind: 'summary' | 'text', index: number, delta: string): void {
    if (!this.reasoning) {
      this.reasoning = { type: 'reasoning', id: randomUUID(), summary: [], content: [] };
      this.hooks.itemStarted({ ...this.reasoning, summary: [], content: [] });
    }
    const parts = kind === 'summary' ? this.reasoning.summary : this.reasoning.content;
    while (parts.length <= index) {
      parts.push('');
      if (kind === 'summary') this.hooks.reasoningSummaryPartAdded(this.reasoning.id, parts.length - 1);
    }
    parts[index] += delta;
    if (kind === 'summary') this.hooks.reasoningSummaryDelta(this.reasoning.id, index, delta);
    else this.hooks.reasoningTextDelta(this.reasoning.id, index, delta);
  }

  private closeReasoning(): void {
    if (!this.reasoning) return;
    const r = this.reasoning;
    this.reasoning = null;
    this.hooks.itemCompleted({ ...r, summary: [...r.summary], content: [...r.content] });
    this.hooks.history({ type: 'reasoning', summary: [...r.summary], text: r.content.join('') });
  }

  /** Completes what was streamed (also when the stream was cut: what arrived is kept). */
  close(): void {
    this.closeReasoning();
    if (this.message) {
      const m = this.message;
      this.message = null;
      this.hooks.itemCompleted({ ...m });
      this.hooks.history({ type: 'message', role: 'assistant', text: m.text });
    }
  }
}

function withContext(history: ConversationItem[], at: number, context: string): ConversationItem[] {
  const user = history[at];
  if (user?.type !== 'message' || user.role !== 'user') return history;
  return [...history.slice(0, at), { ...user, text: `${context}\n\n${user.text}` }, ...history.slice(at + 1)];
}

/** Runs until the model answers without calling a tool. Throws ProviderError (aborted included). */
export async function runTurnLoop(input: TurnLoopInput, hooks: TurnLoopHooks): Promise<void> {
  const remember = (item: ConversationItem): void => {
    input.history.push(item);
    hooks.history(item);
  };
  const rememberingHooks: TurnLoopHooks = { ...hooks, history: remember };
  const userMessageAt = input.history.length - 1;
  for (;;) {
    const response = new ResponseItems(rememberingHooks);
    const context = (await input.context?.()) ?? null;
    try {
      for await (const ev of input.provider.stream({
        model: input.model,
        instructions: input.instructions,
        input: context === null ? input.history : withContext(input.history, userMessageAt, context),
        tools: input.tools,
        signal: input.signal,
      })) {
        if (ev.type === 'textDelta') response.text(ev.delta);
        else if (ev.type === 'reasoningDelta') response.reason(ev.kind, ev.index, ev.delta);
        else if (ev.type === 'toolCall') response.calls.push({ callId: ev.callId, name: ev.name, arguments: ev.arguments });
        else if (ev.type === 'usage') hooks.usage(ev.usage);
      }
    } finally {
      response.close();
    }
    if (response.calls.length === 0) return;
    for (const call of response.calls) remember({ type: 'functionCall', ...call });
    let i = 0;
    try {
      for (; i < response.calls.length; i++) {
        const call = response.calls[i]!;
        const output = input.signal.aborted ? ABORTED_OUTPUT : await hooks.runTool(call);
        remember({ type: 'functionCallOutput', callId: call.callId, output });
      }
    } finally {
      // Every call gets an output, or the next request is refused by the API.
      for (; i < response.calls.length; i++) remember({ type: 'functionCallOutput', callId: response.calls[i]!.callId, output: ABORTED_OUTPUT });
    }
    if (input.signal.aborted) return;
  }
}
