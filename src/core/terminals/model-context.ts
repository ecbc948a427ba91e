// What the model is told about the thread's background terminals with every request: the live list (from the
// process manager, so from the OS) and what changed since the previous turn. Without it a model in a long session
// claims that nothing runs, or that a server it started an hour ago is still up after it crashed.

export interface TerminalFact {
  processId: string;
  name: string | null;
  command: string;
  status: 'running' | 'exited';
  exitCode: number | null;
  signal: string | null;
  ports: number[];
  url: string | null;
  waitingForInput: boolean;
}

const MAX_LISTED = 30;
const MAX_COMMAND = 120;

function label(f: TerminalFact): string {
  const command = f.command.replace(/\s+/g, ' ').trim();
  const cut = command.length > MAX_COMMAND ? `${command.slice(0, MAX_COMMAND - 1)}…` : command;
  return `[${f.processId}]${f.name ? ` ${f.name}:` : ''} \`${cut}\``;
}

function ending(f: TerminalFact): string {
  return f.signal ? `was ended by ${f.signal}` : `exited with code ${f.exitCode ?? 'unknown'}`;
}

function state(f: TerminalFact): string {
  if (f.status === 'exited') return ending(f);
  const parts = ['running'];
  if (f.ports.length > 0) parts.push(`listening on ${f.ports.map((p) => `:${p}`).join(', ')}`);
  if (f.url) parts.push(f.url);
  if (f.waitingForInput) parts.push('waiting for input');
  return parts.join(', ');
}

/** The changes between two lists, oldest ids first. */
export function describeChanges(before: ReadonlyMap<string, TerminalFact>, now: readonly TerminalFact[]): string[] {
  const out: string[] = [];
  const current = new Map(now.map((f) => [f.processId, f]));
  for (const f of now) {
    const was = before.get(f.processId);
    if (!was) out.push(`${label(f)} started (${state(f)})`);
    else if (was.status === 'running' && f.status === 'exited') out.push(`${label(f)} ${ending(f)}`);
    else if (f.status === 'running') {
      const fresh = f.ports.filter((p) => !was.ports.includes(p));
      if (fresh.length > 0) out.push(`${label(f)} started listening on ${fresh.map((p) => `:${p}`).join(', ')}`);
      if (f.waitingForInput && !was.waitingForInput) out.push(`${label(f)} is waiting for input`);
    }
  }
  for (const [id, was] of before) if (!current.has(id)) out.push(`${label(was)} is gone (stopped or cleaned up)`);
  return out;
}

/** The message for one request; null while the thread has never had a background terminal. */
export function terminalsMessage(now: readonly TerminalFact[], changes: readonly string[]): string | null {
  if (now.length === 0 && changes.length === 0) return null;
  const lines = ['<background_terminals>'];
  if (now.length === 0) lines.push('No background terminals are running in this thread now.');
  else {
    lines.push("This thread's background terminals now, as the operating system reports them (more reliable than earlier output):");
    for (const f of now.slice(0, MAX_LISTED)) lines.push(`- ${label(f)}: ${state(f)}`);
    if (now.length > MAX_LISTED) lines.push(`- … and ${now.length - MAX_LISTED} more`);
  }
  if (changes.length > 0) lines.push(`Since the previous turn: ${changes.join('; ')}.`);
  lines.push('</background_terminals>');
  return lines.join('\n');
}

/**
 * Per thread: the list as the model last saw it, and as it was when the current turn began (the changes are
 * counted from there, so every request of a turn says the same about them).
 */
export class TerminalContext {
  private lastSeen = new Map<string, TerminalFact>();
  private turnBase = new Map<string, TerminalFact>();

  constructor(private readonly facts: () => Promise<TerminalFact[]>) {}

  beginTurn(): void {
    this.turnBase = this.lastSeen;
  }

  async message(): Promise<string | null> {
    const now = await this.facts();
    const text = terminalsMessage(now, describeChanges(this.turnBase, now));
    this.lastSeen = new Map(now.map((f) => [f.processId, f]));
    return text;
  }
}
