// A child under a pseudo-terminal (node-pty): it sees a real terminal, leads its own session, and its output
// arrives through the PTY master.
import { constants, readFileSync, readSync } from 'node:fs';
import type { Socket } from 'node:net';
import * as pty from 'node-pty';
import type { ChildExit, ChildHandle, SpawnSpec } from './child.js';
import { closeOnExecFrom3 } from './close-on-exec.js';
import { signalName } from './signals.js';

export interface PtySize {
  cols: number;
  rows: number;
}

/** Internals of node-pty's UnixTerminal that the drain before close needs. */
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
  const draining = drainBeforeClose(term as unknown as UnixTerminalInternals, deliver);
  term.onData((data) => deliver(data as unknown as Buffer)); // encoding: null delivers Buffers
  // node-pty reports exit only after the master reached end of file (or was force-closed), so every byte is
  // already delivered here.
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
    // The master's socket stops flowing; what it already read stays buffered and is delivered by the drain.
    pause: () => term.pause(),
    resume: () => {
      if (!draining()) term.resume(); // once draining, only the drain reads
    },
    dispose: () => {
      dataListeners.length = 0;
      exitListeners.length = 0;
    },
  };
}

const DRAIN_QUIET_MS = 50;
const DRAIN_MAX_MS = 1000;

/**
 * The end of a PTY's output is easy to lose, in two ways. libuv treats a hang-up after a short read as end of
 * file, but the kernel moves the slave's output to the master through a work queue, so the last bytes may not
 * have arrived yet. And node-pty force-closes the master 200 ms after the child exits; if the event loop was
 * busy, what the kernel still holds is discarded. So before the master is closed, read it ourselves (it is
 * non-blocking) until the kernel reports it closed and empty (EIO), or, when a descendant still holds the
 * terminal open, until it has been quiet for a moment. Returns whether that drain has begun.
 */
function drainBeforeClose(term: UnixTerminalInternals, deliver: (chunk: Buffer) => void): () => boolean {
  const socket = term._socket;
  const fd = term._fd;
  if (!socket || typeof fd !== 'number' || !isNonBlocking(fd)) return () => false;
  const destroy = socket.destroy.bind(socket);
  let draining = false;
  socket.destroy = ((error?: Error) => {
    if (draining) return socket;
    draining = true;
    socket.pause(); // from here on only the drain reads, so the order of bytes is kept
    // A paused socket may hold bytes it read before the pause; they come before what the kernel still holds.
    // read() emits them as 'data', so they reach the listeners the usual way.
    while (socket.readableLength > 0 && socket.read() !== null);
    void drainFd(fd, deliver).finally(() => destroy(error));
    return socket;
  });
  return () => draining;
}

async function drainFd(fd: number, deliver: (chunk: Buffer) => void): Promise<void> {
  const buf = Buffer.allocUnsafe(64 * 1024);
  const started = Date.now();
  let lastData = started;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return; // EIO: closed and empty
      const now = Date.now();
      if (now - lastData >= DRAIN_QUIET_MS || now - started >= DRAIN_MAX_MS) return;
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    if (n === 0) return;
    deliver(Buffer.from(buf.subarray(0, n)));
    lastData = Date.now();
  }
}

/** Whether the descriptor has O_NONBLOCK set (a blocking read in the event loop would hang corral). */
function isNonBlocking(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (Number.parseInt(flags, 8) & constants.O_NONBLOCK) !== 0;
  } catch {
    return false;
  }
}
