// /restart <id-or-prefix-or-name>: a verified stop, then the same command (same cwd, environment and terminal
// size) as a new background terminal. The report says both halves.
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';
import { completeTerminalArg, pickTerminal } from './pick-terminal.js';

const USAGE = '/restart <id-or-prefix | name>';

export const restart: SlashCommand = {
  name: 'restart',
  description: 'stop a background terminal and start its command again',
  usage: USAGE,
  completeArg: completeTerminalArg,
  run: async (ctx, args) => {
    const picked = await pickTerminal(ctx, args[0], USAGE);
    if ('error' in picked) return { cells: [picked.error] };
    const t = picked.terminal;
    const r = await ctx.client.request('thread/backgroundTerminals/restart', { threadId: ctx.threadId, processId: t.processId });
    if (!r.report) {
      return { cells: [{ kind: 'error', id: cellId('restart'), text: `[${t.processId}] is already being stopped or is gone; nothing restarted.` }] };
    }
    return {
      cells: [{ kind: 'restart', id: cellId('restart'), command: t.command, name: t.name ?? null, report: r.report, newProcessId: r.processId, error: r.error }],
    };
  },
};
