// What the manager needs from a spawned child, whether it runs under a PTY or on pipes.

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly pid: number;
  readonly tty: boolean;
  readonly stdinOpen: boolean;
  /** Output bytes in order. For pipes, stdout and stderr are merged as they arrive. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Fires once, after every byte the process wrote before it exited has been delivered to `onData`. */
  onExit(listener: (exit: ChildExit) => void): void;
  write(data: string | Buffer): void;
  closeStdin(): void;
  resize(cols: number, rows: number): void;
  /** Stops reading and releases file descriptors; never signals anything. */
  dispose(): void;
}

export interface SpawnSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}
