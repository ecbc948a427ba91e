// The providers through the real OpenAI SDK against a real scripted HTTP server, for both wire APIs.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProvider, ProviderError } from '../../src/core/model/index.js';
import type { ConversationItem, ModelEvent, ModelProvider, ModelRequest, ProviderConfig } from '../../src/core/model/index.js';
import {
  httpError,
  reasoning,
  reply,
  startModelServer,
  streamFailure,
  text,
  toolCall,
  usage,
} from '../helpers/model-server.js';
import type { ModelServer } from '../helpers/model-server.js';

const KEY = 'sk-test-secret-4242';
const ENV = { TEST_MODEL_KEY: KEY };

let server: ModelServer;
beforeEach(async () => {
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
});

function config(wireApi: 'responses' | 'chat', over: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: 'testprov',
    name: 'Test Provider',
    baseUrl: server.baseUrl,
    envKey: 'TEST_MODEL_KEY',
    wireApi,
    queryParams: {},
    httpHeaders: {},
    requestMaxRetries: 0,
    streamIdleTimeoutMs: 10_000,
    ...over,
  };
}

function request(over: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'test-model',
    instructions: 'Be brief.',
    input: [{ type: 'message', role: 'user', text: 'hi' }],
    tools: [],
    signal: new AbortController().signal,
    ...over,
  };
}

/** Every event until the stream ends, and the error it ended with (null when it completed). */
async function run(provider: ModelProvider, req: ModelRequest = request()): Promise<{ events: ModelEvent[]; error: ProviderError | null }> {
  const events: ModelEvent[] = [];
  try {
    for await (const ev of provider.stream(req)) events.push(ev);
    return { events, error: null };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    return { events, error: err };
  }
}

async function failure(provider: ModelProvider, req?: ModelRequest): Promise<ProviderError> {
  const { error } = await run(provider, req);
  expect(error).toBeInstanceOf(ProviderError);
  expect(error!.message).not.toContain(KEY);
  return error!;
}

const CONVERSATION: ConversationItem[] = [
  { type: 'message', role: 'user', text: 'list files' },
  { type: 'reasoning', summary: ['plan'], text: 'I should run ls' },
  { type: 'message', role: 'assistant', text: 'Running two commands.' },
  { type: 'functionCall', callId: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
  { type: 'functionCall', callId: 'c2', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
  { type: 'functionCallOutput', callId: 'c1', output: 'a.txt' },
  { type: 'functionCallOutput', callId: 'c2', output: '/tmp' },
];
const TOOLS = [{ name: 'exec_command', description: 'Runs a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }];

describe.each(['responses', 'chat'] as const)('%s wire API', (wireApi) => {
  const path = wireApi === 'responses' ? '/v1/responses' : '/v1/chat/completions';

  it('streams text deltas, then usage, then completed', async () => {
    server.enqueue(reply([text('Hello '), text('world'), usage({ input: 10, output: 2, cached: 4, reasoning: 1 })]));
    const { events, error } = await run(createProvider(config(wireApi), ENV));
    expect(error).toBeNull();
    expect(events).toEqual([
      { type: 'textDelta', delta: 'Hello ' },
      { type: 'textDelta', delta: 'world' },
      { type: 'usage', usage: { inputTokens: 10, cachedInputTokens: 4, outputTokens: 2, reasoningOutputTokens: 1, totalTokens: 12 } },
      { type: 'completed' },
    ]);
    expect(server.requests[0]!.path).toBe(path);
  });

  it('joins tool-call argument deltas and reports two calls in order', async () => {
    server.enqueue(
      reply([
        text('Let me look.'),
        toolCall('exec_command', { cmd: 'ls -la', yield_time_ms: 1000 }, { chunks: 4, callId: 'call_a' }),
        toolCall('write_stdin', { session_id: 7, chars: 'q' }, { chunks: 3, callId: 'call_b' }),
      ]),
    );
    const { events, error } = await run(createProvider(config(wireApi), ENV));
    expect(error).toBeNull();
    expect(events.filter((e) => e.type === 'toolCall')).toEqual([
      { type: 'toolCall', callId: 'call_a', name: 'exec_command', arguments: '{"cmd":"ls -la","yield_time_ms":1000}' },
      { type: 'toolCall', callId: 'call_b', name: 'write_stdin', arguments: '{"session_id":7,"chars":"q"}' },
    ]);
    expect(events[0]).toEqual({ type: 'textDelta', delta: 'Let me look.' });
    expect(events.at(-1)).toEqual({ type: 'completed' });
  });

  it('sends instructions, tools and the conversation', async () => {
    server.enqueue(reply([text('ok')]));
    await run(createProvider(config(wireApi), ENV), request({ input: CONVERSATION, tools: TOOLS }));
    const body = server.requests[0]!.body!;
    expect(body).toMatchObject({ model: 'test-model', stream: true });
    if (wireApi === 'responses') {
      expect(body).toMatchObject({
        instructions: 'Be brief.',
        store: false,
        tools: [{ type: 'function', name: 'exec_command', description: 'Runs a command', parameters: TOOLS[0]!.parameters, strict: false }],
      });
      expect(body.input).toEqual([
        { type: 'message', role: 'user', content: 'list files' },
        { type: 'message', role: 'assistant', content: 'Running two commands.' },
        { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
        { type: 'function_call', call_id: 'c2', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
        { type: 'function_call_output', call_id: 'c2', output: '/tmp' },
      ]);
    } else {
      expect(body).toMatchObject({
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'exec_command', description: 'Runs a command', parameters: TOOLS[0]!.parameters } }],
      });
      expect(body.messages).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'list files' },
        {
          role: 'assistant',
          content: 'Running two commands.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } },
            { id: 'c2', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"pwd"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
        { role: 'tool', tool_call_id: 'c2', content: '/tmp' },
      ]);
    }
  });

  it('sends query params, http headers and the key from env_key', async () => {
    server.enqueue(reply([text('ok')]));
    const cfg = config(wireApi, { queryParams: { 'api-version': '2025-01-01' }, httpHeaders: { 'X-Corral-Test': 'yes' } });
    const { error } = await run(createProvider(cfg, ENV));
    expect(error).toBeNull();
    const req = server.requests[0]!;
    expect(req.query).toEqual({ 'api-version': '2025-01-01' });
    expect(req.headers['x-corral-test']).toBe('yes');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends no Authorization when the provider has no env_key, even with OPENAI_API_KEY set', async () => {
    server.enqueue(reply([text('ok')]));
    const { error } = await run(createProvider(config(wireApi, { envKey: null }), { OPENAI_API_KEY: 'sk-leak', OPENAI_ORG_ID: 'org-leak' }));
    expect(error).toBeNull();
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(server.requests[0]!.headers['openai-organization']).toBeUndefined();
  });

  it('fails with what to set when the env_key variable is unset, sending nothing', async () => {
    const err = await failure(createProvider(config(wireApi), {}));
    expect(err.kind).toBe('unauthorized');
    expect(err.message).toContain('$TEST_MODEL_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it.each([401, 403])('maps HTTP %i to unauthorized, naming the key variable and never the key', async (status) => {
    server.enqueue(httpError(status, { error: { message: `Incorrect API key provided: ${KEY}` } }));
    const err = await failure(createProvider(config(wireApi), ENV));
    expect(err.kind).toBe('unauthorized');
    expect(err.httpStatus).toBe(status);
    expect(err.message).toContain('$TEST_MODEL_KEY');
    expect(err.message).toContain('Test Provider');
  });

  it('maps 404 to modelNotFound naming the model and the provider', async () => {
    server.enqueue(httpError(404, { error: { message: 'model not found' } }));
    const err = await failure(createProvider(config(wireApi), ENV));
    expect(err.kind).toBe('modelNotFound');
    expect(err.message).toContain('"test-model"');
    expect(err.message).toContain('testprov');
    expect(err.message).toContain(server.baseUrl);
  });

  it('retries a 429 and then succeeds within request_max_retries', async () => {
    server.enqueue(httpError(429, { error: { message: 'slow down' } }), reply([text('after retry')]));
    const { events, error } = await run(createProvider(config(wireApi, { requestMaxRetries: 1 }), ENV));
    expect(error).toBeNull();
    expect(events[0]).toEqual({ type: 'textDelta', delta: 'after retry' });
    expect(server.requests).toHaveLength(2);
  });

  it('maps 429 after the retries to rateLimited', async () => {
    server.enqueue(httpError(429, { error: { message: 'slow down' } }), httpError(429, { error: { message: 'slow down' } }));
    const err = await failure(createProvider(config(wireApi, { requestMaxRetries: 1 }), ENV));
    expect(err.kind).toBe('rateLimited');
    expect(err.message).toContain('after 1 retry');
  });

  it('maps 500 after the retries to serverError', async () => {
    server.enqueue(httpError(500, { error: { message: 'boom' } }), httpError(503, { error: { message: 'still down' } }));
    const err = await failure(createProvider(config(wireApi, { requestMaxRetries: 1 }), ENV));
    expect(err.kind).toBe('serverError');
    expect(err.httpStatus).toBe(503);
    expect(err.message).toContain('still down');
    expect(err.message).toContain('after 1 retry');
    expect(server.requests).toHaveLength(2);
  });

  it('maps a refused connection to connectionFailed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await failure(createProvider(config(wireApi, { baseUrl: `http://127.0.0.1:${port}/v1` }), ENV));
    expect(err.kind).toBe('connectionFailed');
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain('Is the server running');
  });

  it('maps a stream cut mid-way to streamDisconnected, after what arrived', async () => {
    server.enqueue(reply([text('partial')], { cut: true }));
    const { events, error } = await run(createProvider(config(wireApi), ENV));
    expect(events).toEqual([{ type: 'textDelta', delta: 'partial' }]);
    expect(error?.kind).toBe('streamDisconnected');
  });

  it('maps a stream that ends cleanly without its terminal event to streamDisconnected', async () => {
    server.enqueue(reply([text('partial')], { noTerminal: true }));
    const { events, error } = await run(createProvider(config(wireApi), ENV));
    expect(events).toEqual([{ type: 'textDelta', delta: 'partial' }]);
    expect(error?.kind).toBe('streamDisconnected');
  });

  it('cuts a stream idle past stream_idle_timeout_ms', async () => {
    server.enqueue(reply([text('a')], { stallMs: 60_000 }));
    const started = Date.now();
    const { events, error } = await run(createProvider(config(wireApi, { streamIdleTimeoutMs: 1000 }), ENV));
    expect(events).toEqual([{ type: 'textDelta', delta: 'a' }]);
    expect(error?.kind).toBe('idleTimeout');
    expect(error?.message).toContain('stream_idle_timeout_ms');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('maps a context-length 400 to contextWindowExceeded with advice', async () => {
    server.enqueue(
      httpError(400, { error: { code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens." } }),
    );
    const err = await failure(createProvider(config(wireApi), ENV));
    expect(err.kind).toBe('contextWindowExceeded');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain('/new');
  });

  it('maps a context-length failure inside the stream to contextWindowExceeded', async () => {
    server.enqueue(reply([text('x'), streamFailure('Your input exceeds the context window of this model.', { code: 'context_length_exceeded' })]));
    const err = await failure(createProvider(config(wireApi), ENV));
    expect(err.kind).toBe('contextWindowExceeded');
  });

  it('maps another 400 to badRequest with the server message', async () => {
    server.enqueue(httpError(400, { error: { message: "Unknown parameter: 'frobnicate'." } }));
    const err = await failure(createProvider(config(wireApi), ENV));
    expect(err.kind).toBe('badRequest');
    expect(err.message).toContain('frobnicate');
  });

  it('ends with kind aborted when the signal is aborted mid-stream', async () => {
    server.enqueue(reply([text('a')], { stallMs: 60_000 }));
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    let error: unknown = null;
    try {
      for await (const ev of createProvider(config(wireApi), ENV).stream(request({ signal: controller.signal }))) {
        events.push(ev);
        controller.abort();
      }
    } catch (err) {
      error = err;
    }
    expect(events).toEqual([{ type: 'textDelta', delta: 'a' }]);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('aborted');
  });

  it('ends with kind aborted when aborted during a retry back-off', async () => {
    server.enqueue(httpError(429, { error: { message: 'slow down' } }, { 'retry-after-ms': '60000' }));
    const controller = new AbortController();
    const pending = run(createProvider(config(wireApi, { requestMaxRetries: 1 }), ENV), request({ signal: controller.signal }));
    await server.waitForRequests(1);
    controller.abort();
    const { error } = await pending;
    expect(error?.kind).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('streams thousands of deltas in order', async () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i} `);
    server.enqueue(reply(words.map(text)));
    const { events, error } = await run(createProvider(config(wireApi), ENV));
    expect(error).toBeNull();
    const deltas = events.flatMap((e) => (e.type === 'textDelta' ? [e.delta] : []));
    expect(deltas.join('')).toBe(words.join(''));
  });

  it('fails loudly when a test forgot to script a reply', async () => {
    const err = await failure(createProvider(config(wireApi, { requestMaxRetries: 2 }), ENV));
    expect(err.kind).toBe('serverError');
    expect(err.message).toContain('nothing scripted');
    expect(server.requests).toHaveLength(1);
  });
});

describe('reasoning', () => {
  it('responses: summary parts by index and raw reasoning text', async () => {
    server.enqueue(
      reply([reasoning('first '), reasoning('part'), reasoning('second', { index: 1 }), reasoning('raw', { as: 'text' }), text('done')]),
    );
    const { events, error } = await run(createProvider(config('responses'), ENV));
    expect(error).toBeNull();
    expect(events.slice(0, 5)).toEqual([
      { type: 'reasoningDelta', kind: 'summary', delta: 'first ', index: 0 },
      { type: 'reasoningDelta', kind: 'summary', delta: 'part', index: 0 },
      { type: 'reasoningDelta', kind: 'summary', delta: 'second', index: 1 },
      { type: 'reasoningDelta', kind: 'text', delta: 'raw', index: 0 },
      { type: 'textDelta', delta: 'done' },
    ]);
  });

  it('chat: reasoning_content and reasoning deltas', async () => {
    server.enqueue(reply([reasoning('one '), reasoning('two', { chatField: 'reasoning' }), text('done')]));
    const { events, error } = await run(createProvider(config('chat'), ENV));
    expect(error).toBeNull();
    expect(events.slice(0, 3)).toEqual([
      { type: 'reasoningDelta', kind: 'text', delta: 'one ', index: 0 },
      { type: 'reasoningDelta', kind: 'text', delta: 'two', index: 0 },
      { type: 'textDelta', delta: 'done' },
    ]);
  });

  it('chat: a <think> block split across chunks is reasoning, never answer text', async () => {
    server.enqueue(reply([text('<thi'), text('nk>\nplan '), text('more</th'), text('ink>\n\nThe '), text('answer <think> stays')]));
    const { events, error } = await run(createProvider(config('chat'), ENV));
    expect(error).toBeNull();
    const reasoningText = events.flatMap((e) => (e.type === 'reasoningDelta' ? [e.delta] : [])).join('');
    const answer = events.flatMap((e) => (e.type === 'textDelta' ? [e.delta] : [])).join('');
    expect(reasoningText).toBe('plan more');
    expect(answer).toBe('The answer <think> stays');
  });
});
