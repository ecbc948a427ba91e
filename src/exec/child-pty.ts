// A child under a pseudo-terminal (node-pty): it sees a real terminal, leads its own session, and its output
// arrives through the PTY master.
import type { Socket } from 'node:net';
import * as pty from 'node-pty';
import type { ChildExit, ChildHandle, SpawnSpec } from './child.js';
import { closeOnExecFrom3 } from './close-on-exec.js';
import { PtyMaster } from './pty-master.js';
import { signalName } from './signals.js';

export interface PtySize {
  cols: number;
  rows: number;
}

/** Internals of node-pty's UnixTerminal that reading the master ourselves needs. */
interface UnixTerminalInternals {
  _socket?: Socket;
  _fd?: number;
  /** The slave's path. */
  _pty?: string;
}

export function spawnPty(spec: SpawnSpec, size: PtySize): ChildHandle {
  // The patched node-pty closes every descriptor above 2 in the child itself; this call also fails loudly when
  // node-pty was built without that patch.
  closeOnExecFrom3();
  const term = pty.spawn(spec.file, spec.args, {
    name: spec.env.TERM ?? 'xterm-256color',
    cols: size.cols,
    rows: size.rows,
    cwd: spec.cwd,
    env: spec.env,
    encoding: null,
  });
  let exited = false;
  const dataListeners: ((chunk: Buffer, stream: 'stdout') => void)[] = [];
  const exitListeners: ((exit: ChildExit) => void)[] = [];

  const deliver = (chunk: Buffer): void => {
    for (const l of dataListeners) l(chunk, 'stdout');
  };
  const internals = term as unknown as UnixTerminalInternals;
  const master =
    internals._socket && typeof internals._fd === 'number'
      ? new PtyMaster(internals._socket, internals._fd, deliver, { offload: process.env.CORRAL_PTY_THREAD !== '0', lends: spec.leasedOutput })
      : null;
  // encoding: null delivers Buffers
  term.onData((data) => (master ? master.fromSocket(data as unknown as Buffer) : deliver(data as unknown as Buffer)));
  // node-pty reports exit only after the master reached end of file (or was closed after a drain), so every
  // byte is already delivered here.
  term.onExit(({ exitCode, signal }) => {
    exited = true;
    const sig = signal ? signalName(signal) : null;
    const exit: ChildExit = sig ? { exitCode: null, signal: sig } : { exitCode, signal: null };
    for (const l of exitListeners) l(exit);
  });

  const ptyName = (term as unknown as UnixTerminalInternals)._pty;
  return {
    pid: term.pid,
    tty: true,
    ttyName: typeof ptyName === 'string' ? ptyName : null,
    get stdinOpen() {
      return !exited;
    },
    onData: (l) => void dataListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    write: (data) => {
      if (!exited) term.write(data);
    },
    // A terminal has no separate end of input; ^D is how a person ends it.
    closeStdin: () => {
      if (!exited) term.write('\x04');
    },
    resize: (cols, rows) => {
      if (!exited) term.resize(cols, rows);
    },
    // Reading stops; what was already read stays buffered and is delivered by the drain.
    pause: () => (master ? master.pause() : term.pause()),
    resume: () => (master ? master.resume() : term.resume()),
    dispose: () => {
      dataListeners.length = 0;
      exitListeners.length = 0;
    },
  };
}
