// The Chat Completions API (`POST /chat/completions`, streamed): what nearly every local or hosted
// OpenAI-compatible server speaks. Reasoning arrives in a non-standard delta field or as a `<think>` block
// at the start of the content; both become reasoning, never answer text.
import type OpenAI from 'openai';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { guardedStream } from './guarded-stream.js';
import { streamDisconnectedError } from './provider-errors.js';
import type { ErrorContext } from './provider-errors.js';
import { ThinkSplitter } from './think-splitter.js';
import type { ContentPart } from './think-splitter.js';
import type {
  ConversationItem,
  ModelEvent,
  ModelProvider,
  ModelRequest,
  ProviderConfig,
  TokenUsage,
  ToolSpec,
} from './types.js';

/** Consecutive function calls after an assistant message (or starting one) form one message with `tool_calls`. */
function chatMessages(instructions: string, items: ConversationItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (instructions) messages.push({ role: 'system', content: instructions });
  for (const item of items) {
    switch (item.type) {
      case 'message':
        messages.push({ role: item.role, content: item.text });
        break;
      case 'functionCall': {
        const last = messages.at(-1);
        const call = { id: item.callId, type: 'function' as const, function: { name: item.name, arguments: item.arguments } };
        if (last?.role === 'assistant') {
          const assistant: ChatCompletionAssistantMessageParam = last;
          assistant.tool_calls = [...(assistant.tool_calls ?? []), call];
        } else {
          messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        }
        break;
      }
      case 'functionCallOutput':
        messages.push({ role: 'tool', tool_call_id: item.callId, content: item.output });
        break;
      case 'reasoning':
        // Chat Completions has no standard way to send reasoning back.
        break;
    }
  }
  return messages;
}

function tool(spec: ToolSpec): ChatCompletionFunctionTool {
  return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.parameters } };
}

function usageOf(u: CompletionUsage): TokenUsage {
  return {
    inputTokens: u.prompt_tokens ?? 0,
    cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: u.completion_tokens ?? 0,
    reasoningOutputTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: u.total_tokens ?? (u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0),
  };
}

/** Raw reasoning in the delta: `reasoning_content` (DeepSeek, vLLM, llama.cpp, LM Studio) or `reasoning` (Ollama, OpenRouter). */
function reasoningOf(delta: ChatCompletionChunk.Choice.Delta): string | null {
  const extra = delta as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof extra.reasoning_content === 'string' && extra.reasoning_content) return extra.reasoning_content;
  if (typeof extra.reasoning === 'string' && extra.reasoning) return extra.reasoning;
  return null;
}

function contentEvents(parts: ContentPart[]): ModelEvent[] {
  return parts.map((p) =>
    p.kind === 'text' ? { type: 'textDelta', delta: p.text } : { type: 'reasoningDelta', kind: 'text', delta: p.text, index: 0 },
  );
}

/** Tool-call deltas joined by their index: id and name come first, the arguments in pieces after. */
class ToolCallJoiner {
  private readonly calls = new Map<number, { callId: string; name: string; arguments: string }>();

  add(deltas: ChatCompletionChunk.Choice.Delta.ToolCall[]): void {
    for (const d of deltas) {
      const call = this.calls.get(d.index) ?? { callId: '', name: '', arguments: '' };
      if (d.id) call.callId = d.id;
      if (d.function?.name) call.name += d.function.name;
      if (d.function?.arguments) call.arguments += d.function.arguments;
      this.calls.set(d.index, call);
    }
  }

  /** The joined calls in index order, once; a call without an id gets one (some servers omit it). */
  take(): ModelEvent[] {
    const out = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]): ModelEvent => ({ type: 'toolCall', callId: c.callId || `call_${index}`, name: c.name, arguments: c.arguments }));
    this.calls.clear();
    return out;
  }
}

export class ChatProvider implements ModelProvider {
  readonly id: string;

  constructor(
    private readonly client: OpenAI,
    private readonly config: ProviderConfig,
    private readonly apiKey: string | null,
  ) {
    this.id = config.id;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent, void, undefined> {
    const ctx: ErrorContext = { config: this.config, model: request.model, apiKey: this.apiKey };
    const messages = chatMessages(request.instructions, request.input);
    const open = (signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>> =>
      this.client.chat.completions.create(
        {
          model: request.model,
          messages,
          ...(request.tools.length > 0 ? { tools: request.tools.map(tool) } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
    const splitter = new ThinkSplitter();
    const calls = new ToolCallJoiner();
    // The SDK hides `[DONE]`, so a finish_reason is what tells a complete response from a cut one.
    let finished = false;
    for await (const chunk of guardedStream(ctx, request.signal, open)) {
      const choice = chunk.choices?.[0];
      if (choice) {
        const reasoning = reasoningOf(choice.delta);
        if (reasoning) yield { type: 'reasoningDelta', kind: 'text', delta: reasoning, index: 0 };
        if (choice.delta.content) yield* contentEvents(splitter.push(choice.delta.content));
        if (choice.delta.tool_calls) calls.add(choice.delta.tool_calls);
        if (choice.finish_reason) {
          finished = true;
          yield* contentEvents(splitter.flush());
          yield* calls.take();
        }
      }
      if (chunk.usage) yield { type: 'usage', usage: usageOf(chunk.usage) };
    }
    if (!finished) throw streamDisconnectedError(ctx, 'no finish_reason before the stream ended');
    yield { type: 'completed' };
  }
}
