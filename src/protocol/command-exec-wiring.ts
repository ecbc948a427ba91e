// TEMPORARY while command/exec is being written: no extra methods.
import type { ProcessManager } from '../exec/index.js';
export function commandExecExtra(_m: ProcessManager) {
  return { methods: {}, params: {}, closeConnection: () => Promise.resolve() };
}
export function commandExecSchemas() {
  return {};
}
