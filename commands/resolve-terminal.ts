// What a person types to name a background terminal: its id, a prefix of it, or the name given with /name.
// Ids are numbers and names never are, so the two cannot be confused; an id match is tried first.
import { type Resolution, resolveProcessArg } from '../src/protocol/process-keys.js';
import type { BackgroundTerminalData } from '../src/protocol/shapes.js';
import type { Completion } from '../src/tui/command-types.js';
import { firstLine } from '../src/tui/text-width.js';

type Named = Pick<BackgroundTerminalData, 'processId' | 'name'>;

export function resolveTerminal(arg: string, terminals: readonly Named[]): Resolution {
  const byId = resolveProcessArg(
    arg,
    terminals.map((t) => t.processId),
  );
  if (byId.kind === 'unique' || byId.kind === 'ambiguous') return byId;
  const named = terminals.find((t) => t.name === arg.trim());
  return named ? { kind: 'unique', key: named.processId } : byId;
}

/** `[1003] web · npm run dev`, or `[1003] npm run dev` without a name. */
export function terminalLabel(t: Pick<BackgroundTerminalData, 'processId' | 'name' | 'command'>): string {
  return `[${t.processId}] ${t.name ? `${t.name} · ` : ''}${firstLine(t.command).text}`;
}

/** Completions for an id-or-name argument: ids starting with the prefix, and names starting with it. */
export function completeTerminal(terminals: readonly Pick<BackgroundTerminalData, 'processId' | 'name' | 'command'>[], prefix: string): Completion[] {
  const out: Completion[] = [];
  for (const t of terminals) {
    if (t.processId.startsWith(prefix)) out.push({ value: t.processId, label: terminalLabel(t) });
    else if (t.name && prefix !== '' && t.name.startsWith(prefix)) out.push({ value: t.name, label: terminalLabel(t) });
  }
  return out;
}
