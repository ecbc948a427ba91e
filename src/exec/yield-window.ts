// How long a call waits for a process before it returns: the foreground window of exec, the window of a write
// or a poll, each clamped to its limits, ended early by the process's exit or by an abort.
import type { ManagedProcess } from './managed-process.js';
import { DEFAULT_YIELD_MS, MAX_POLL_MS, MAX_YIELD_MS, MIN_POLL_MS, MIN_YIELD_MS } from './process-types.js';

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function execWindow(yieldMs: number | undefined): number {
  return clamp(yieldMs ?? DEFAULT_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
}

/** An empty write is a poll and waits longer. */
export function writeWindow(yieldMs: number | undefined, poll: boolean): number {
  return poll ? clamp(yieldMs ?? MIN_POLL_MS, MIN_POLL_MS, MAX_POLL_MS) : clamp(yieldMs ?? MIN_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
}

export function waitExitOrAbort(proc: ManagedProcess, ms: number, signal?: AbortSignal): Promise<unknown> {
  if (!signal) return proc.waitExit(ms);
  if (signal.aborted) return Promise.resolve();
  return Promise.race([proc.waitExit(ms), new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
}
