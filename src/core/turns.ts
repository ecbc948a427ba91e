// Turns and thread status as the core keeps them; field names follow the app-server's Turn and ThreadStatus so
// the protocol layer passes them through.
import type { TokenUsage } from './model/types.js';
import type { ThreadItem } from './items.js';

export type TurnStatus = 'inProgress' | 'completed' | 'interrupted' | 'failed';

/** Codex's CodexErrorInfo values that corral produces. */
export type TurnErrorInfo =
  | 'contextWindowExceeded'
  | 'rateLimitExceeded'
  | 'modelNotFound'
  | 'internalServerError'
  | 'unauthorized'
  | 'badRequest'
  | 'other'
  | { httpConnectionFailed: { httpStatusCode: number | null } }
  | { responseStreamDisconnected: { httpStatusCode: number | null } };

export interface TurnError {
  message: string;
  codexErrorInfo: TurnErrorInfo | null;
  additionalDetails: string | null;
}

export interface Turn {
  id: string;
  items: ThreadItem[];
  status: TurnStatus;
  error: TurnError | null;
  /** Unix seconds. */
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
}

export type ThreadActiveFlag = 'waitingOnApproval' | 'waitingOnUserInput';

export type ThreadStatus =
  | { type: 'notLoaded' }
  | { type: 'idle' }
  | { type: 'systemError' }
  | { type: 'active'; activeFlags: ThreadActiveFlag[] };

export interface TokenUsageInfo {
  total: TokenUsage;
  last: TokenUsage;
  modelContextWindow: number | null;
}

export const ZERO_USAGE: TokenUsage = {
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
  totalTokens: 0,
};

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);
