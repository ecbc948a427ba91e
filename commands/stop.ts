// /stop [id-or-prefix ...] (alias /clean): stop one, several, or every background terminal. An earlier run's
// leftovers (see /ps) are stopped only when named by their pid; /stop alone says how many remain.
import type { BackgroundTerminalData, TerminationReportData } from '../src/protocol/shapes.js';
import type { LeftoverData, LeftoverStopData } from '../src/protocol/leftover-shapes.js';
import { type StopLine, cellId } from '../src/tui/cells.js';
import type { CommandContext, CommandResult, SlashCommand } from '../src/tui/command-types.js';
import { listAllTerminals } from './list-terminals.js';
import { completeTerminalArg } from './pick-terminal.js';
import { resolveTerminal } from './resolve-terminal.js';
import { leftoverNote } from './stop-leftovers.js';

async function stopAll(ctx: CommandContext, terminals: BackgroundTerminalData[], leftovers: LeftoverData[]): Promise<CommandResult> {
  if (terminals.length === 0) {
    const text = ['No background terminals to stop.', ...(leftovers.length > 0 ? [leftoverNote(leftovers.length)] : [])].join(' ');
    return { cells: [{ kind: 'info', id: cellId('stop'), text }] };
  }
  const { reports } = await ctx.client.request('thread/backgroundTerminals/clean', { threadId: ctx.threadId });
  return {
    cells: [
      {
        kind: 'stop',
        id: cellId('stop'),
        all: true,
        lines: reports.map((report) => ({ kind: 'stopped', report })),
        leftoversRemaining: leftovers.length,
      },
    ],
  };
}

async function stopSome(
  ctx: CommandContext,
  terminals: BackgroundTerminalData[],
  leftovers: LeftoverData[],
  args: string[],
): Promise<CommandResult> {
  const keys = terminals.map((t) => t.processId);
  const command = new Map(terminals.map((t) => [t.processId, t.command]));
  const stopping = new Set(terminals.filter((t) => t.stopping).map((t) => t.processId));
  const chosen = new Set<string>();
  const leftoverPids = new Set(leftovers.map((l) => String(l.osPid)));
  const chosenLeftovers = new Set<number>();
  // Resolve every argument first (against the same lists), then stop the matches together. A terminal's exact id
  // comes first, then an earlier run's pid (only ever stopped when named exactly), then id prefixes.
  const plan = args.map((arg): StopLine | { kind: 'stop'; key: string } | { kind: 'leftover'; pid: number } | null => {
    if (!keys.includes(arg) && leftoverPids.has(arg)) {
      if (chosenLeftovers.has(Number(arg))) return null;
      chosenLeftovers.add(Number(arg));
      return { kind: 'leftover', pid: Number(arg) };
    }
    const r = resolveTerminal(arg, terminals);
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
  const leftoverReports = new Map<number, LeftoverStopData | null>();
  await Promise.all([
    ...[...chosen].map(async (key) => {
      const r = await ctx.client.request('thread/backgroundTerminals/terminate', { threadId: ctx.threadId, processId: key });
      reports.set(key, r.report);
    }),
    ...[...chosenLeftovers].map(async (osPid) => {
      leftoverReports.set(osPid, (await ctx.client.request('corral/leftovers/stop', { osPid })).report);
    }),
  ]);
  const lines: StopLine[] = [];
  for (const step of plan) {
    if (!step) continue;
    if (step.kind === 'leftover') {
      const report = leftoverReports.get(step.pid);
      // Gone meanwhile, or its pid now names another process: nothing was signalled.
      lines.push(report ? { kind: 'leftover-stopped', report } : { kind: 'not-found', query: String(step.pid) });
    } else if (step.kind !== 'stop') lines.push(step);
    else {
      const report = reports.get(step.key);
      // Gone between the list and the stop (it exited and was cleaned up): say so rather than pretend.
      lines.push(report ? { kind: 'stopped', report } : { kind: 'not-found', query: step.key });
    }
  }
  return { cells: [{ kind: 'stop', id: cellId('stop'), all: false, lines }] };
}

export const stop: SlashCommand = {
  name: 'stop',
  aliases: ['clean'],
  description: 'stop background terminals: all, or those named by id, prefix or name',
  usage: '/stop [id-or-prefix | name | pid ...]',
  completeArg: completeTerminalArg,
  run: async (ctx, args) => {
    const [terminals, leftovers] = await Promise.all([listAllTerminals(ctx), ctx.client.request('corral/leftovers/list', {})]);
    return args.length === 0 ? stopAll(ctx, terminals, leftovers.data) : stopSome(ctx, terminals, leftovers.data, args);
  },
};
