// /attach <id-or-prefix | name>: one of the thread's terminals full-screen, keys going to it, until Ctrl+]. Ids
// resolve as /stop resolves them (an exact id, else a unique prefix, else a name), among the background
// terminals and the commands running in the foreground.
import { cellId } from '../src/tui/cells.js';
import type { CommandContext, CommandResult, SlashCommand } from '../src/tui/command-types.js';
import { firstLine } from '../src/tui/text-width.js';
import { listAllTerminals } from './list-terminals.js';
import { completeTerminal, resolveTerminal } from './resolve-terminal.js';

type Candidate = { processId: string; command: string; name: string | null };

async function candidates(ctx: CommandContext): Promise<Map<string, Candidate>> {
  const all = new Map<string, Candidate>();
  for (const t of await listAllTerminals(ctx)) all.set(t.processId, { processId: t.processId, command: t.command, name: t.name ?? null });
  for (const c of ctx.state.live.get().running) if (c.processId) all.set(c.processId, { processId: c.processId, command: c.command, name: null });
  return all;
}

const error = (text: string): CommandResult => ({ cells: [{ kind: 'error', id: cellId('attach'), text }] });

export const attach: SlashCommand = {
  name: 'attach',
  description: 'show a terminal full-screen and type into it (Ctrl+] returns)',
  usage: '/attach <id-or-prefix | name>',
  completeArg: async (ctx, prefix) => completeTerminal([...(await candidates(ctx)).values()], prefix),
  run: async (ctx, args) => {
    if (args.length !== 1) return error('Usage: /attach <id-or-prefix | name>. /ps lists the terminals; Ctrl+T chooses one.');
    const all = await candidates(ctx);
    const r = resolveTerminal(args[0]!, [...all.values()]);
    switch (r.kind) {
      case 'ambiguous':
        return error(
          [`"${args[0]}" matches ${r.candidates.length} terminals, so none was attached:`, ...r.candidates.map((id) => `  • [${id}] ${firstLine(all.get(id)?.command ?? '').text}`)].join('\n'),
        );
      case 'not-found':
      case 'invalid':
        return error(`No terminal matches "${args[0]}". /ps lists them.`);
      case 'unique':
        if (!ctx.ui) return error('Attaching needs corral running in a terminal.');
        await ctx.ui.attach(r.key);
        return { cells: [] };
    }
  },
};
