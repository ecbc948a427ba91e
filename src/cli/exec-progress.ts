// What `corral exec` tells a person on stderr while the turn runs: each command, how it ended, and that the
// model is thinking. Plain lines, no escape sequences, so logs stay readable.
import type { CorralClient } from '../protocol/client.js';
import { sanitize } from '../tui/sanitize.js';

const oneLine = (s: string, max = 160): string => {
  const flat = sanitize(s.replace(/\s+/g, ' ')).trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export class ExecProgress {
  constructor(private readonly out: NodeJS.WritableStream) {}

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }

  attach(client: CorralClient, threadId: string): void {
    client.on('item/started', ({ threadId: t, item }) => {
      if (t !== threadId) return;
      if (item.type === 'commandExecution' && item.status !== 'declined') this.line(`• Running ${oneLine(item.command)}`);
      if (item.type === 'reasoning') this.line('• Thinking…');
    });
    client.on('item/commandExecution/backgrounded', ({ threadId: t, processId }) => {
      if (t === threadId) this.line(`  ↳ still running in the background as [${processId}]`);
    });
    client.on('item/completed', ({ threadId: t, item }) => {
      // Stopped ones are reported by the stop.
      if (t !== threadId || item.type !== 'commandExecution' || item.stopped) return;
      if (item.status === 'declined') this.line(`• Declined ${oneLine(item.command)}`);
      else if (!item.backgrounded || item.exitCode !== null) {
        const secs = item.durationMs !== null ? ` · ${(item.durationMs / 1000).toFixed(1)}s` : '';
        this.line(`• Ran ${oneLine(item.command)} · exit ${item.exitCode ?? '?'}${secs}`);
      }
    });
  }
}
