// Thread items as the core keeps them. Field names follow the app-server's ThreadItem so that the protocol
// layer passes them through unchanged.
import type { ScreenLine } from '../exec/index.js';

export type CommandExecutionStatus = 'inProgress' | 'completed' | 'failed' | 'declined';
export type CommandExecutionSource = 'agent' | 'userShell' | 'unifiedExecStartup' | 'unifiedExecInteraction';

/** What a finished command's screen showed: its first and last lines, and how many lines it held. */
export interface TerminalPreview {
  head: ScreenLine[];
  tail: ScreenLine[];
  totalLines: number;
  /** Set when the screen no longer held every line (a flood, or more than the scrollback): `totalLines` is then
   * what was kept, and `outputBytes` says how much the command printed in all. */
  linesLost?: boolean;
  outputBytes?: number;
}

export interface CommandExecutionItem {
  type: 'commandExecution';
  id: string;
  command: string;
  cwd: string;
  processId: string | null;
  source: CommandExecutionSource;
  status: CommandExecutionStatus;
  commandActions: never[];
  aggregatedOutput: string | null;
  exitCode: number | null;
  durationMs: number | null;
  // corral extensions (ignored by Codex clients)
  signal?: string | null;
  /** Set when the command kept running after its foreground window. */
  backgrounded?: boolean;
  /** Set when a user or client stopped it. */
  stopped?: boolean;
  terminal?: TerminalPreview;
  /** A `/restart`: the process id of the terminal this command replaces. */
  restartOf?: string;
  /** The same command (text and cwd) was already running as this background terminal when this one started. */
  duplicateOf?: { processId: string; ports: number[] };
  /** It failed because a port was in use, and this corral terminal listens on it. */
  portHeldBy?: { processId: string; port: number; command: string; name: string | null };
}

/** What the person wrote (Codex's UserInput text form). */
export interface UserMessageItem {
  type: 'userMessage';
  id: string;
  content: { type: 'text'; text: string; text_elements: never[] }[];
}

/** The model's answer text (Markdown), streamed by deltas. */
export interface AgentMessageItem {
  type: 'agentMessage';
  id: string;
  text: string;
}

/** What the model thought: summary parts (Responses API) and raw reasoning text (local thinking models). */
export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: string[];
  content: string[];
}

export type ThreadItem = CommandExecutionItem | UserMessageItem | AgentMessageItem | ReasoningItem;

export function userMessageText(item: UserMessageItem): string {
  return item.content.map((c) => c.text).join('\n');
}
