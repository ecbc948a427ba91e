// Builds the provider for a configured `[model_providers.NAME]`: one OpenAI SDK client (which does the HTTP,
// the SSE decoding and the retries with back-off) behind the wire API the provider speaks.
import OpenAI from 'openai';
import { ChatProvider } from './chat-provider.js';
import { ResponsesProvider } from './responses-provider.js';
import { ProviderError } from './types.js';
import type { ModelEvent, ModelProvider, ModelRequest, ProviderConfig } from './types.js';

/** Sent as the key to servers that need none: the SDK requires one, and the header is removed anyway. */
const NO_KEY = 'not-needed';

/** A provider whose key variable is unset: every request fails with what to set, before anything is sent. */
class MissingKeyProvider implements ModelProvider {
  readonly id: string;

  constructor(private readonly config: ProviderConfig & { envKey: string }) {
    this.id = config.id;
  }

  stream(_request: ModelRequest): AsyncIterable<ModelEvent> {
    const { id, name, envKey } = this.config;
    const who = name === id ? `provider "${id}"` : `${name} (provider "${id}")`;
    const error = new ProviderError('unauthorized', `$${envKey} is not set; ${who} needs its API key there. Set it and try again.`);
    return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
  }
}

export function createProvider(config: ProviderConfig, env: NodeJS.ProcessEnv): ModelProvider {
  const apiKey = config.envKey === null ? null : (env[config.envKey] ?? '');
  if (config.envKey !== null && !apiKey) return new MissingKeyProvider({ ...config, envKey: config.envKey });
  const client = new OpenAI({
    apiKey: apiKey ?? NO_KEY,
    baseURL: config.baseUrl,
    // Explicit, so that OPENAI_ORG_ID/OPENAI_PROJECT_ID in the environment never reach another provider.
    organization: null,
    project: null,
    defaultQuery: config.queryParams,
    // A null header is removed: with no env_key no Authorization is sent (the configured headers may add one).
    defaultHeaders: { ...(apiKey === null ? { Authorization: null } : {}), ...config.httpHeaders },
    maxRetries: config.requestMaxRetries,
    // Per attempt, until the response headers arrive; after that the stream's idle timeout applies.
    timeout: config.streamIdleTimeoutMs,
    // The SDK would log to the console (under the TUI); failures reach the person as ProviderErrors instead.
    logLevel: 'off',
  });
  return config.wireApi === 'chat' ? new ChatProvider(client, config, apiKey) : new ResponsesProvider(client, config, apiKey);
}
