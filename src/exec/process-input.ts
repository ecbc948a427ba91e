// Input to a managed process: bytes to its terminal or stdin, ^C as SIGINT to a pipe process with stdin
// closed, and terminal resizes. Refusals are ExecInputErrors that say what to do instead.
import type { ManagedProcess } from './managed-process.js';
import { signalGroupIfOurs } from './proc.js';
import { ExecInputError } from './process-types.js';

export function sendInput(proc: ManagedProcess, data: string): void {
  const { child } = proc;
  if (proc.exit) throw new ExecInputError(`process ${proc.key} has exited; it takes no more input`);
  if (child.tty || child.stdinOpen) {
    child.write(data);
    return;
  }
  if (data === '\u0003') {
    if (proc.leader) signalGroupIfOurs(proc.leader, 'SIGINT');
    return;
  }
  throw new ExecInputError(
    `process ${proc.key} runs on pipes with stdin closed, so it cannot take input; rerun it with tty: true to interact with it`,
  );
}

export function resizeTerminal(proc: ManagedProcess, cols: number, rows: number): void {
  if (!proc.child.tty) throw new ExecInputError(`process ${proc.key} has no terminal to resize (it runs on pipes)`);
  proc.child.resize(cols, rows);
  proc.screen.resize(cols, rows);
}
