// /ps: the background terminals, with live figures and their last lines, and what an earlier run left running.
// /ps -i (or Ctrl+T) opens the interactive list instead (src/tui/ps-picker.ts).
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';
import { listAllTerminals } from './list-terminals.js';

export const ps: SlashCommand = {
  name: 'ps',
  description: 'list background terminals',
  usage: '/ps [-i]',
  run: async (ctx, args) => {
    if (args.includes('-i')) {
      if (!ctx.ui) return { cells: [{ kind: 'error', id: cellId('ps'), text: 'The interactive list needs corral running in a terminal.' }] };
      ctx.ui.openPicker();
      return { cells: [] };
    }
    const [all, leftovers] = await Promise.all([
      listAllTerminals(ctx),
      ctx.client.request('corral/leftovers/list', {}),
    ]);
    return {
      cells: [
        {
          kind: 'ps',
          id: cellId('ps'),
          at: Date.now(),
          running: all.filter((t) => t.status === 'running'),
          exited: all.filter((t) => t.status === 'exited'),
          leftovers: leftovers.data,
        },
      ],
    };
  },
};
