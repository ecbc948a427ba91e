// The model's tools, run by the process manager: exec_command starts a command as a commandExecution item
// (after the person's approval when the policy asks for it), write_stdin writes to or polls a running one.
// Whatever goes wrong goes back to the model as text it can read; it never fails the turn.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ExecInputError, type ExecResult, type ProcessManager, UnknownProcessError } from '../../exec/index.js';
import type { CommandRun, CommandRunOptions } from '../command-run.js';
import type { CommandExecutionItem, ThreadItem } from '../items.js';
import type { ApprovalDecision, ApprovalRequest } from '../session-events.js';
import { parseExecCommandArgs, parseWriteStdinArgs } from '../tools/args.js';
import { formatToolOutput, toolError } from '../tools/format-output.js';
import type { ApprovalGate } from './approvals.js';
import type { ToolCall } from './turn-loop.js';

export type Approver = (req: ApprovalRequest) => Promise<ApprovalDecision> | null;

/** The model asked for a command that needs approval, and nobody can give it (`corral exec`). */
export class ApprovalUnavailableError extends Error {
  override name = 'ApprovalUnavailableError';
}

/** The person chose "cancel": decline and end the turn. */
export class TurnCancelledError extends Error {
  override name = 'TurnCancelledError';
}

export interface ToolRunnerContext {
  manager: ProcessManager;
  threadId: string;
  turnId: string;
  cwd: string;
  signal: AbortSignal;
  gate: ApprovalGate;
  /** Asks the person; null (or a null answer) when nobody can answer. */
  approver: Approver | null;
  /** Creates and registers a command run in this thread. */
  launch(opts: Omit<CommandRunOptions, 'threadId' | 'turnId'>): CommandRun;
  /** A background terminal of this thread running the same command in the same cwd, if any. */
  findDuplicate(command: string, cwd: string): string | null;
  /** Whether the process belongs to this thread. */
  ownsProcess(processId: string): boolean;
  /** Emits a declined item (started and completed). */
  declined(item: ThreadItem): void;
  terminalSize(): { rows: number; cols: number };
}

export const TOOL_NAMES = ['exec_command', 'write_stdin'] as const;

export async function runToolCall(call: ToolCall, ctx: ToolRunnerContext): Promise<string> {
  switch (call.name) {
    case 'exec_command':
      return execCommand(call, ctx);
    case 'write_stdin':
      return writeStdin(call, ctx);
    default:
      return toolError(`unknown tool: ${call.name}. The tools are ${TOOL_NAMES.join(' and ')}.`);
  }
}

function format(result: ExecResult, maxOutputTokens: number | undefined, notes: string[] = []): string {
  return formatToolOutput({
    wallTimeMs: result.wallTimeMs,
    exitCode: result.status === 'exited' ? result.exitCode : null,
    sessionId: result.status === 'running' ? result.processId : null,
    output: result.output,
    maxOutputTokens,
    notes,
  });
}

async function execCommand(call: ToolCall, ctx: ToolRunnerContext): Promise<string> {
  const parsed = parseExecCommandArgs(call.arguments);
  if (!parsed.ok) return toolError(parsed.error);
  const args = parsed.value;
  const cwd = resolve(ctx.cwd, args.workdir ?? '.');
  const itemId = randomUUID();

  if (ctx.gate.needsApproval(args.cmd)) {
    const decision = await askApproval(ctx, itemId, args.cmd, cwd);
    if (decision === 'decline' || decision === 'cancel') {
      ctx.declined(declinedItem(itemId, args.cmd, cwd));
      if (decision === 'cancel') throw new TurnCancelledError('the person declined the command and ended the turn');
      return toolError('The person declined to run this command. Do not run it again; ask them, or choose another way.');
    }
    if (decision === 'acceptForSession') ctx.gate.allowPrefix(args.cmd);
  }

  const notes: string[] = [];
  const duplicate = ctx.findDuplicate(args.cmd, cwd);
  if (duplicate) {
    const ports = ctx.manager.info(duplicate)?.ports ?? [];
    notes.push(`the same command is already running as session ${duplicate}${ports.length > 0 ? ` (listening on ${ports.map((p) => `:${p}`).join(', ')})` : ''}`);
  }

  const run = ctx.launch({
    itemId,
    command: args.cmd,
    cwd,
    source: 'agent',
    tty: args.tty ?? false,
    profile: 'agent',
    login: args.login,
    shell: args.shell,
    windowMs: args.yield_time_ms ?? 10_000,
    ...ctx.terminalSize(),
  });
  // An interrupt ends the wait; the command carries on as a background terminal.
  const onAbort = (): void => void run.moveToBackground();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await run.run();
    if (!result) return toolError(run.item.aggregatedOutput ?? 'the command could not be started');
    if (result.status === 'running' && ctx.signal.aborted) notes.push('the turn was interrupted; the command keeps running in the background');
    const held = run.item.portHeldBy;
    if (held) notes.push(`port ${held.port} is in use by session ${held.processId} (\`${held.command}\`), which is still running; use it, or stop it first`);
    return format(result, args.max_output_tokens, notes);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

async function askApproval(ctx: ToolRunnerContext, itemId: string, command: string, cwd: string): Promise<ApprovalDecision> {
  const answer = ctx.approver?.({
    requestId: randomUUID(),
    threadId: ctx.threadId,
    turnId: ctx.turnId,
    itemId,
    command,
    cwd,
    reason: null,
    startedAtMs: Date.now(),
  });
  if (!answer) {
    throw new ApprovalUnavailableError(
      `the model wants to run \`${command}\`, which needs approval, and nothing here can give it; run with --full-auto (approval_policy = "never") to allow commands`,
    );
  }
  return new Promise<ApprovalDecision>((resolvePromise, reject) => {
    const onAbort = (): void => reject(new TurnCancelledError('interrupted while waiting for approval'));
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    answer.then(
      (d) => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolvePromise(d);
      },
      (err: unknown) => {
        ctx.signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function declinedItem(id: string, command: string, cwd: string): CommandExecutionItem {
  return {
    type: 'commandExecution',
    id,
    command,
    cwd,
    processId: null,
    source: 'agent',
    status: 'declined',
    commandActions: [],
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
}

async function writeStdin(call: ToolCall, ctx: ToolRunnerContext): Promise<string> {
  const parsed = parseWriteStdinArgs(call.arguments);
  if (!parsed.ok) return toolError(parsed.error);
  const args = parsed.value;
  if (!ctx.ownsProcess(args.session_id)) {
    return toolError(`unknown session id ${args.session_id}: no running command of this conversation has it (it may have exited and its output been read)`);
  }
  try {
    const result = await ctx.manager.write({ processId: args.session_id, data: args.chars ?? '', yieldMs: args.yield_time_ms });
    return format(result, args.max_output_tokens);
  } catch (err) {
    if (err instanceof UnknownProcessError) return toolError(`unknown session id ${args.session_id}: it has exited and its output was already read`);
    if (err instanceof ExecInputError) return toolError(err.message);
    throw err;
  }
}
