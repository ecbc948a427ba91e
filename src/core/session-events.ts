// What the core tells its listeners. Plain data, no UI and no wire types: the protocol layer maps these to
// app-server notifications.
import type { ScreenLine } from '../exec/index.js';
import type { ThreadItem } from './items.js';
import type { TerminalNotice } from './terminals/notices.js';
import type { ThreadStatus, TokenUsageInfo, Turn, TurnError } from './turns.js';

export interface ThreadInfo {
  id: string;
  cwd: string;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** The first user message, if any. */
  preview: string;
  model: string | null;
  modelProvider: string;
  /** Not persisted and not listed (exec/run). */
  ephemeral: boolean;
  status: ThreadStatus;
}

/** The model wants to run a command and the policy asks the person first. */
export interface ApprovalRequest {
  requestId: string;
  threadId: string;
  turnId: string;
  itemId: string;
  command: string;
  cwd: string;
  reason: string | null;
  startedAtMs: number;
}

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface SessionEvents {
  threadStarted: { thread: ThreadInfo };
  threadStatusChanged: { threadId: string; status: ThreadStatus };
  /** The thread was unloaded (its processes stopped); it can be resumed from its log. */
  threadClosed: { threadId: string };
  turnStarted: { threadId: string; turn: Turn };
  turnCompleted: { threadId: string; turn: Turn };
  /** A turn failed: the error as the person should read it. */
  turnError: { threadId: string; turnId: string; error: TurnError; willRetry: boolean };
  tokenUsageUpdated: { threadId: string; turnId: string; tokenUsage: TokenUsageInfo };
  itemStarted: { threadId: string; turnId: string; item: ThreadItem; startedAtMs: number };
  itemCompleted: { threadId: string; turnId: string; item: ThreadItem; completedAtMs: number };
  agentMessageDelta: { threadId: string; turnId: string; itemId: string; delta: string };
  reasoningSummaryPartAdded: { threadId: string; turnId: string; itemId: string; summaryIndex: number };
  reasoningSummaryTextDelta: { threadId: string; turnId: string; itemId: string; summaryIndex: number; delta: string };
  reasoningTextDelta: { threadId: string; turnId: string; itemId: string; contentIndex: number; delta: string };
  /** Raw output of a command (at most 8 KiB, never splitting a character). */
  commandOutput: { threadId: string; turnId: string; itemId: string; processId: string; chunk: Buffer };
  /** The newest lines of a running command's screen; at most ~30 a second per command. */
  terminalSnapshot: {
    threadId: string;
    turnId: string;
    itemId: string;
    processId: string;
    lines: ScreenLine[];
    alternateScreen: boolean;
  };
  /** A command outlived its foreground window (or was sent there) and is now a background terminal. */
  commandBackgrounded: { threadId: string; turnId: string; itemId: string; processId: string };
  /** A terminal listens on a new port, waits for input or stops waiting; logging stopped. */
  terminalNotice: TerminalNotice;
  /** The set of a thread's background terminals changed (started, exited, stopped). */
  backgroundTerminalsChanged: { threadId: string; running: number; exited: number };
}
