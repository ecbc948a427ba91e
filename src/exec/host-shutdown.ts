// Nothing corral started outlives it: on normal exit, SIGINT, SIGTERM, SIGHUP and an uncaught exception,
// every managed process tree is ended before the host goes.
import { signalNumber } from './signals.js';

export interface ShutdownTarget {
  shutdown(): Promise<unknown>;
  shutdownSync(graceMs?: number): unknown;
}

export interface ShutdownHooks {
  /** Runs before the host exits on a signal or a crash (restore the terminal, say goodbye). */
  beforeExit?: () => void;
  /** The signals that end the host; a host that handles SIGINT itself (to interrupt first) leaves it out. */
  signals?: readonly NodeJS.Signals[];
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Installs the handlers; returns a function that removes them. */
export function installHostShutdown(target: ShutdownTarget, hooks: ShutdownHooks = {}): () => void {
  let exiting = false;
  const runHook = (): void => {
    try {
      hooks.beforeExit?.();
    } catch {
      // A failing hook must not keep processes alive.
    }
  };

  // The exit event allows no further event-loop turns: whatever is still running gets the synchronous path.
  const onExit = (): void => {
    target.shutdownSync();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    const code = 128 + signalNumber(signal);
    if (exiting) {
      // A second signal while stopping: stop waiting.
      target.shutdownSync(0);
      process.exit(code);
    }
    exiting = true;
    runHook();
    target.shutdown().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };

  const onCrash = (error: unknown): void => {
    runHook();
    process.stderr.write(`corral: uncaught exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    target.shutdownSync();
    process.exit(1);
  };

  const signals = hooks.signals ?? SIGNALS;
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onCrash);

  return () => {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
  };
}
