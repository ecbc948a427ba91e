// A resumed thread's turns drawn again as transcript cells, the way they looked when they happened.
import type { TurnData } from '../protocol/shapes.js';
import type { Cell } from './cells.js';
import { thinkingLine } from './wire-agent.js';

export function turnsToCells(turns: readonly TurnData[]): Cell[] {
  const cells: Cell[] = [];
  for (const turn of turns) {
    for (const item of turn.items) {
      switch (item.type) {
        case 'userMessage':
          cells.push({ kind: 'user', id: `user-${item.id}`, text: item.content.map((c) => c.text).join('\n') });
          break;
        case 'agentMessage':
          if (item.text.trim() !== '') cells.push({ kind: 'agent', id: `agent-${item.id}`, markdown: item.text, first: true });
          break;
        case 'reasoning':
          cells.push({ kind: 'reasoning', id: `reasoning-${item.id}`, summary: thinkingLine(item.summary, item.content) });
          break;
        case 'commandExecution': {
          // Never seen to end: it belonged to an earlier run of corral, and is not this run's terminal.
          const unknown = item.status === 'inProgress';
          cells.push({
            kind: 'exec',
            id: `exec-${item.id}`,
            command: item.command,
            processId: item.processId,
            status: item.status === 'completed' ? 'completed' : item.status === 'declined' ? 'declined' : 'failed',
            lines: [],
            exitCode: item.exitCode,
            signal: unknown ? 'outcome unknown (an earlier corral ran it)' : (item.signal ?? null),
            durationMs: item.durationMs,
            preview: item.terminal ?? null,
          });
          break;
        }
      }
    }
    if (turn.status === 'failed' && turn.error) cells.push({ kind: 'turnError', id: `turn-error-${turn.id}`, message: turn.error.message });
    if (turn.status === 'interrupted') cells.push({ kind: 'info', id: `interrupted-${turn.id}`, text: 'Interrupted.' });
  }
  return cells;
}
