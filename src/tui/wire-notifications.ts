// Turns the backend's notifications into TUI state. This is the only place the state learns about commands.
import type { CorralClient } from '../protocol/client.js';
import { cellId } from './cells.js';
import { uniquePrefix } from './slash-popup.js';
import type { TuiState } from './state.js';

/** `alert`: besides the transcript, tell the person another way (the bell, a desktop notification). */
export function wireNotifications(client: CorralClient, state: TuiState, alert?: (message: string) => void): () => void {
  const mine = (threadId: string): boolean => threadId === state.status.get().threadId;
  const offs = [
    client.on('item/started', ({ threadId, item }) => {
      // A restart is reported by /restart itself; its command goes straight to the background.
      if (!mine(threadId) || item.type !== 'commandExecution' || item.restartOf !== undefined) return;
      state.startExec({
        kind: 'exec',
        id: item.id,
        command: item.command,
        processId: item.processId,
        status: 'running',
        lines: [],
        exitCode: null,
        signal: null,
        durationMs: null,
        preview: null,
        ...(item.duplicateOf && { duplicateOf: item.duplicateOf }),
      });
    }),
    client.on('item/commandExecution/terminal', ({ threadId, itemId, lines }) => {
      if (mine(threadId)) state.updateExec(itemId, { lines });
    }),
    client.on('item/commandExecution/backgrounded', ({ threadId, itemId, processId }) => {
      if (!mine(threadId)) return;
      state.terminalIds.add(processId);
      state.finishExec(itemId, { status: 'background', processId, stopHint: uniquePrefix(processId, state.terminalIds) });
    }),
    client.on('item/completed', ({ threadId, item }) => {
      if (!mine(threadId) || item.type !== 'commandExecution') return;
      const ended = {
        exitCode: item.exitCode,
        signal: item.signal ?? null,
        durationMs: item.durationMs,
      };
      if (state.execRunning(item.id)) {
        state.finishExec(item.id, {
          ...ended,
          status: item.status === 'completed' ? 'completed' : item.status === 'declined' ? 'declined' : 'failed',
          preview: item.terminal ?? null,
          lines: [],
          ...(item.portHeldBy && { portHeldBy: item.portHeldBy }),
        });
        return;
      }
      if (item.backgrounded && item.processId) {
        state.terminalIds.delete(item.processId);
        state.setWaiting(item.processId, false);
        // Stopped ones are reported by the stop itself.
        if (!item.stopped) {
          state.append({ kind: 'exited', id: `exited-${item.id}`, processId: item.processId, command: item.command, ...ended });
          alert?.(`[${item.processId}] ${item.command} exited (${ended.signal ?? `exit ${ended.exitCode ?? '?'}`})`);
        }
      }
    }),
    client.on('thread/backgroundTerminals/notice', (notice) => {
      if (!mine(notice.threadId)) return;
      const { threadId: _, ...rest } = notice;
      if (notice.processId !== null && (notice.kind === 'waitingForInput' || notice.kind === 'inputResumed')) {
        state.setWaiting(notice.processId, notice.kind === 'waitingForInput');
      }
      // Input resumed only clears the mark; the rest are worth a line.
      if (notice.kind === 'inputResumed') return;
      state.append({ kind: 'notice', id: cellId('notice'), notice: rest });
      alert?.(notice.message);
    }),
    client.on('thread/backgroundTerminals/changed', ({ threadId, running, exited }) => {
      if (mine(threadId)) state.setCounts(running, exited);
    }),
  ];
  return () => offs.forEach((off) => off());
}
