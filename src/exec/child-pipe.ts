// A child on pipes (execa): stdout and stderr merged in arrival order (each chunk labelled), stdin closed unless
// asked for, its own session.
import { execa } from 'execa';
import type { ChildExit, ChildHandle, OutputStream, SpawnSpec } from './child.js';
import { closeOnExecFrom3 } from './close-on-exec.js';

/** After exit, how long output from descendants that kept the pipe open still counts as this command's. */
const TRAILING_OUTPUT_MS = 100;

export function spawnPipe(spec: SpawnSpec, keepStdinOpen: boolean): ChildHandle {
  // libuv closes nothing in the child: anything not close-on-exec would pass on to it and its descendants.
  closeOnExecFrom3();
  const sub = execa(spec.file, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    detached: true, // setsid: the child leads its own session and process group
    cleanup: false, // the manager owns shutdown of its children
    buffer: false,
    reject: false,
    encoding: 'buffer',
    stdin: keepStdinOpen ? 'pipe' : 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  // With reject: false the promise only settles; nothing may stay unhandled either way.
  sub.then(
    () => undefined,
    () => undefined,
  );
  const pid = sub.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.file}`);

  let bytesRead = 0;
  let stdinOpen = keepStdinOpen;
  let paused = false;
  const resumed: (() => void)[] = [];
  const flowing = (): Promise<void> => (paused ? new Promise((r) => resumed.push(r)) : Promise.resolve());
  const dataListeners: ((chunk: Buffer, stream: OutputStream) => void)[] = [];
  const exitListeners: ((exit: ChildExit) => void)[] = [];
  const labelled = [['stdout', sub.stdout], ['stderr', sub.stderr]] as const;
  const streams = labelled.map(([, stream]) => stream);
  let openStreams = streams.length;
  let streamsEnded: () => void = () => undefined;
  const allEnded = new Promise<void>((resolve) => (streamsEnded = resolve));

  for (const [label, stream] of labelled) {
    stream.on('data', (chunk: Buffer) => {
      bytesRead += chunk.length;
      for (const l of dataListeners) l(chunk, label);
    });
    stream.once('close', () => {
      if (--openStreams === 0) streamsEnded();
    });
  }
  sub.stdin?.on('error', () => undefined); // EPIPE when the child stops reading is not our failure

  // Completion is the process exiting, not the pipes closing: a descendant may hold them open forever.
  sub.once('exit', (code, signal) => {
    const exit: ChildExit = { exitCode: signal ? null : code, signal: signal ?? null };
    // While paused nothing is read, so quiet would mean nothing: wait until reading again.
    const trailing = new Promise<void>((resolve) => setTimeout(resolve, TRAILING_OUTPUT_MS)).then(async () => {
      do {
        await flowing();
        await quietTurns(() => bytesRead);
      } while (paused);
    });
    void Promise.race([allEnded, trailing]).then(() => {
      for (const l of exitListeners) l(exit);
    });
  });

  return {
    pid,
    tty: false,
    ttyName: null,
    get stdinOpen() {
      return stdinOpen;
    },
    onData: (l) => void dataListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    write: (data) => {
      if (stdinOpen && sub.stdin) sub.stdin.write(data);
    },
    closeStdin: () => {
      if (stdinOpen && sub.stdin) sub.stdin.end();
      stdinOpen = false;
    },
    resize: () => {
      throw new Error('resize needs a terminal: this process runs on pipes (start it with tty)');
    },
    pause: () => {
      paused = true;
      for (const stream of streams) stream.pause();
    },
    resume: () => {
      paused = false;
      for (const stream of streams) stream.resume();
      for (const r of resumed.splice(0)) r();
    },
    dispose: () => {
      dataListeners.length = 0;
      exitListeners.length = 0;
      for (const stream of streams) stream.destroy();
      sub.stdin?.destroy();
    },
  };
}

/**
 * Resolves after `turns` consecutive event-loop turns in which `count()` did not change, or after `maxTurns`
 * turns (a descendant may write forever). Each turn includes an I/O poll, so output the kernel already holds
 * is read before this resolves.
 */
export function quietTurns(count: () => number, turns = 2, maxTurns = 64): Promise<void> {
  return new Promise((resolve) => {
    let last = count();
    let quiet = 0;
    let seen = 0;
    const check = (): void => {
      const now = count();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
      if (quiet >= turns || ++seen >= maxTurns) resolve();
      else setImmediate(check);
    };
    setImmediate(check);
  });
}
