// A ProcessManager per test, shut down (and verified empty) afterwards.
import { afterEach } from 'vitest';
import { ProcessManager, type ProcessManagerOptions } from '../../src/exec/index.js';

export function useManager(defaults: ProcessManagerOptions = {}): (opts?: ProcessManagerOptions) => ProcessManager {
  const made: ProcessManager[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((m) => m.shutdown()));
  });
  return (opts = {}) => {
    const m = new ProcessManager({ home: null, graceMs: 500, ...defaults, ...opts });
    made.push(m);
    return m;
  };
}
