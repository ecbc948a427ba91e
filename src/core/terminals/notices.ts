// Notices about terminals, from what the process manager reads off the OS: a terminal listens on a port for the
// first time, waits for input (or stops waiting), or logging stopped. Each goes to the thread the terminal is in.
import type { ProcessManager } from '../../exec/index.js';

export type NoticeKind = 'listening' | 'waitingForInput' | 'inputResumed' | 'logStopped';

export interface TerminalNotice {
  threadId: string;
  kind: NoticeKind;
  /** null for notices about no one terminal (logStopped). */
  processId: string | null;
  command: string | null;
  name: string | null;
  /** Every port it listens on now, and those that are new. */
  ports: number[];
  newPorts: number[];
  url: string | null;
  /** What a person reads. */
  message: string;
}

export interface NoticeHost {
  manager: ProcessManager;
  /** The thread, command and name of a process corral runs in a thread; null when none does. */
  owner(processId: string): { threadId: string; command: string; name: string | null } | null;
  loadedThreads(): string[];
  emit(notice: TerminalNotice): void;
}

function who(processId: string, command: string, name: string | null): string {
  const oneLine = command.replace(/\s+/g, ' ').trim();
  return `[${processId}] ${name ? `${name} (${oneLine})` : oneLine}`;
}

/** Subscribes to the manager's events; returns the unsubscribe function. */
export function watchNotices(host: NoticeHost): () => void {
  const m = host.manager.events;
  const offs = [
    m.on('listening', (e) => {
      const o = host.owner(e.processId);
      if (!o) return;
      const ports = e.newPorts.map((p) => `:${p}`).join(', ');
      host.emit({
        threadId: o.threadId,
        kind: 'listening',
        processId: e.processId,
        command: o.command,
        name: o.name,
        ports: e.ports,
        newPorts: e.newPorts,
        url: e.url,
        message: `${who(e.processId, o.command, o.name)} is listening on ${ports}${e.url ? ` (${e.url})` : ''}`,
      });
    }),
    m.on('waiting', (e) => {
      const o = host.owner(e.processId);
      if (!o) return;
      const info = host.manager.info(e.processId);
      host.emit({
        threadId: o.threadId,
        kind: e.waiting ? 'waitingForInput' : 'inputResumed',
        processId: e.processId,
        command: o.command,
        name: o.name,
        ports: info?.ports ?? [],
        newPorts: [],
        url: info?.url ?? null,
        message: `${who(e.processId, o.command, o.name)} ${e.waiting ? 'is waiting for input' : 'is no longer waiting for input'}`,
      });
    }),
    m.on('logStopped', (e) => {
      for (const threadId of host.loadedThreads()) {
        host.emit({ threadId, kind: 'logStopped', processId: null, command: null, name: null, ports: [], newPorts: [], url: null, message: e.message });
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
