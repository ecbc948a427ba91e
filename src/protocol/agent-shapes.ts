// Wire shapes of threads, turns and the agent's items and notifications, as zod schemas with Codex's
// app-server v2 names (validated against Codex's JSON schemas in the conformance tests).
import { z } from 'zod';

export const UserMessageItem = z.object({
  type: z.literal('userMessage'),
  id: z.string(),
  content: z.array(z.object({ type: z.literal('text'), text: z.string(), text_elements: z.array(z.never()) })),
});

export const AgentMessageItem = z.object({ type: z.literal('agentMessage'), id: z.string(), text: z.string() });

export const ReasoningItem = z.object({
  type: z.literal('reasoning'),
  id: z.string(),
  summary: z.array(z.string()),
  content: z.array(z.string()),
});

export const TokenUsageBreakdown = z.object({
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  outputTokens: z.number().int(),
  reasoningOutputTokens: z.number().int(),
  totalTokens: z.number().int(),
});

export const ThreadStatus = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notLoaded') }),
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('systemError') }),
  z.object({ type: z.literal('active'), activeFlags: z.array(z.enum(['waitingOnApproval', 'waitingOnUserInput'])) }),
]);

const HttpStatus = z.object({ httpStatusCode: z.number().int().nullable() });
export const TurnError = z.object({
  message: z.string(),
  codexErrorInfo: z
    .union([
      z.enum(['contextWindowExceeded', 'rateLimitExceeded', 'modelNotFound', 'internalServerError', 'unauthorized', 'badRequest', 'other']),
      z.object({ httpConnectionFailed: HttpStatus }).strict(),
      z.object({ responseStreamDisconnected: HttpStatus }).strict(),
    ])
    .nullable(),
  additionalDetails: z.string().nullable(),
});

/** Codex's policies; corral asks before every command unless the policy is `never`. */
export const ApprovalPolicy = z.enum(['on-request', 'never', 'untrusted', 'on-failure']);

/** What a person typed; corral takes text input (other kinds are refused with a clear error). */
export const UserInput = z.object({ type: z.literal('text'), text: z.string() }).passthrough();

export const ThreadSource = z.enum(['cli', 'exec', 'appServer']);

/** The parts of an approval request and its answer that corral uses. */
export const CommandExecutionRequestApprovalParams = z.object({
  threadId: z.string(),
  turnId: z.string(),
  itemId: z.string(),
  approvalId: z.string().nullable(),
  command: z.string().nullable(),
  cwd: z.string().nullable(),
  reason: z.string().nullable(),
  startedAtMs: z.number().int(),
  /** The words an "always" answer allows (`acceptForSession`). */
  proposedExecpolicyAmendment: z.array(z.string()).nullable(),
});

export const ApprovalDecision = z.enum(['accept', 'acceptForSession', 'decline', 'cancel']);
export const CommandExecutionRequestApprovalResponse = z.object({ decision: ApprovalDecision });
