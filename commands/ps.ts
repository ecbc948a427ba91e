// /ps: the background terminals, with live figures and their last lines, and what an earlier run left running.
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';
import { listAllTerminals } from './list-terminals.js';

export const ps: SlashCommand = {
  name: 'ps',
  description: 'list background terminals',
  usage: '/ps',
  run: async (ctx) => {
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
