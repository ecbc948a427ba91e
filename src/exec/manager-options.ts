// The process manager's options with their defaults filled in.
import { DEFAULT_OUTPUT_CAPACITY } from './head-tail-buffer.js';
import { DEFAULT_SCROLLBACK } from './headless-screen.js';
import type { ProcessManagerOptions } from './process-types.js';
import { MAX_STORED_PROCESSES, PROTECTED_RECENT } from './pruning.js';
import { userShell } from './shell.js';
import { DEFAULT_GRACE_MS } from './terminate-tree.js';

export type ResolvedOptions = Required<Omit<ProcessManagerOptions, 'home' | 'guardian' | 'logs'>>;

export function resolveOptions(options: ProcessManagerOptions): ResolvedOptions {
  return {
    maxProcesses: options.maxProcesses ?? MAX_STORED_PROCESSES,
    protectedRecent: options.protectedRecent ?? PROTECTED_RECENT,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
    outputCapacity: options.outputCapacity ?? DEFAULT_OUTPUT_CAPACITY,
    scrollback: options.scrollback ?? DEFAULT_SCROLLBACK,
    shell: options.shell ?? userShell(),
  };
}
