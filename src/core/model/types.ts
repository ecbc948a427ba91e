// The one interface between the agent loop and a model's wire API. A provider turns a ModelRequest into a
// stream of ModelEvents; the loop never sees HTTP, SSE or a wire format.

/** One entry of the conversation as the agent loop keeps it, independent of any wire API. */
export type ConversationItem =
  | { type: 'message'; role: 'user' | 'assistant'; text: string }
  /** What the model thought; sent back only to the API that produced it (it may be dropped elsewhere). */
  | { type: 'reasoning'; summary: string[]; text: string }
  | { type: 'functionCall'; callId: string; name: string; arguments: string }
  | { type: 'functionCallOutput'; callId: string; output: string };

/** A function tool the model may call; `parameters` is a JSON Schema object. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  model: string;
  /** System/developer instructions. */
  instructions: string;
  input: ConversationItem[];
  tools: ToolSpec[];
  /** Aborting ends the stream at once (turn interrupt). */
  signal: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
  totalTokens: number;
}

export type ModelEvent =
  /** Answer text. */
  | { type: 'textDelta'; delta: string }
  /** Reasoning: `summary` (Responses API reasoning summaries; `index` is the summary part) or `text` (raw
   * reasoning: chat `reasoning_content`/`reasoning` deltas, `<think>` blocks, Responses reasoning text). */
  | { type: 'reasoningDelta'; kind: 'summary' | 'text'; delta: string; index: number }
  /** A complete function call (its argument deltas already joined). Emitted when the call is complete. */
  | { type: 'toolCall'; callId: string; name: string; arguments: string }
  | { type: 'usage'; usage: TokenUsage }
  /** The response ended normally. Always the last event of a successful stream. */
  | { type: 'completed' };

export interface ModelProvider {
  /** The provider's configured id (e.g. `openai`, `ollama`), used in error messages. */
  readonly id: string;
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}

export type ProviderErrorKind =
  | 'unauthorized' // 401/403: key missing or wrong
  | 'modelNotFound' // 404
  | 'rateLimited' // 429 after retries
  | 'serverError' // 5xx after retries
  | 'connectionFailed' // refused, DNS, TLS
  | 'streamDisconnected' // the stream ended before `completed`
  | 'idleTimeout' // no event within stream_idle_timeout_ms
  | 'contextWindowExceeded'
  | 'badRequest'
  | 'aborted' // the request's signal was aborted (an interrupt, not a failure)
  | 'other';

/** A provider failure with a message a person can act on (names the provider and what to do). */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
  }
}

/** A provider as configured (`[model_providers.NAME]`, Codex's keys), with defaults applied. */
export interface ProviderConfig {
  /** The table name, e.g. `openai`, `ollama`, `my-vllm`. */
  id: string;
  /** Display name. */
  name: string;
  baseUrl: string;
  /** Environment variable that holds the API key; null means no key (local servers). */
  envKey: string | null;
  wireApi: 'responses' | 'chat';
  queryParams: Record<string, string>;
  httpHeaders: Record<string, string>;
  /** Retries of a failed request (429, 5xx, connection errors) with backoff, done by the SDK. */
  requestMaxRetries: number;
  /** A stream with no event for this long is cut and the turn fails. */
  streamIdleTimeoutMs: number;
}
