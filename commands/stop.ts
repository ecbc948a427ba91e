// /stop [id-or-prefix ...] (alias /clean): stop one, several, or every background terminal.
import { resolveProcessArg } from '../src/protocol/process-keys.js';
import type { BackgroundTerminalData, TerminationReportData } from '../src/protocol/shapes.js';
import { type StopLine, cellId } from '../src/tui/cells.js';
import type { CommandContext, CommandResult, SlashCommand } from '../src/tui/command-types.js';
import { firstLine } from '../src/tui/text-width.js';
import { listAllTerminals } from './list-terminals.js';

async function stopAll(ctx: CommandContext, terminals: BackgroundTerminalData[]): Promise<CommandResult> {
  if (terminals.length === 0) {
    return { cells: [{ kind: 'info', id: cellId('stop'), text: 'No background terminals to stop.' }] };
  }
  const { reports } = await ctx.client.request('thread/backgroundTerminals/clean', { threadId: ctx.threadId });
  return { cells: [{ kind: 'stop', id: cellId('stop'), all: true, lines: reports.map((report) => ({ kind: 'stopped', report })) }] };
}

async function stopSome(ctx: CommandContext, terminals: BackgroundTerminalData[], args: string[]): Promise<CommandResult> {
  const keys = terminals.map((t) => t.processId);
  const command = new Map(terminals.map((t) => [t.processId, t.command]));
  const stopping = new Set(terminals.filter((t) => t.stopping).map((t) => t.processId));
  const chosen = new Set<string>();
  // Resolve every argument first (against the same list), then stop the matches together.
  const plan = args.map((arg): StopLine | { kind: 'stop'; key: string } | null => {
    const r = resolveProcessArg(arg, keys);
    switch (r.kind) {
      case 'unique':
        if (chosen.has(r.key)) return null; // named twice: stopped once
        if (stopping.has(r.key)) return { kind: 'already-stopping', processId: r.key, command: command.get(r.key) ?? '' };
        chosen.add(r.key);
        return { kind: 'stop', key: r.key };
      case 'ambiguous':
        return {
          kind: 'ambiguous',
          query: arg,
          candidates: r.candidates.map((processId) => ({ processId, command: command.get(processId) ?? '' })),
        };
      case 'not-found':
      case 'invalid':
        return { kind: 'not-found', query: arg };
    }
  });
  const reports = new Map<string, TerminationReportData | null>();
  await Promise.all(
    [...chosen].map(async (key) => {
      const r = await ctx.client.request('thread/backgroundTerminals/terminate', { threadId: ctx.threadId, processId: key });
      reports.set(key, r.report);
    }),
  );
  const lines: StopLine[] = [];
  for (const step of plan) {
    if (!step) continue;
    if (step.kind !== 'stop') lines.push(step);
    else {
      const report = reports.get(step.key);
      // Gone between the list and the stop (it exited and was cleaned up): say so rather than pretend.
      lines.push(report ? { kind: 'stopped', report } : { kind: 'not-found', query: step.key });
    }
  }
  return { cells: [{ kind: 'stop', id: cellId('stop'), all: false, lines }] };
}

async function completeId(ctx: CommandContext, prefix: string) {
  const terminals = await listAllTerminals(ctx);
  return terminals
    .filter((t) => t.processId.startsWith(prefix))
    .map((t) => ({ value: t.processId, label: `[${t.processId}] ${firstLine(t.command).text}` }));
}

export const stop: SlashCommand = {
  name: 'stop',
  aliases: ['clean'],
  description: 'stop background terminals: all, or those named by id or prefix',
  usage: '/stop [id-or-prefix ...]',
  completeArg: completeId,
  run: async (ctx, args) => {
    const terminals = await listAllTerminals(ctx);
    return args.length === 0 ? stopAll(ctx, terminals) : stopSome(ctx, terminals, args);
  },
};
