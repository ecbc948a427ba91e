// Random operations on the real process manager and session, each checked against /proc. Short in the normal
// suite; `npm run test:churn` runs 1,000 steps. CHURN_SEED replays a run, CHURN_STEPS sets its length.
import { describe, expect, it } from 'vitest';
import { runChurn } from './churn.js';
import { seedFromEnv } from './prng.js';

const steps = Number(process.env.CHURN_STEPS ?? 150);
const seed = seedFromEnv();

describe('churn', () => {
  // Most steps take well under a second; the bound only catches a hang.
  it(`agrees with /proc after each of ${steps} random operations`, { timeout: 60_000 + steps * 1500 }, async () => {
    expect(Number.isInteger(steps) && steps > 0, `CHURN_STEPS must be a positive integer, not ${process.env.CHURN_STEPS}`).toBe(true);
    const result = await runChurn(seed, steps);
    console.log(`churn: steps=${result.steps} mismatches=${result.mismatches} seed=${result.seed}`);
    if (process.env.CHURN_LOG === '1') console.log(result.log.join('\n'));
    expect(result.mismatches).toBe(0);
    // The run exercised what it claims to, not only no-ops.
    for (const done of [/^start #/, /^stop \[/, /^kill SIG/]) expect(result.log.some((l) => done.test(l)), String(done)).toBe(true);
  });
});
