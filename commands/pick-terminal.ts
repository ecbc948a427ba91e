// One background terminal named by what the person typed (id, prefix or name), or the error cell saying why
// none was chosen. For commands that act on exactly one terminal (/restart, /name, /attach).
import type { BackgroundTerminalData } from '../src/protocol/shapes.js';
import { type TextCell, cellId } from '../src/tui/cells.js';
import type { CommandContext, Completion } from '../src/tui/command-types.js';
import { listAllTerminals } from './list-terminals.js';
import { completeTerminal, resolveTerminal, terminalLabel } from './resolve-terminal.js';

/** Completions for a command's id-or-name argument among the thread's background terminals. */
export async function completeTerminalArg(ctx: CommandContext, prefix: string): Promise<Completion[]> {
  return completeTerminal(await listAllTerminals(ctx), prefix);
}

export async function pickTerminal(
  ctx: CommandContext,
  arg: string | undefined,
  usage: string,
): Promise<{ terminal: BackgroundTerminalData } | { error: TextCell }> {
  const error = (text: string) => ({ error: { kind: 'error' as const, id: cellId('pick'), text } });
  if (!arg) return error(`Which terminal? Usage: ${usage}`);
  const terminals = await listAllTerminals(ctx);
  const r = resolveTerminal(arg, terminals);
  switch (r.kind) {
    case 'unique': {
      const terminal = terminals.find((t) => t.processId === r.key);
      return terminal ? { terminal } : error(`No background terminal matches "${arg}".`);
    }
    case 'ambiguous': {
      const labels = r.candidates.map((id) => terminals.find((t) => t.processId === id)).flatMap((t) => (t ? [terminalLabel(t)] : []));
      return error(`"${arg}" matches ${r.candidates.length} background terminals: ${labels.join(', ')}. Type more of the id.`);
    }
    case 'not-found':
    case 'invalid':
      return error(`No background terminal matches "${arg}".`);
  }
}
