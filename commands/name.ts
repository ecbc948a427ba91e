// /name <id-or-prefix> [name]: a short label for a background terminal, shown in /ps and accepted by /stop,
// /restart and /attach. Without a name, the label is removed.
import { ProtocolError } from '../src/protocol/errors.js';
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';
import { completeTerminalArg, pickTerminal } from './pick-terminal.js';

const USAGE = '/name <id-or-prefix> [name]';

export const name: SlashCommand = {
  name: 'name',
  description: 'give a background terminal a short name (none: remove it)',
  usage: USAGE,
  completeArg: completeTerminalArg,
  run: async (ctx, args) => {
    const picked = await pickTerminal(ctx, args[0], USAGE);
    if ('error' in picked) return { cells: [picked.error] };
    const t = picked.terminal;
    const label = args[1] ?? null;
    try {
      const { named } = await ctx.client.request('thread/backgroundTerminals/name', { threadId: ctx.threadId, processId: t.processId, name: label });
      if (!named) return { cells: [{ kind: 'error', id: cellId('name'), text: `[${t.processId}] is no longer a background terminal.` }] };
    } catch (err) {
      if (err instanceof ProtocolError) return { cells: [{ kind: 'error', id: cellId('name'), text: err.message.replace(/^[^:]*: /, '') }] };
      throw err;
    }
    const text = label === null ? `[${t.processId}] has no name now.` : `[${t.processId}] is now named ${label}.`;
    return { cells: [{ kind: 'info', id: cellId('name'), text }] };
  },
};
