// Signal numbers and names as the OS defines them, and the shell's convention for a signal's exit code.
import { constants } from 'node:os';

const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, num] of Object.entries(constants.signals)) {
  if (!byNumber.has(num)) byNumber.set(num, name as NodeJS.Signals);
}

export function signalName(num: number): NodeJS.Signals | null {
  return byNumber.get(num) ?? null;
}

export function signalNumber(name: NodeJS.Signals): number {
  return constants.signals[name];
}

/** A shell reports death by signal N as exit status 128 + N; clients expect a number either way. */
export function exitCodeForSignal(name: NodeJS.Signals): number {
  return 128 + signalNumber(name);
}
