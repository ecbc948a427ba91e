// The model layer as the agent loop sees it: a factory and the provider contract.
export { createProvider } from './create-provider.js';
export { ProviderError } from './types.js';
export type {
  ConversationItem,
  ModelEvent,
  ModelProvider,
  ModelRequest,
  ProviderConfig,
  ProviderErrorKind,
  TokenUsage,
  ToolSpec,
} from './types.js';
