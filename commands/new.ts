// /new: a fresh conversation. Background terminals carry over (they stay listed and stoppable).
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';
import { switchThread } from './list-terminals.js';

export const newThread: SlashCommand = {
  name: 'new',
  description: 'start a new conversation (background terminals keep running)',
  usage: '/new',
  run: async (ctx) => {
    if (ctx.state.status.get().turn) {
      return { cells: [{ kind: 'error', id: cellId('new'), text: 'The model is still working: press Esc to interrupt it first.' }] };
    }
    const { thread } = await ctx.client.request('thread/start', { inheritTerminalsFrom: ctx.threadId });
    await switchThread(ctx, thread.id);
    ctx.state.composer.set((c) => ({ ...c, queued: [] }));
    return { effect: 'clear', cells: [{ kind: 'info', id: cellId('new'), text: 'New conversation. The model starts fresh; background terminals keep running (/ps).' }] };
  },
};
