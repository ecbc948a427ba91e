// What the core tells its listeners. Plain data, no UI and no wire types: the protocol layer maps these to
// app-server notifications.
import type { ScreenLine } from '../exec/index.js';
import type { ThreadItem } from './items.js';

export interface ThreadInfo {
  id: string;
  cwd: string;
  createdAt: number;
}

export interface SessionEvents {
  threadStarted: { thread: ThreadInfo };
  itemStarted: { threadId: string; turnId: string; item: ThreadItem; startedAtMs: number };
  itemCompleted: { threadId: string; turnId: string; item: ThreadItem; completedAtMs: number };
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
  /** The set of a thread's background terminals changed (started, exited, stopped). */
  backgroundTerminalsChanged: { threadId: string; running: number; exited: number };
}
