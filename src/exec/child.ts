// What the manager needs from a spawned child, whether it runs under a PTY or on pipes.

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Which of the child's outputs a chunk came from; a PTY has only one, reported as stdout. */
export type OutputStream = 'stdout' | 'stderr';

export interface ChildHandle {
  readonly pid: number;
  readonly tty: boolean;
  /** The terminal's slave device (`/dev/pts/N`) the child has as stdin, stdout and stderr; null on pipes. */
  readonly ttyName: string | null;
  readonly stdinOpen: boolean;
  /** Output bytes in order. For pipes, stdout and stderr are merged as they arrive, each chunk labelled. */
  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void;
  /** Fires once, after every byte the process wrote before it exited has been delivered to `onData`. */
  onExit(listener: (exit: ChildExit) => void): void;
  write(data: string | Buffer): void;
  closeStdin(): void;
  resize(cols: number, rows: number): void;
  /** Stops reading output until `resume` (the child blocks once the kernel's buffer fills); exit waits too. */
  pause(): void;
  resume(): void;
  /** Stops reading and releases file descriptors; never signals anything. */
  dispose(): void;
}

export interface SpawnSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Every data listener holds what it keeps past the call (chunk-lease.ts): a PTY's reader may reuse its batches. */
  leasedOutput?: boolean;
}
