// Wire shapes of the app-server API, as zod schemas. Names and fields follow Codex's app-server v2 (see the
// seeds); fields marked "corral" are extensions that Codex clients ignore.
import { z } from 'zod';

const CellColor = z.union([
  z.object({ mode: z.literal('palette'), index: z.number().int() }),
  z.object({ mode: z.literal('rgb'), rgb: z.number().int() }),
]);

export const SpanStyle = z.object({
  fg: CellColor.optional(),
  bg: CellColor.optional(),
  bold: z.literal(true).optional(),
  dim: z.literal(true).optional(),
  italic: z.literal(true).optional(),
  underline: z.literal(true).optional(),
  inverse: z.literal(true).optional(),
  strikethrough: z.literal(true).optional(),
});

/** corral: one line of a terminal screen, as styled text (never escape sequences). */
export const ScreenLine = z.object({
  text: z.string(),
  spans: z.array(z.object({ text: z.string(), style: SpanStyle })),
});

export const TerminalSize = z.object({ rows: z.number().int().min(1).max(1000), cols: z.number().int().min(1).max(1000) });

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
    .object({ head: z.array(ScreenLine), tail: z.array(ScreenLine), totalLines: z.number().int() })
    .optional(),
});
export const ThreadItem = CommandExecutionItem;

export const Thread = z.object({ id: z.string(), cwd: z.string(), createdAt: z.number() });

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
});

const ThreadParams = z.object({ threadId: z.string() });
const ItemParams = ThreadParams.extend({ itemId: z.string() });
const ProcessParams = ThreadParams.extend({ processId: z.string() });
const TerminateResult = z.object({ terminated: z.boolean(), report: TerminationReport.nullable() });

/** Client-to-server requests: params and result of each method. */
export const Requests = {
  'thread/start': { params: z.object({ cwd: z.string().optional() }), result: z.object({ thread: Thread }) },
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
} as const;

/** Server-to-client notifications. */
export const Notifications = {
  'thread/started': z.object({ thread: Thread }),
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
  'thread/backgroundTerminals/changed': z.object({
    threadId: z.string(),
    running: z.number().int(),
    exited: z.number().int(),
  }),
} as const;

export type RequestMethod = keyof typeof Requests;
export type NotificationMethod = keyof typeof Notifications;
export type Params<M extends RequestMethod> = z.input<(typeof Requests)[M]['params']>;
export type Result<M extends RequestMethod> = z.infer<(typeof Requests)[M]['result']>;
export type NotificationParams<N extends NotificationMethod> = z.infer<(typeof Notifications)[N]>;

export type ScreenLineData = z.infer<typeof ScreenLine>;
export type ThreadItemData = z.infer<typeof ThreadItem>;
export type BackgroundTerminalData = z.infer<typeof ThreadBackgroundTerminal>;
export type TerminationReportData = z.infer<typeof TerminationReport>;
