// The 27 MB flood in corral against a bare node-pty read of the same command, one at a time and three at once,
// with typing during it. The bare read is this process reading a PTY and doing nothing else: the kernel's
// speed, the floor corral is held to.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { median, ms, percentile, sleep } from './bench-util.js';
import { CLK_TCK, type Known, descendants, readStat, threadCpuMs, threadSplit } from './proc-stat.js';
import { type Tui, corralReady } from './pty-tui.js';

export const FLOOD = 'head -c 20000000 /dev/zero | base64';
/** The flood writes 20 MB as base64 in 76-column lines: this many bytes reach the terminal (with \r\n). */
const FLOOD_BYTES = Math.ceil(20_000_000 / 3) * 4 + Math.ceil((Math.ceil(20_000_000 / 3) * 4) / 76) * 2;
const KEY_GAP_MS = 50;

/** Runs `command` under a bare PTY read by this process; ms from spawn until every byte is read and it exited. */
export function bareRead(command: string, env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  const term = pty.spawn('/bin/bash', ['-lc', command], { name: 'xterm-256color', cols: 100, rows: 30, cwd, env, encoding: null });
  let bytes = 0;
  term.onData((d) => void (bytes += (d as unknown as Buffer).length));
  return new Promise((resolve, reject) =>
    term.onExit(() => {
      const took = performance.now() - started;
      // The bare read must see the whole flood, or it is no floor.
      if (bytes < FLOOD_BYTES * 0.99) reject(new Error(`the bare read got ${bytes} bytes, expected ${FLOOD_BYTES}`));
      else resolve(took);
    }),
  );
}

async function bareReads(n: number, env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: n }, () => bareRead(FLOOD, env, cwd)));
  return performance.now() - started;
}

/**
 * Types a letter every ~KEY_GAP_MS until `until` settles, recording how long each took to show in the composer.
 * The letters accumulate in the composer; returns what it should show. It stops as soon as `until` settles,
 * not after the pause before its next letter: that pause (up to 83 ms) used to count as corral's time.
 */
async function typeDuring(t: Tui, until: Promise<unknown>, latencies: number[]): Promise<string> {
  let done = false;
  const over = until.then(
    () => void (done = true),
    () => void (done = true),
  );
  let expected = '';
  for (let i = 0; !done; i++) {
    const ch = 'abcdefghijklmnopqrstuvwxy'[i % 25]!;
    expected += ch;
    const want = expected;
    const sent = t.type(ch);
    const shown = await t.waitFor(`'${ch}' echoed in the composer`, () => t.composer() === want, 10_000);
    latencies.push(shown - sent);
    // Jittered so the samples do not lock to the phase of Ink's frame throttle.
    await Promise.race([over, sleep(Math.max(0, sent + KEY_GAP_MS + Math.random() * 33 - performance.now()))]);
  }
  return expected;
}

interface CorralFlood {
  doneMs: number;
  cpuS: number;
  /** corral's CPU by thread, ms: main thread, busiest other thread (the PTY reader), the rest. */
  threads: { main: number; busiest: number; rest: number };
}

/** `!FLOOD` in the foreground while typing: from Enter until `• Ran` is drawn and a typed key echoes. */
async function corralFlood(t: Tui, round: number, latencies: number[], started: Known[]): Promise<CorralFlood> {
  // A comment tells this round's cell from the earlier ones still on screen.
  const command = `${FLOOD} # round ${round}`;
  const ranLine = `• Ran ${command} ·`;
  t.type(`!${command}`);
  await t.waitFor('the flood command in the composer', () => t.composer() === `!${command}`, 5000);
  const cpu0 = readStat(t.pid)!.cpuTicks;
  const threads0 = threadCpuMs(t.pid);
  const sampler = setInterval(() => started.push(...descendants(t.pid)), 250);
  const enter = t.type('\r');
  const ran = t.waitFor(`\`${ranLine}\``, () => t.has(ranLine), 60_000);
  const typed = typeDuring(t, ran, latencies);
  try {
    await ran;
  } finally {
    clearInterval(sampler);
  }
  const expected = (await typed) + 'z';
  t.type('z');
  const echoed = await t.waitFor("'z' echoed after the flood", () => t.composer() === expected, 30_000);
  const cpuS = (readStat(t.pid)!.cpuTicks - cpu0) / CLK_TCK;
  const threads = threadSplit(t.pid, threads0, threadCpuMs(t.pid));
  t.type('\x15');
  await t.waitFor('an empty composer', corralReady(t), 5000);
  return { doneMs: echoed - enter, cpuS, threads };
}

/**
 * Three floods in three background terminals, released together: each waits for a gate file, is moved to the
 * background with Ctrl+B, and the bench creates the gate. From the gate until all three have exited.
 */
async function corralTriple(t: Tui, round: number, cwd: string, latencies: number[], started: Known[]): Promise<number> {
  const gate = join(cwd, '.flood-gate');
  rmSync(gate, { force: true });
  // The round's tag tells its cells from those of earlier rounds still on screen.
  const tag = `: T3.${round};`;
  const command = `${tag} while [ ! -e .flood-gate ]; do sleep 0.005; done; ${FLOOD}`;
  for (let i = 0; i < 3; i++) {
    t.type(`!${command}`);
    await t.waitFor('the gated flood in the composer', () => t.composer() === `!${command}`, 5000);
    t.type('\r');
    const running = (): number => t.lines().filter((l) => l.includes(`• Running ${tag}`)).length;
    const backgrounded = (): number => {
      const lines = t.lines();
      return lines.filter((l, at) => l.includes(`• Running ${tag}`) && lines.slice(at + 1, at + 4).some((n) => n.includes('still running in the background as'))).length;
    };
    await t.waitFor('the gated flood running', () => running() === i + 1, 10_000);
    t.type('\x02'); // Ctrl+B: to the background
    await t.waitFor('the gated flood in the background', () => backgrounded() === i + 1 && corralReady(t)(), 10_000);
  }
  started.push(...descendants(t.pid));
  const release = performance.now();
  writeFileSync(gate, '');
  const allExited = (): boolean => t.lines().filter((l) => l.includes(tag) && l.includes(' exited · ')).length >= 3;
  const exited = t.waitFor('three background floods exited', allExited, 60_000);
  await typeDuring(t, exited, latencies);
  const done = await exited; // when the screen first showed it
  t.type('\x15');
  await t.waitFor('an empty composer', corralReady(t), 5000);
  rmSync(gate, { force: true });
  if (existsSync(gate)) throw new Error('the gate file is still there');
  return done - release;
}

export interface FloodFigures {
  ratio: number;
  tripleRatio: number;
  cpuS: number;
  p95: number;
}

/** Rounds of bare and corral floods interleaved (these machines are noisy), then three at once. */
export async function floodRace(t: Tui, rounds: number, tripleRounds: number, env: Record<string, string>, cwd: string, started: Known[]): Promise<FloodFigures> {
  const bare: number[] = [];
  const corral: CorralFlood[] = [];
  const latencies: number[] = [];
  await bareRead(FLOOD, env, cwd); // warm-up: page cache
  // Which goes first alternates: what a run leaves behind (its process's garbage collection, the kernel's
  // teardown of its terminal) falls on the run after it, and a fixed order would put all of it on one side. (Two
  // harness runs of 14 and 20 rounds each showed an order effect of 0.1-0.15, in opposite directions: noise here.)
  for (let round = 1; round <= rounds; round++) {
    if (round % 2) {
      bare.push(await bareRead(FLOOD, env, cwd));
      corral.push(await corralFlood(t, round, latencies, started));
    } else {
      corral.push(await corralFlood(t, round, latencies, started));
      bare.push(await bareRead(FLOOD, env, cwd));
    }
    const c = corral.at(-1)!;
    const th = c.threads;
    console.log(
      `flood round ${round} (${round % 2 ? 'bare' : 'corral'} first): bare node-pty ${ms(bare.at(-1)!)}, corral ${ms(c.doneMs)} ` +
        `(CPU ${c.cpuS.toFixed(2)} s: main thread ${ms(th.main)}, reader ${ms(th.busiest)}, other threads ${ms(th.rest)})`,
    );
  }
  const tripleLatencies: number[] = [];
  const bare3: number[] = [];
  const corral3: number[] = [];
  for (let round = 1; round <= tripleRounds; round++) {
    if (round % 2) {
      bare3.push(await bareReads(3, env, cwd));
      corral3.push(await corralTriple(t, round, cwd, tripleLatencies, started));
    } else {
      corral3.push(await corralTriple(t, round, cwd, tripleLatencies, started));
      bare3.push(await bareReads(3, env, cwd));
    }
    console.log(`three floods round ${round} (${round % 2 ? 'bare' : 'corral'} first): bare node-pty ${ms(bare3.at(-1)!)}, corral ${ms(corral3.at(-1)!)}`);
  }
  const ratio = median(corral.map((c) => c.doneMs)) / median(bare);
  const tripleRatio = median(corral3) / median(bare3);
  const cpuS = median(corral.map((c) => c.cpuS));
  const perThread = (pick: (c: CorralFlood) => number): string => ms(median(corral.map(pick)));
  const p95 = percentile(latencies, 0.95);
  const p95Triple = percentile(tripleLatencies, 0.95);
  console.log(
    `flood (!${FLOOD}, 27 MB, median of ${rounds}): bare node-pty ${ms(median(bare))}, corral Enter to usable ${ms(median(corral.map((c) => c.doneMs)))}: ` +
      `ratio ${ratio.toFixed(2)}; corral CPU ${cpuS.toFixed(2)} s (medians: main thread ${perThread((c) => c.threads.main)}, reader ${perThread((c) => c.threads.busiest)}, ` +
      `other threads ${perThread((c) => c.threads.rest)}); keystroke p95 ${ms(p95)} (${latencies.length} samples)`,
  );
  console.log(
    `three floods at once in background terminals (median of ${tripleRounds}): bare node-pty ${ms(median(bare3))}, corral ${ms(median(corral3))}: ratio ${tripleRatio.toFixed(2)}; ` +
      `keystroke p95 ${ms(p95Triple)} (${tripleLatencies.length} samples)`,
  );
  return { ratio, tripleRatio, cpuS, p95: Math.max(p95, p95Triple) };
}
