// Turns whatever a provider request throws into a ProviderError a person can act on: it names the provider
// and says what to do. Messages never carry the API key or an auth header (a server may echo them back).
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { ProviderError } from './types.js';
import type { ProviderConfig } from './types.js';

/** What an error message may mention: the provider, the model asked for, and the key to keep out of it. */
export interface ErrorContext {
  config: ProviderConfig;
  model: string;
  apiKey: string | null;
}

const MAX_DETAIL_CHARS = 300;

function label(config: ProviderConfig): string {
  return config.name === config.id ? `provider "${config.id}"` : `${config.name} (provider "${config.id}")`;
}

function redact(text: string, apiKey: string | null): string {
  let out = text.replace(/\b(Bearer|Basic)\s+\S+/gi, '$1 [redacted]');
  if (apiKey) out = out.split(apiKey).join('[redacted]');
  return out;
}

/** The server's own words, on one line and short: bodies can be whole HTML pages. */
function detail(text: string, apiKey: string | null): string {
  const line = redact(text, apiKey).replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL_CHARS ? `${line.slice(0, MAX_DETAIL_CHARS)}…` : line;
}

/** The parts of an SDK APIError read here (its generic parameters are `any` after `instanceof`). */
interface ApiFailure {
  message: string;
  error: unknown;
  code: unknown;
}

function serverMessage(err: ApiFailure): string {
  const body: unknown = err.error;
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  // Without a JSON body the SDK puts the raw text in the message, after the status.
  return err.message.replace(/^\d{3}\s+/, '');
}

function afterRetries(config: ProviderConfig): string {
  const n = config.requestMaxRetries;
  return n > 0 ? ` after ${n} ${n === 1 ? 'retry' : 'retries'}` : '';
}

function isContextOverflow(code: unknown, message: string): boolean {
  if (code === 'context_length_exceeded') return true;
  return /context[ _-]?(length|window|size)|maximum context|too many tokens|exceeds? the available context/i.test(message);
}

/** The first system error code (ECONNREFUSED, ENOTFOUND, ...) in an error's cause chain. */
function causeCode(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    if ('code' in cur && typeof cur.code === 'string') return cur.code;
    if (cur instanceof AggregateError && cur.errors.length > 0) cur = cur.errors[0];
    else cur = 'cause' in cur ? cur.cause : null;
  }
  return null;
}

export function contextWindowError(ctx: ErrorContext, message: string, status: number | null): ProviderError {
  return new ProviderError(
    'contextWindowExceeded',
    `The conversation no longer fits the context window of model "${ctx.model}" on ${label(ctx.config)} ` +
      `(${detail(message, ctx.apiKey)}). Start a new conversation with /new.`,
    status,
  );
}

export function abortedError(ctx: ErrorContext): ProviderError {
  return new ProviderError('aborted', `The request to ${label(ctx.config)} was interrupted.`);
}

export function idleTimeoutError(ctx: ErrorContext): ProviderError {
  const ms = ctx.config.streamIdleTimeoutMs;
  return new ProviderError(
    'idleTimeout',
    `No data from ${label(ctx.config)} for ${ms} ms, so the request was cut. Try again, or raise ` +
      `stream_idle_timeout_ms in [model_providers.${ctx.config.id}] if the model is slow to answer.`,
  );
}

/** The stream ended (cleanly or not) before its terminal event. */
export function streamDisconnectedError(ctx: ErrorContext, why: string): ProviderError {
  return new ProviderError(
    'streamDisconnected',
    `The response stream from ${label(ctx.config)} ended before the response was complete (${detail(why, ctx.apiKey)}). ` +
      'Try again.',
  );
}

/** A failure the server reported inside the stream (Responses `response.failed`/`error`, a chat error chunk). */
export function streamFailureError(ctx: ErrorContext, code: string | null, message: string): ProviderError {
  if (isContextOverflow(code, message)) return contextWindowError(ctx, message, null);
  const what = detail(message || code || 'no details', ctx.apiKey);
  if (code === 'rate_limit_exceeded') {
    return new ProviderError('rateLimited', `${label(ctx.config)} is rate limiting requests (${what}). Wait a moment and try again.`);
  }
  if (code === 'server_error') {
    return new ProviderError('serverError', `${label(ctx.config)} failed while answering (${what}). Try again later.`);
  }
  return new ProviderError('other', `${label(ctx.config)} reported an error: ${what}${code ? ` [${code}]` : ''}.`);
}

function fromStatus(ctx: ErrorContext, err: ApiFailure, status: number): ProviderError {
  const { config } = ctx;
  const what = detail(serverMessage(err), ctx.apiKey);
  const head = `${label(config)} answered HTTP ${status}${what ? `: ${what}` : ''}`;
  if (status === 401 || status === 403) {
    const advice = config.envKey
      ? `Check the API key in $${config.envKey}.`
      : `This provider sends no API key; set env_key in [model_providers.${config.id}] to the variable that holds one.`;
    return new ProviderError('unauthorized', `${head}. ${advice}`, status);
  }
  if (isContextOverflow(err.code, serverMessage(err)) && status < 500) return contextWindowError(ctx, serverMessage(err), status);
  if (status === 404) {
    return new ProviderError(
      'modelNotFound',
      `${head}. The model name "${ctx.model}" is not known to ${label(config)}, or its base_url (${config.baseUrl}) is wrong.`,
      status,
    );
  }
  if (status === 429) {
    return new ProviderError('rateLimited', `${head}${afterRetries(config)}. Wait a moment and try again.`, status);
  }
  if (status >= 500) return new ProviderError('serverError', `${head}${afterRetries(config)}. Try again later.`, status);
  if (status >= 400 && status < 500) return new ProviderError('badRequest', `${head}. The request was rejected.`, status);
  return new ProviderError('other', `${head}.`, status);
}

/** Maps anything a provider request threw. `signal` is the request's own: its abort is an interrupt. */
export function toProviderError(err: unknown, ctx: ErrorContext, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return abortedError(ctx);
  const { config } = ctx;
  if (err instanceof APIConnectionTimeoutError) {
    return new ProviderError(
      'idleTimeout',
      `${label(config)} did not answer within ${config.streamIdleTimeoutMs} ms${afterRetries(config)}. ` +
        `Is the server at ${config.baseUrl} overloaded? Raise stream_idle_timeout_ms in [model_providers.${config.id}] if it is just slow.`,
    );
  }
  if (err instanceof APIConnectionError) {
    const code = causeCode(err.cause);
    return new ProviderError(
      'connectionFailed',
      `Cannot reach ${label(config)} at ${config.baseUrl}${code ? ` (${code})` : ''}${afterRetries(config)}. ` +
        'Is the server running, and is base_url right?',
    );
  }
  if (err instanceof APIError) {
    const failure: ApiFailure = { message: err.message, error: err.error, code: err.code };
    if (typeof err.status === 'number') return fromStatus(ctx, failure, err.status);
    // No status: an error object inside the stream.
    return streamFailureError(ctx, typeof failure.code === 'string' ? failure.code : null, serverMessage(failure));
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError('other', `${label(config)}: ${detail(message, ctx.apiKey)}`);
}
