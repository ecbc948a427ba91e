// Every background terminal of the thread, across pages.
import type { BackgroundTerminalData, Result } from '../src/protocol/shapes.js';
import type { CommandContext } from '../src/tui/command-types.js';

export async function listAllTerminals(ctx: CommandContext): Promise<BackgroundTerminalData[]> {
  const all: BackgroundTerminalData[] = [];
  let cursor: string | null = null;
  do {
    const page: Result<'thread/backgroundTerminals/list'> = await ctx.client.request('thread/backgroundTerminals/list', { threadId: ctx.threadId, cursor, limit: 100 });
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

/** Makes the thread with this id the current one, with its terminal counts (`/new`, `/resume`). */
export async function switchThread(ctx: CommandContext, threadId: string): Promise<void> {
  ctx.state.setStatus({ threadId });
  const all = await listAllTerminals(ctx);
  const running = all.filter((t) => t.status === 'running').length;
  ctx.state.setCounts(running, all.length - running);
}
