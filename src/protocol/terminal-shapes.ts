// corral: reading, typing into and resizing one of a thread's terminals (a background terminal or a foreground
// `!` command): what an attach view needs. A processId the thread does not own is an error.
import { z } from 'zod';
import { ScreenLine, TerminalSize } from './shapes-common.js';

const ProcessParams = z.object({ threadId: z.string(), processId: z.string() });

export const TerminalRead = z.object({
  rows: z.number().int(),
  cols: z.number().int(),
  /** `scrollback` rows of history, then `rows` rows of the screen as laid out; empty when `changed` is false. */
  lines: z.array(ScreenLine),
  /** Rows of history at the top of `lines`. */
  scrollback: z.number().int(),
  /** Rows of history there are above the screen. */
  scrollbackAvailable: z.number().int(),
  /** On the screen: row 0 is its top row. */
  cursor: z.object({ row: z.number().int(), col: z.number().int(), visible: z.boolean() }),
  alternateScreen: z.boolean(),
  /** The program wants arrows as `ESC O A` rather than `ESC [ A`. */
  applicationCursorKeys: z.boolean(),
  /** Goes up when the screen may have changed; pass it back as `sinceRevision`. */
  revision: z.number().int(),
  changed: z.boolean(),
  /** Runs under a terminal (takes keys, can be resized); otherwise on pipes, view-only. */
  tty: z.boolean(),
  /** Input can reach it now. */
  writable: z.boolean(),
  status: z.enum(['running', 'exited']),
  osPid: z.number().int().nullable(),
  command: z.string(),
});

export const TerminalRequests = {
  'thread/backgroundTerminals/read': {
    params: ProcessParams.extend({
      /** Rows of history above the screen to include (at most what the terminal keeps). */
      scrollback: z.number().int().min(0).max(100_000).optional(),
      /** The revision the caller has: when unchanged, no lines are sent. */
      sinceRevision: z.number().int().optional(),
    }),
    result: TerminalRead,
  },
  /** Input as typed (keys, Ctrl+C as `\u0003`); a process on pipes with stdin closed, or exited, refuses it. */
  'thread/backgroundTerminals/write': { params: ProcessParams.extend({ data: z.string() }), result: z.object({}) },
  /** One terminal's size (a process on pipes has none). */
  'thread/backgroundTerminals/resize': { params: ProcessParams.extend({ size: TerminalSize }), result: z.object({}) },
} as const;

export type TerminalReadData = z.infer<typeof TerminalRead>;
