// What a scripted model says, independent of the wire API: the test model server renders one script as
// Responses events or as Chat Completions chunks, depending on the path it was asked on.

export type ScriptEvent =
  | { type: 'text'; text: string }
  | {
      type: 'reasoning';
      text: string;
      /** Responses: a reasoning summary part (default) or raw reasoning text. */
      as: 'summary' | 'text';
      /** Responses: the summary part (or content part) index. */
      index: number;
      /** Chat: the delta field that carries it. */
      chatField: 'reasoning_content' | 'reasoning';
    }
  | { type: 'toolCall'; name: string; arguments: string; callId: string | null; chunks: number }
  | { type: 'usage'; input: number; output: number; cached: number; reasoning: number }
  /** The server reports a failure inside the stream and ends it (Responses `response.failed`/`error`, a chat error chunk). */
  | { type: 'failure'; message: string; code: string | null; as: 'failed' | 'error' };

export interface ReplyOptions {
  /** Destroy the socket right after the events, before the terminal event. */
  cut?: boolean;
  /** Pause this long after the events, before the terminal event (ended early by `close()`). */
  stallMs?: number;
  /** Pause between events; 0 (default) writes as fast as the socket takes it. */
  delayMs?: number;
  /** End the response cleanly but without its terminal event (`response.completed` / a finish_reason). */
  noTerminal?: boolean;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface StreamReply {
  kind: 'stream';
  events: readonly ScriptEvent[];
  options: ReplyOptions;
}

export interface ErrorReply {
  kind: 'httpError';
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Reply = StreamReply | ErrorReply;

export function reply(events: readonly ScriptEvent[], options: ReplyOptions = {}): StreamReply {
  return { kind: 'stream', events, options };
}

/**
 * A non-streaming HTTP error. `retry-after-ms: 10` is sent unless overridden, so the SDK's retries of 429 and
 * 5xx stay fast in tests.
 */
export function httpError(status: number, body: unknown, headers: Record<string, string> = {}): ErrorReply {
  return { kind: 'httpError', status, body, headers: { 'retry-after-ms': '10', ...headers } };
}

export function text(value: string): ScriptEvent {
  return { type: 'text', text: value };
}

export function reasoning(
  value: string,
  options: { as?: 'summary' | 'text'; index?: number; chatField?: 'reasoning_content' | 'reasoning' } = {},
): ScriptEvent {
  return {
    type: 'reasoning',
    text: value,
    as: options.as ?? 'summary',
    index: options.index ?? 0,
    chatField: options.chatField ?? 'reasoning_content',
  };
}

/** A function call; its JSON arguments are sent in `chunks` pieces (at least 1). */
export function toolCall(
  name: string,
  args: Record<string, unknown> | string,
  options: { chunks?: number; callId?: string } = {},
): ScriptEvent {
  return {
    type: 'toolCall',
    name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
    callId: options.callId ?? null,
    chunks: Math.max(1, options.chunks ?? 1),
  };
}

export function usage(u: { input: number; output: number; cached?: number; reasoning?: number }): ScriptEvent {
  return { type: 'usage', input: u.input, output: u.output, cached: u.cached ?? 0, reasoning: u.reasoning ?? 0 };
}

export function streamFailure(message: string, options: { code?: string; as?: 'failed' | 'error' } = {}): ScriptEvent {
  return { type: 'failure', message, code: options.code ?? null, as: options.as ?? 'failed' };
}

/** Splits `value` into `n` pieces of near-equal length (some may be empty when `value` is short). */
export function pieces(value: string, n: number): string[] {
  const size = Math.ceil(value.length / n);
  return Array.from({ length: n }, (_, i) => value.slice(i * size, (i + 1) * size));
}

/** Usage totals of a script (the last `usage` event wins), or null when none was scripted. */
export function scriptedUsage(events: readonly ScriptEvent[]): Extract<ScriptEvent, { type: 'usage' }> | null {
  let found: Extract<ScriptEvent, { type: 'usage' }> | null = null;
  for (const ev of events) if (ev.type === 'usage') found = ev;
  return found;
}
