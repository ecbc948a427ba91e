// Wire shapes of the app-server API, as zod schemas. Names and fields follow Codex's app-server v2 (see the
// seeds); fields marked "corral" are extensions that Codex clients ignore.
import { z } from 'zod';
import { LeftoverRequests } from './leftover-shapes.js';
import { ScreenLine, SpanStyle, TerminalSize } from './shapes-common.js';
import { TerminalRequests } from './terminal-shapes.js';
import {
  AgentMessageItem,
  ApprovalPolicy,
  CommandExecutionRequestApprovalParams,
  CommandExecutionRequestApprovalResponse,
  ReasoningItem,
  ThreadSource,
  ThreadStatus,
  TokenUsageBreakdown,
  TurnError,
  UserInput,
  UserMessageItem,
} from './agent-shapes.js';

export { SpanStyle, ScreenLine, TerminalSize };

export const CommandExecutionItem = z.object({
  type: z.literal('commandExecution'),
  id: z.string(),
  command: z.string(),
  cwd: z.string(),
  processId: z.string().nullable(),
  source: z.enum(['agent', 'userShell', 'unifiedExecStartup', 'unifiedExecInteraction']),
  status: z.enum(['inProgress', 'completed', 'failed', 'declined']),
  commandActions: z.array(z.never()),
  aggregatedOutput: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  // corral
  signal: z.string().nullable().optional(),
  backgrounded: z.boolean().optional(),
  stopped: z.boolean().optional(),
  terminal: z
    .object({
      head: z.array(ScreenLine),
      tail: z.array(ScreenLine),
      totalLines: z.number().int(),
      linesLost: z.boolean().optional(),
      outputBytes: z.number().int().optional(),
    })
    .optional(),
  restartOf: z.string().optional(),
  duplicateOf: z.object({ processId: z.string(), ports: z.array(z.number().int()) }).optional(),
  portHeldBy: z.object({ processId: z.string(), port: z.number().int(), command: z.string(), name: z.string().nullable() }).optional(),
});
export const ThreadItem = z.discriminatedUnion('type', [CommandExecutionItem, UserMessageItem, AgentMessageItem, ReasoningItem]);

export const Turn = z.object({
  id: z.string(),
  items: z.array(ThreadItem),
  status: z.enum(['inProgress', 'completed', 'interrupted', 'failed']),
  error: TurnError.nullable(),
  startedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
});

/** Codex's Thread; times in Unix seconds. `turns` is filled only by thread/resume and thread/read. */
export const Thread = z.object({
  id: z.string(),
  sessionId: z.string(),
  cwd: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  preview: z.string(),
  name: z.string().nullable(),
  model: z.string().nullable(),
  modelProvider: z.string(),
  ephemeral: z.boolean(),
  status: ThreadStatus,
  turns: z.array(Turn),
  cliVersion: z.string(),
  projectId: z.string().nullable(),
  source: ThreadSource,
});

/** thread/start and thread/resume answer with the thread and the settings it runs with. */
const ThreadOpened = z.object({
  thread: Thread,
  model: z.string(),
  modelProvider: z.string(),
  cwd: z.string(),
  approvalPolicy: z.enum(['on-request', 'never']),
  approvalsReviewer: z.literal('user'),
  /** corral runs commands without a sandbox, and says so. */
  sandbox: z.object({ type: z.literal('dangerFullAccess') }),
});

export const ThreadBackgroundTerminal = z.object({
  itemId: z.string(),
  processId: z.string(),
  command: z.string(),
  cwd: z.string(),
  osPid: z.number().int().nullable(),
  cpuPercent: z.number().nullable(),
  rssKb: z.number().int().nullable(),
  // corral
  status: z.enum(['running', 'exited']),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  startedAtMs: z.number(),
  lastOutputAtMs: z.number().nullable(),
  liveProcesses: z.number().int(),
  /** Being stopped right now (its grace period is running). */
  stopping: z.boolean(),
  tty: z.boolean(),
  recentLines: z.array(ScreenLine),
  /** The label a person gave it (`thread/backgroundTerminals/name`). */
  name: z.string().nullable().optional(),
  /** TCP ports its process tree listens on, from the kernel. */
  ports: z.array(z.number().int()).optional(),
  /** The first http(s) URL it printed (from its screen). */
  url: z.string().nullable().optional(),
  /** Its foreground process is blocked reading the terminal and it printed nothing for 3 s. */
  waitingForInput: z.boolean().optional(),
  /** Where its complete output is logged (capped). */
  logPath: z.string().nullable().optional(),
});

/** corral: how a stop ended, for an honest report. */
export const TerminationReport = z.object({
  processId: z.string(),
  itemId: z.string(),
  command: z.string(),
  terminated: z.boolean(),
  wasRunning: z.boolean(),
  endedBy: z.enum(['exited', 'SIGTERM', 'SIGKILL']),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number(),
  survivors: z.array(z.number().int()),
  /** Members that had left the tree (setsid, orphaned), found by their marker and ended. */
  escaped: z.number().int().optional(),
});

const ThreadParams = z.object({ threadId: z.string() });
const ItemParams = ThreadParams.extend({ itemId: z.string() });
const ProcessParams = ThreadParams.extend({ processId: z.string() });
const TerminateResult = z.object({ terminated: z.boolean(), report: TerminationReport.nullable() });

/** Client-to-server requests: params and result of each method. */
export const Requests = {
  'thread/start': {
    params: z.object({
      cwd: z.string().nullable().optional(),
      approvalPolicy: ApprovalPolicy.nullable().optional(),
      ephemeral: z.boolean().nullable().optional(),
      /** corral: carry this thread's background terminals over to the new one. */
      inheritTerminalsFrom: z.string().optional(),
    }),
    result: ThreadOpened,
  },
  'thread/resume': {
    params: ThreadParams.extend({
      approvalPolicy: ApprovalPolicy.nullable().optional(),
      /** corral: carry this thread's background terminals over to the resumed one. */
      inheritTerminalsFrom: z.string().optional(),
    }),
    result: ThreadOpened,
  },
  'thread/read': { params: ThreadParams.extend({ includeTurns: z.boolean().optional() }), result: z.object({ thread: Thread }) },
  'thread/list': {
    params: z.object({ cursor: z.string().nullable().optional(), limit: z.number().int().min(1).max(500).nullable().optional() }),
    result: z.object({ data: z.array(Thread), nextCursor: z.string().nullable() }),
  },
  'turn/start': {
    params: ThreadParams.extend({
      input: z.array(UserInput).min(1, 'input must not be empty'),
      approvalPolicy: ApprovalPolicy.nullable().optional(),
    }),
    result: z.object({ turn: Turn }),
  },
  'turn/interrupt': { params: ThreadParams.extend({ turnId: z.string() }), result: z.object({}) },
  /** corral: run a user `!` command in the thread (a commandExecution item with source userShell). */
  'thread/shellCommand': {
    params: ThreadParams.extend({ command: z.string().min(1), size: TerminalSize.optional() }),
    result: z.object({ itemId: z.string(), turnId: z.string() }),
  },
  /** corral: end a shell command's foreground window now (Ctrl+B). */
  'thread/shellCommand/background': { params: ItemParams, result: z.object({ backgrounded: z.boolean() }) },
  /** corral: interrupt a foreground shell command (Ctrl+C: SIGINT through its terminal). */
  'thread/shellCommand/interrupt': { params: ItemParams, result: z.object({ interrupted: z.boolean() }) },
  /** corral: resize the terminals of the thread's running commands. */
  'thread/terminals/resize': { params: ThreadParams.extend({ size: TerminalSize }), result: z.object({}) },
  'thread/backgroundTerminals/list': {
    params: ThreadParams.extend({
      cursor: z.string().nullable().optional(),
      limit: z.number().int().min(0).nullable().optional(),
    }),
    result: z.object({ data: z.array(ThreadBackgroundTerminal), nextCursor: z.string().nullable() }),
  },
  'thread/backgroundTerminals/terminate': { params: ProcessParams, result: TerminateResult },
  /** corral (from the seeds): the same as terminate. */
  'thread/backgroundTerminals/stop': { params: ProcessParams, result: TerminateResult },
  'thread/backgroundTerminals/clean': {
    params: ThreadParams,
    result: z.object({ reports: z.array(TerminationReport) }),
  },
  /** corral: give a terminal a short label (null removes it); unique, not a number. */
  'thread/backgroundTerminals/name': {
    params: ProcessParams.extend({ name: z.string().nullable() }),
    result: z.object({ named: z.boolean() }),
  },
  /** corral: a verified stop, then the same command (cwd, environment, size) as a new background terminal. */
  'thread/backgroundTerminals/restart': {
    params: ProcessParams,
    result: z.object({
      restarted: z.boolean(),
      /** How the stop ended; null when the thread has no such terminal. */
      report: TerminationReport.nullable(),
      /** The new terminal. */
      processId: z.string().nullable(),
      itemId: z.string().nullable(),
      /** Why no new terminal runs (the old one survived its stop, or the command failed at once). */
      error: z.string().nullable(),
    }),
  },
  ...LeftoverRequests,
  ...TerminalRequests,
} as const;

/** Server-to-client notifications. */
export const Notifications = {
  'thread/started': z.object({ thread: Thread }),
  'thread/status/changed': z.object({ threadId: z.string(), status: ThreadStatus }),
  'thread/tokenUsage/updated': z.object({
    threadId: z.string(),
    turnId: z.string(),
    tokenUsage: z.object({ total: TokenUsageBreakdown, last: TokenUsageBreakdown, modelContextWindow: z.number().int().nullable() }),
  }),
  'turn/started': z.object({ threadId: z.string(), turn: Turn }),
  'turn/completed': z.object({ threadId: z.string(), turn: Turn }),
  error: z.object({ threadId: z.string(), turnId: z.string(), error: TurnError, willRetry: z.boolean() }),
  'item/agentMessage/delta': z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), delta: z.string() }),
  'item/reasoning/summaryPartAdded': z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), summaryIndex: z.number().int() }),
  'item/reasoning/summaryTextDelta': z.object({
    threadId: z.string(),
    turnId: z.string(),
    itemId: z.string(),
    summaryIndex: z.number().int(),
    delta: z.string(),
  }),
  'item/reasoning/textDelta': z.object({
    threadId: z.string(),
    turnId: z.string(),
    itemId: z.string(),
    contentIndex: z.number().int(),
    delta: z.string(),
  }),
  'item/started': z.object({ threadId: z.string(), turnId: z.string(), item: ThreadItem, startedAtMs: z.number() }),
  'item/completed': z.object({ threadId: z.string(), turnId: z.string(), item: ThreadItem, completedAtMs: z.number() }),
  'item/commandExecution/outputDelta': z.object({
    threadId: z.string(),
    turnId: z.string(),
    itemId: z.string(),
    delta: z.string(),
  }),
  /** corral: the newest lines of a running command's screen (at most ~30 a second). */
  'item/commandExecution/terminal': z.object({
    threadId: z.string(),
    turnId: z.string(),
    itemId: z.string(),
    processId: z.string(),
    lines: z.array(ScreenLine),
    alternateScreen: z.boolean(),
  }),
  /** corral: the command outlived its foreground window and is now a background terminal. */
  'item/commandExecution/backgrounded': z.object({
    threadId: z.string(),
    turnId: z.string(),
    itemId: z.string(),
    processId: z.string(),
  }),
  /** corral: a thread's set of background terminals changed. */
  /** corral: a terminal listens on a new port, waits for input or stops waiting; or logging stopped. */
  'thread/backgroundTerminals/notice': z.object({
    threadId: z.string(),
    kind: z.enum(['listening', 'waitingForInput', 'inputResumed', 'logStopped']),
    processId: z.string().nullable(),
    command: z.string().nullable(),
    name: z.string().nullable(),
    ports: z.array(z.number().int()),
    newPorts: z.array(z.number().int()),
    url: z.string().nullable(),
    message: z.string(),
  }),
  'thread/backgroundTerminals/changed': z.object({
    threadId: z.string(),
    running: z.number().int(),
    exited: z.number().int(),
  }),
} as const;

/** Server-to-client requests: what the server asks and what the client answers. */
export const ServerRequests = {
  'item/commandExecution/requestApproval': { params: CommandExecutionRequestApprovalParams, result: CommandExecutionRequestApprovalResponse },
} as const;

export type ServerRequestMethod = keyof typeof ServerRequests;
export type ServerRequestParams<M extends ServerRequestMethod> = z.infer<(typeof ServerRequests)[M]['params']>;
export type ServerRequestResult<M extends ServerRequestMethod> = z.infer<(typeof ServerRequests)[M]['result']>;
export type RequestMethod = keyof typeof Requests;
export type NotificationMethod = keyof typeof Notifications;
export type Params<M extends RequestMethod> = z.input<(typeof Requests)[M]['params']>;
export type Result<M extends RequestMethod> = z.infer<(typeof Requests)[M]['result']>;
export type NotificationParams<N extends NotificationMethod> = z.infer<(typeof Notifications)[N]>;

export type ScreenLineData = z.infer<typeof ScreenLine>;
export type ThreadItemData = z.infer<typeof ThreadItem>;
export type ThreadData = z.infer<typeof Thread>;
export type TurnData = z.infer<typeof Turn>;
export type BackgroundTerminalData = z.infer<typeof ThreadBackgroundTerminal>;
export type TerminationReportData = z.infer<typeof TerminationReport>;
