// The churn driver: a seeded sequence of random operations on a real session, each followed by a comparison of
// everything corral says with /proc. Stops at the first mismatch, naming the seed that replays it.
import { settle } from './checks.js';
import { Mismatch, killFromOutside, letExit, resize, startCommand, stopAll, stopOne, writeInput } from './ops.js';
import { Prng } from './prng.js';
import { ChurnWorld } from './world.js';

export interface ChurnResult {
  seed: number;
  steps: number;
  mismatches: number;
  /** The command lines of the operations, one per step. */
  log: string[];
}

const OPS = {
  start: 34,
  stopById: 10,
  stopByPrefix: 8,
  stopAll: 3,
  wait: 10,
  kill: 10,
  write: 10,
  resize: 5,
};

/** Above this many listed terminals, steps stop rather than start (the manager's store is bounded). */
const MAX_LISTED = 14;
const LOG_SHOWN = 15;

export function replayCommand(seed: number, steps: number): string {
  return `CHURN_SEED=${seed} CHURN_STEPS=${steps} npm run test:churn`;
}

async function step(w: ChurnWorld, rng: Prng, n: number): Promise<string> {
  return (await operation(w, rng, n)) ?? startCommand(w, rng); // nothing to act on: start something instead
}

async function operation(w: ChurnWorld, rng: Prng, n: number): Promise<string | null> {
  let op = rng.weighted(OPS);
  const listed = w.expectedListed().length;
  if (listed >= MAX_LISTED && op === 'start') op = rng.chance(0.2) ? 'stopAll' : 'stopById';
  switch (op) {
    case 'start':
      return startCommand(w, rng);
    case 'stopById':
      return stopOne(w, rng, false);
    case 'stopByPrefix':
      return stopOne(w, rng, true);
    case 'stopAll':
      return stopAll(w);
    case 'wait':
      return letExit(w);
    case 'kill':
      return killFromOutside(w, rng);
    case 'write':
      return writeInput(w, rng, n);
    case 'resize':
      return resize(w, rng);
  }
}

/** Runs `steps` operations; throws a Mismatch (with the replay command) at the first disagreement. */
export async function runChurn(seed: number, steps: number): Promise<ChurnResult> {
  const rng = new Prng(seed);
  const w = new ChurnWorld();
  const log: string[] = [];
  const fail = (n: number, detail: string): Mismatch =>
    new Mismatch(
      [
        `churn: mismatch at step ${n} of ${steps}, seed=${seed}: ${detail}`,
        `last steps:\n${log.slice(-LOG_SHOWN).map((l, i) => `  ${log.length - Math.min(log.length, LOG_SHOWN) + i + 1}. ${l}`).join('\n')}`,
        `replay: ${replayCommand(seed, steps)}`,
      ].join('\n'),
    );
  try {
    for (let n = 1; n <= steps; n++) {
      try {
        log.push(await step(w, rng, n));
      } catch (err) {
        if (err instanceof Mismatch) throw fail(n, err.message);
        throw err;
      }
      const problems = await settle(w);
      if (problems.length > 0) throw fail(n, problems.join('\n  '));
    }
    // The end: stop everything, and nothing of any command may be left.
    log.push((await stopAll(w)) ?? 'clean: nothing listed');
    const problems = await settle(w);
    if (problems.length > 0) throw fail(steps + 1, problems.join('\n  '));
  } finally {
    await w.dispose();
  }
  return { seed, steps, mismatches: 0, log };
}
