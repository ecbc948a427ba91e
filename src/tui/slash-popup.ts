// What the slash popup offers for the text being typed: command names while the first word is typed, then
// argument candidates for commands that have them.
import type { SlashCommand } from './command-types.js';
import { findCommand } from './command-types.js';
import type { Popup, PopupEntry } from './state.js';

/** Commands whose name or an alias starts with the typed word; null when not typing a command name. */
export function commandPopup(text: string, commands: readonly SlashCommand[]): Popup | null {
  if (!/^\/\S*$/.test(text)) return null;
  const typed = text.slice(1).toLowerCase();
  const entries: PopupEntry[] = [];
  for (const c of commands) {
    const names = [c.name, ...(c.aliases ?? [])];
    const hit = names.find((n) => n.startsWith(typed));
    if (hit) entries.push({ value: `/${hit} `, label: `/${hit}`, description: c.description });
  }
  return entries.length > 0 ? { kind: 'commands', entries, replaceFrom: 0 } : null;
}

/** The command whose argument is being typed, the typed prefix, and where it starts. */
export function argumentContext(
  text: string,
  commands: readonly SlashCommand[],
): { command: SlashCommand; prefix: string; replaceFrom: number } | null {
  const m = /^\/(\S+)\s+(?:.*\s)?(\S*)$/.exec(text);
  if (!m) return null;
  const command = findCommand(commands, m[1]!);
  if (!command?.completeArg) return null;
  const prefix = m[2]!;
  return { command, prefix, replaceFrom: text.length - prefix.length };
}

/** Replaces the word from `replaceFrom` with `value`. */
export function applyCompletion(text: string, replaceFrom: number, value: string): string {
  const completed = text.slice(0, replaceFrom) + value;
  return completed.endsWith(' ') ? completed : `${completed} `;
}

/** Shortest prefix of `id` (at least 3 characters) that no other id shares. */
export function uniquePrefix(id: string, ids: Iterable<string>): string {
  const others = [...ids].filter((o) => o !== id);
  for (let n = Math.min(3, id.length); n <= id.length; n++) {
    const p = id.slice(0, n);
    if (!others.some((o) => o.startsWith(p))) return p;
  }
  return id;
}
