// The shape of a slash command: data (names, description, usage) plus functions to complete arguments and run.
// Commands live in commands/, one file each; the TUI only knows this interface.
import type { CorralClient } from '../protocol/client.js';
import type { Cell } from './cells.js';
import type { TuiState } from './state.js';

/** What commands may do to the screen beyond printing cells. */
export interface CommandUi {
  /** Shows one of the thread's terminals full-screen until Ctrl+]; rejects (with a message) when it cannot. */
  attach(processId: string): Promise<void>;
  /** Opens the interactive /ps. */
  openPicker(): void;
}

export interface CommandContext {
  client: CorralClient;
  threadId: string;
  state: TuiState;
  /** Every command, for /help. */
  commands: readonly SlashCommand[];
  ui?: CommandUi;
}

export interface CommandResult {
  cells: Cell[];
  effect?: 'quit' | 'clear';
}

export interface Completion {
  /** What replaces the argument being typed. */
  value: string;
  /** What the popup shows. */
  label: string;
}

export interface SlashCommand {
  name: string;
  aliases?: string[];
  description: string;
  /** e.g. `/stop [id-or-prefix ...]` */
  usage: string;
  /** Candidates for the argument being typed (`prefix` may be empty). */
  completeArg?: (ctx: CommandContext, prefix: string) => Promise<Completion[]>;
  run: (ctx: CommandContext, args: string[]) => CommandResult | Promise<CommandResult>;
}

export function findCommand(commands: readonly SlashCommand[], name: string): SlashCommand | undefined {
  const n = name.toLowerCase();
  return commands.find((c) => c.name === n || (c.aliases ?? []).includes(n));
}

/** `/name arg1 arg2` → name and args; null when the text is not a slash command. */
export function parseSlash(text: string): { name: string; args: string[] } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('/')) return null;
  const [head, ...args] = trimmed.slice(1).split(/\s+/);
  return { name: head ?? '', args: args.filter((a) => a !== '') };
}
