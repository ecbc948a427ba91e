// /attach <id-or-prefix>: one of the thread's terminals full-screen, keys going to it, until Ctrl+]. Ids resolve
// as /stop resolves them (an exact id, else a unique prefix), among the background terminals and the commands
// running in the foreground.
import { resolveProcessArg } from '../src/protocol/process-keys.js';
import { cellId } from '../src/tui/cells.js';
import type { CommandContext, CommandResult, SlashCommand } from '../src/tui/command-types.js';
import { firstLine } from '../src/tui/text-width.js';
import { listAllTerminals } from './list-terminals.js';

async function candidates(ctx: CommandContext): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  for (const t of await listAllTerminals(ctx)) all.set(t.processId, t.command);
  for (const c of ctx.state.live.get().running) if (c.processId) all.set(c.processId, c.command);
  return all;
}

const error = (text: string): CommandResult => ({ cells: [{ kind: 'error', id: cellId('attach'), text }] });

export const attach: SlashCommand = {
  name: 'attach',
  description: 'show a terminal full-screen and type into it (Ctrl+] returns)',
  usage: '/attach <id-or-prefix>',
  completeArg: async (ctx, prefix) =>
    [...(await candidates(ctx))]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, command]) => ({ value: id, label: `[${id}] ${firstLine(command).text}` })),
  run: async (ctx, args) => {
    if (args.length !== 1) return error('Usage: /attach <id-or-prefix>. /ps lists the terminals; Ctrl+T chooses one.');
    const all = await candidates(ctx);
    const r = resolveProcessArg(args[0]!, [...all.keys()]);
    switch (r.kind) {
      case 'ambiguous':
        return error(
          [`"${args[0]}" matches ${r.candidates.length} terminals, so none was attached:`, ...r.candidates.map((id) => `  • [${id}] ${firstLine(all.get(id) ?? '').text}`)].join('\n'),
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
