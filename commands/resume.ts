// /resume <thread>: reopen an earlier conversation, its transcript drawn again; the model gets its history on
// the next turn. Tab (or typing) picks from the recent threads, newest first.
import { cellId } from '../src/tui/cells.js';
import type { CommandContext, Completion, SlashCommand } from '../src/tui/command-types.js';
import { sanitize } from '../src/tui/sanitize.js';
import { turnsToCells } from '../src/tui/history-cells.js';
import { switchThread } from './list-terminals.js';

const PICK = 20;

function when(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function recent(ctx: CommandContext, prefix: string): Promise<Completion[]> {
  const { data } = await ctx.client.request('thread/list', { limit: PICK });
  return data
    .filter((t) => t.id.startsWith(prefix) && t.id !== ctx.threadId)
    .map((t) => ({
      value: t.id,
      label: `${when(t.updatedAt)}  ${sanitize(t.cwd)}  ${sanitize(t.preview).replace(/\s+/g, ' ').slice(0, 60) || '(no message)'}`,
    }));
}

/** Opens a thread in the TUI: used by /resume and by `corral resume`. */
export async function openThread(ctx: CommandContext, threadId: string) {
  const opened = await ctx.client.request('thread/resume', { threadId, inheritTerminalsFrom: ctx.threadId });
  await switchThread(ctx, opened.thread.id);
  return opened;
}

export const resume: SlashCommand = {
  name: 'resume',
  description: 'reopen an earlier conversation',
  usage: '/resume <thread>',
  completeArg: (ctx, prefix) => recent(ctx, prefix),
  run: async (ctx, args) => {
    if (ctx.state.status.get().turn) {
      return { cells: [{ kind: 'error', id: cellId('resume'), text: 'The model is still working: press Esc to interrupt it first.' }] };
    }
    const wanted = args[0];
    if (!wanted) {
      const choices = await recent(ctx, '');
      if (choices.length === 0) return { cells: [{ kind: 'info', id: cellId('resume'), text: 'No earlier conversations yet.' }] };
      return { cells: [{ kind: 'info', id: cellId('resume'), text: 'Type /resume and a space, then pick a conversation with ↑/↓ and Tab.' }] };
    }
    const matches = (await recent(ctx, wanted)).map((c) => c.value);
    const threadId = matches.length === 1 ? matches[0]! : wanted;
    const opened = await openThread(ctx, threadId);
    const cells = turnsToCells(opened.thread.turns);
    return {
      effect: 'clear',
      cells: [
        { kind: 'info', id: cellId('resume'), text: `Resumed the conversation of ${when(opened.thread.createdAt)} in ${opened.thread.cwd}.` },
        ...cells,
      ],
    };
  },
};
