// corral's guardian: a separate process, in its own session, told of each managed tree as it starts and ends.
// When its stdin closes without "bye" (corral was SIGKILLed, OOM-killed, its terminal closed hard) it ends every
// tree corral had not ended, then exits. Idle it only waits on its pipe: no timers, no polling.
import { createInterface } from 'node:readline';
import { endRun } from './guardian-end-run.js';
import { type GuardedTree, decode, parseConfig } from './guardian-messages.js';

const config = parseConfig(process.argv[2]);
process.title = 'corral-guardian';
// Its own session already keeps it out of corral's terminal; a stray signal must not stop it mid-job either.
for (const s of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(s, () => undefined);

const trees = new Map<string, GuardedTree>();
let bye = false;

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  const m = decode(line);
  if (!m) return;
  if (m.op === 'watch') trees.set(m.id, { id: m.id, leader: m.leader, marker: m.marker });
  else if (m.op === 'unwatch') trees.delete(m.id);
  else bye = true;
});
lines.once('close', () => {
  if (bye) process.exit(0);
  endRun(trees.values(), config).then(
    (survivors) => process.exit(survivors === 0 ? 0 : 1),
    () => process.exit(2),
  );
});
