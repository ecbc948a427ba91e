// The OpenAI Responses API (`POST /responses`, streamed): the wire API of OpenAI itself and of servers that
// copy it (Ollama, vLLM, LM Studio). The request stays minimal because local servers reject what they do not
// know: no reasoning options, no `include`.
import type OpenAI from 'openai';
import type {
  FunctionTool,
  Response,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { guardedStream } from './guarded-stream.js';
import { streamDisconnectedError, streamFailureError } from './provider-errors.js';
import type { ErrorContext } from './provider-errors.js';
import type {
  ConversationItem,
  ModelEvent,
  ModelProvider,
  ModelRequest,
  ProviderConfig,
  TokenUsage,
  ToolSpec,
} from './types.js';

function inputItem(item: ConversationItem): ResponseInputItem | null {
  switch (item.type) {
    case 'message':
      return { type: 'message', role: item.role, content: item.text };
    case 'functionCall':
      return { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments };
    case 'functionCallOutput':
      return { type: 'function_call_output', call_id: item.callId, output: item.output };
    case 'reasoning':
      // Without `store` a reasoning item can only be sent back encrypted, which we do not request.
      return null;
  }
}

function tool(spec: ToolSpec): FunctionTool {
  return { type: 'function', name: spec.name, description: spec.description, parameters: spec.parameters, strict: false };
}

function usageOf(response: Response): TokenUsage | null {
  const u = response.usage;
  if (!u) return null;
  return {
    inputTokens: u.input_tokens ?? 0,
    cachedInputTokens: u.input_tokens_details?.cached_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
    reasoningOutputTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: u.total_tokens ?? (u.input_tokens ?? 0) + (u.output_tokens ?? 0),
  };
}

/**
 * Function calls of one response. Each is reported once, when its `output_item.done` arrives; a server that
 * sends only `output_item.added` and argument deltas still gets its calls reported when the response completes.
 */
class FunctionCalls {
  private readonly pending = new Map<string, { callId: string; name: string; arguments: string }>();
  private readonly reported = new Set<string>();

  added(item: ResponseOutputItem): void {
    if (item.type === 'function_call') this.pending.set(item.id ?? item.call_id, { callId: item.call_id, name: item.name, arguments: item.arguments ?? '' });
  }

  argumentsDelta(itemId: string, delta: string): void {
    const call = this.pending.get(itemId);
    if (call) call.arguments += delta;
  }

  argumentsDone(itemId: string, args: string): void {
    const call = this.pending.get(itemId);
    if (call) call.arguments = args;
  }

  done(item: ResponseOutputItem): ModelEvent | null {
    if (item.type !== 'function_call') return null;
    const key = item.id ?? item.call_id;
    const seen = this.pending.get(key);
    this.pending.delete(key);
    return this.report(item.call_id, item.name, item.arguments || seen?.arguments || '');
  }

  /** Calls never closed by `output_item.done`, in the order they started. */
  unfinished(): ModelEvent[] {
    const out: ModelEvent[] = [];
    for (const call of this.pending.values()) {
      const ev = this.report(call.callId, call.name, call.arguments);
      if (ev) out.push(ev);
    }
    this.pending.clear();
    return out;
  }

  private report(callId: string, name: string, args: string): ModelEvent | null {
    if (this.reported.has(callId)) return null;
    this.reported.add(callId);
    return { type: 'toolCall', callId, name, arguments: args };
  }
}

export class ResponsesProvider implements ModelProvider {
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
    const input = request.input.map(inputItem).filter((item): item is ResponseInputItem => item !== null);
    const open = (signal: AbortSignal): Promise<AsyncIterable<ResponseStreamEvent>> =>
      this.client.responses.create(
        {
          model: request.model,
          ...(request.instructions ? { instructions: request.instructions } : {}),
          input,
          ...(request.tools.length > 0 ? { tools: request.tools.map(tool) } : {}),
          store: false,
          stream: true,
        },
        { signal },
      );
    const calls = new FunctionCalls();
    for await (const ev of guardedStream(ctx, request.signal, open)) {
      switch (ev.type) {
        case 'response.output_text.delta':
          if (ev.delta) yield { type: 'textDelta', delta: ev.delta };
          break;
        case 'response.reasoning_summary_text.delta':
          if (ev.delta) yield { type: 'reasoningDelta', kind: 'summary', delta: ev.delta, index: ev.summary_index };
          break;
        case 'response.reasoning_text.delta':
          if (ev.delta) yield { type: 'reasoningDelta', kind: 'text', delta: ev.delta, index: ev.content_index };
          break;
        case 'response.output_item.added':
          calls.added(ev.item);
          break;
        case 'response.function_call_arguments.delta':
          calls.argumentsDelta(ev.item_id, ev.delta);
          break;
        case 'response.function_call_arguments.done':
          calls.argumentsDone(ev.item_id, ev.arguments);
          break;
        case 'response.output_item.done': {
          const call = calls.done(ev.item);
          if (call) yield call;
          break;
        }
        case 'response.completed': {
          yield* calls.unfinished();
          const usage = usageOf(ev.response);
          if (usage) yield { type: 'usage', usage };
          yield { type: 'completed' };
          return;
        }
        case 'response.incomplete': {
          const reason = ev.response.incomplete_details?.reason ?? 'unknown reason';
          throw streamFailureError(ctx, null, `the response is incomplete (${reason})`);
        }
        case 'response.failed': {
          const error = ev.response.error;
          throw streamFailureError(ctx, error?.code ?? null, error?.message ?? 'the response failed');
        }
        case 'error':
          throw streamFailureError(ctx, ev.code, ev.message);
        default:
          break;
      }
    }
    throw streamDisconnectedError(ctx, 'no response.completed event');
  }
}
