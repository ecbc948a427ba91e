// What a person at the terminal gets from corral: start-up, frame rate and CPU while a command floods its cell,
// typing latency during that flood, and how a 27 MB flood ends. It drives the bundled program under a real
// PTY and reads the screen through a headless terminal emulator, as a person would see it. Start-up is
// compared side by side with a bare Ink app (rounds interleaved, medians) because these machines are noisy.
//   npm run bench:tui [-- --rounds N] [-- --samples N] [-- --flood-rounds N] [-- --triple-rounds N] [-- --flood-only 1] [-- --cpu-prof DIR]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, median, ms, percentile, sleep } from './bench-util.js';
import { CLK_TCK, type Known, descendants, killAll, memory, readStat, stillAlive, unique } from './proc-stat.js';
import { BURST_GAP_MS, type Check, Tui, corralReady, environment, live } from './pty-tui.js';
import { FLOOD, floodRace } from './tui-flood.js';

const ROUNDS = arg('rounds', 7);
const SAMPLES = arg('samples', 40);
// The single flood's ratio moves by ±0.15 between rounds on a 2-core machine: the median of 5 still moved by
// ±0.09 between runs (1.13-1.31 over 15 runs of the same build), so a median of 9.
const FLOOD_ROUNDS = arg('flood-rounds', 9);
const TRIPLE_ROUNDS = arg('triple-rounds', 3);
/** Only the flood race against bare node-pty (section 5), for profiling runs. */
const FLOOD_ONLY = arg('flood-only', 0) === 1;
/** Where corral (the flood run) writes a V8 CPU profile; NODE_OPTIONS may not carry --cpu-prof. */
const CPU_PROF_DIR = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
const FPS_WINDOW_MS = 3000;
const CORRAL = fileURLToPath(new URL('../corral.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-ink.js', import.meta.url));

const bareReady = (t: Tui) => (): boolean => t.lines().some((l) => l.trim() === 'ready');

/** Spawn to first frame, in ms. */
async function firstFrame(file: string, ready: (t: Tui) => Check, env: Record<string, string>, cwd: string): Promise<number> {
  const t = new Tui(file, env, cwd);
  try {
    return (await t.waitFor(`the first frame of ${file}`, ready(t), 20_000)) - t.spawnedAt;
  } finally {
    await t.stop();
  }
}

interface FloodFigures {
  command: string;
  fps: number;
  p95: number;
}

/**
 * Runs `command` in the foreground until its cell shows lines matching `line`, then measures for
 * FPS_WINDOW_MS the frames corral writes and its CPU, then typing latency, then interrupts it with Ctrl+C.
 */
async function floodCell(t: Tui, command: string, line: RegExp, started: Known[]): Promise<FloodFigures> {
  t.type(`!${command}`);
  await t.waitFor(`\`!${command}\` in the composer`, () => t.composer() === `!${command}`, 5000);
  t.type('\r');
  const running = `• Running ${command}`;
  const cellLines = (): boolean => t.has(running) && t.lines().filter((l) => line.test(l.replace(/^\s+(└\s+)?/, ''))).length >= 3;
  await t.waitFor(`output lines in the running cell of \`${command}\``, cellLines, 10_000);
  started.push(...descendants(t.pid));

  const before = { at: performance.now(), marks: t.syncMarks, bursts: t.bursts, bytes: t.bytes, cpu: readStat(t.pid)!.cpuTicks };
  const benchCpu0 = process.cpuUsage();
  await sleep(FPS_WINDOW_MS);
  const seconds = (performance.now() - before.at) / 1000;
  const cpuPct = ((readStat(t.pid)!.cpuTicks - before.cpu) / CLK_TCK / seconds) * 100;
  const benchCpu = process.cpuUsage(benchCpu0);
  const benchCpuPct = ((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 100;
  const markFps = (t.syncMarks - before.marks) / seconds;
  const burstFps = (t.bursts - before.bursts) / seconds;
  const written = t.bytes - before.bytes;
  // Ink marks every frame it writes once it marks any; the bursts are the fallback.
  const byMarks = t.syncMarks > 0;
  const fps = byMarks ? markFps : burstFps;
  console.log(
    `!${command} (${seconds.toFixed(1)} s): ${fps.toFixed(1)} frames/s, counted by ` +
      (byMarks
        ? `Ink's synchronized-update markers (\\e[?2026h); output bursts >= ${BURST_GAP_MS} ms apart: ${burstFps.toFixed(1)}/s`
        : `output bursts >= ${BURST_GAP_MS} ms apart (Ink emitted no synchronized-update markers)`),
  );
  console.log(
    `  corral CPU ${cpuPct.toFixed(0)}% of one core (CLK_TCK ${CLK_TCK}); it wrote ${(written / seconds / 1024).toFixed(1)} KiB/s to the terminal` +
      `${written === 0 ? ' (nothing: the screen did not change)' : ''}; this bench used ${benchCpuPct.toFixed(0)}%`,
  );

  // The pause is jittered over one frame interval so that the samples do not lock to the phase of Ink's
  // 30 fps throttle.
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let expected = '';
  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const ch = letters[i % letters.length]!;
    expected += ch;
    const want = expected;
    const sent = t.type(ch);
    const shown = await t.waitFor(`'${ch}' echoed in the composer`, () => t.composer() === want, 5000);
    latencies.push(shown - sent);
    await sleep(Math.max(0, sent + 50 + Math.random() * 33 - performance.now()));
  }
  if (!t.has(running)) throw new Error(`\`${command}\` stopped running during the keystroke samples`);
  const p50 = percentile(latencies, 0.5);
  const p95 = percentile(latencies, 0.95);
  console.log(`  keystroke to screen (${SAMPLES} samples, ~50 ms apart): p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...latencies))}`);

  t.type('\x15'); // Ctrl+U empties the composer
  await t.waitFor('an empty composer', corralReady(t), 5000);
  const ctrlC = t.type('\x03');
  const ran = `• Ran ${command}`;
  const ended = await t.waitFor(`\`${ran}\``, () => t.has(ran), 10_000);
  console.log(`  Ctrl+C to \`${t.lines().find((l) => l.includes(ran))!.trim()}\`: ${ms(ended - ctrlC)}`);
  return { command, fps, p95 };
}

/** Spawn to first frame against a bare Ink app, rounds interleaved; the ratio of the medians. */
async function startUp(env: Record<string, string>, home: string): Promise<number> {
  // One warm-up each (page cache, compile cache).
  await firstFrame(CORRAL, corralReady, env, home);
  await firstFrame(BARE, bareReady, env, home);
  const corralMs: number[] = [];
  const bareMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (round % 2) {
      corralMs.push(await firstFrame(CORRAL, corralReady, env, home));
      bareMs.push(await firstFrame(BARE, bareReady, env, home));
    } else {
      bareMs.push(await firstFrame(BARE, bareReady, env, home));
      corralMs.push(await firstFrame(CORRAL, corralReady, env, home));
    }
    console.log(`first frame round ${round}: corral ${ms(corralMs.at(-1)!)}, bare Ink ${ms(bareMs.at(-1)!)}`);
  }
  const ratio = median(corralMs) / median(bareMs);
  const pairedRatio = median(corralMs.map((c, i) => c / bareMs[i]!));
  console.log(
    `first frame (median of ${ROUNDS}): corral ${ms(median(corralMs))}, bare Ink ${ms(median(bareMs))}; ` +
      `ratio ${ratio.toFixed(2)} (median of paired ratios ${pairedRatio.toFixed(2)})`,
  );
  return ratio;
}

/** The 27 MB flood once, untouched: from Enter until the cell has ended and the composer takes typing again. */
async function plainFlood(t: Tui, memStart: { rss: number }, started: Known[]): Promise<{ doneS: number; hwm: number }> {
  t.type(`!${FLOOD}`);
  await t.waitFor('the flood command in the composer', () => t.composer() === `!${FLOOD}`, 5000);
  const mem0 = memory(t.pid);
  // Reset the peak so that VmHWM at the end is this flood's own peak, not the earlier floods'.
  let peakReset = true;
  try {
    writeFileSync(`/proc/${t.pid}/clear_refs`, '5');
  } catch {
    peakReset = false;
  }
  const sampler = setInterval(() => started.push(...descendants(t.pid)), 250);
  const enter = t.type('\r');
  let ranFlood: number;
  try {
    ranFlood = await t.waitFor('`• Ran head -c 20000000`', () => t.has('• Ran head -c 20000000'), 60_000);
  } finally {
    clearInterval(sampler);
  }
  const probe = t.type('z');
  const echoed = await t.waitFor("'z' echoed after the flood", () => t.composer() === 'z', 30_000);
  const mem1 = memory(t.pid);
  const floodLine = t.lines().find((l) => l.includes('• Ran head -c 20000000'))!.trim();
  const doneS = (echoed - enter) / 1000;
  console.log(`flood (!${FLOOD}, 27 MB): \`${floodLine}\``);
  console.log(`  Enter to \`• Ran\` on screen ${ms(ranFlood - enter)}; then a typed key echoed after ${ms(echoed - probe)}; usable after ${doneS.toFixed(2)} s`);
  console.log(
    `  corral RSS at start ${memStart.rss.toFixed(0)} MB; before the flood ${mem0.rss.toFixed(0)} MB (peak so far ${mem0.hwm.toFixed(0)} MB); ` +
      `after ${mem1.rss.toFixed(0)} MB; peak during the flood (VmHWM${peakReset ? ', reset at Enter' : ', could not be reset: peak of the whole run'}) ${mem1.hwm.toFixed(0)} MB`,
  );
  t.type('\x15');
  await t.waitFor('an empty composer', corralReady(t), 5000);
  return { doneS, hwm: mem1.hwm };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'tui-bench-'));
  const home = join(root, 'home');
  const corralHome = join(root, 'corral-home');
  mkdirSync(home);
  mkdirSync(corralHome);
  // The default 10 s foreground window could move `yes` to the background mid-measurement on a busy machine.
  writeFileSync(join(corralHome, 'config.toml'), '[terminals]\nforeground_window_ms = 30000\n');
  const env = environment(home, corralHome);
  const started: Known[] = [];
  try {
    // 1. Start-up, against a bare Ink app.
    const ratio = FLOOD_ONLY ? NaN : await startUp(env, home);

    // 2 and 3. `!yes` floods a running cell. Its screen never changes (every line is `y`), so a second flood
    // whose screen does change (`seq`) shows the frame cap and typing latency while Ink has frames to write.
    const nodeArgs = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    const t = new Tui(CORRAL, env, home, { nodeArgs });
    await t.waitFor('the composer', corralReady(t), 20_000);
    const memStart = memory(t.pid);
    const yes = FLOOD_ONLY ? null : await floodCell(t, 'yes', /^y$/, started);
    const seq = FLOOD_ONLY ? null : await floodCell(t, 'seq 1 999999999', /^\d+$/, started);

    // 4. A 27 MB flood on its own, then 5. against a bare node-pty read, with typing, and three at once.
    const plain = await plainFlood(t, memStart, started);
    const race = await floodRace(t, FLOOD_ROUNDS, TRIPLE_ROUNDS, env, home, started);

    // Quit as a person would.
    t.type('/quit');
    await t.waitFor('`/quit` in the composer', () => t.composer() === '/quit', 5000);
    const quitClean = await t.stop(10_000, () => t.type('\r'));
    const left = unique(started).filter(stillAlive);
    killAll(left);
    console.log(
      `quit: ${quitClean ? 'corral exited after /quit' : 'corral did not exit within 10 s of /quit and was killed'}; ` +
        (left.length === 0 ? 'none of its children is left' : `children left behind (killed now): ${left.map((p) => `${p.pid} ${p.command}`).join(', ')}`),
    );

    const verdict = (name: string, ok: boolean, target: string): string => `${name} ${ok ? 'met' : 'MISSED'} (${target})`;
    if (seq) console.log(`for comparison, with \`!${seq.command}\` (a changing screen): flood-fps=${seq.fps.toFixed(1)} keystroke-p95-ms=${seq.p95.toFixed(0)}`);
    console.log(
      `targets: ${[
        ...(yes
          ? [verdict('first-frame-ratio', ratio <= 1.5, '<= 1.5'), verdict('flood-fps', yes.fps <= 30, '<= 30'), verdict('keystroke-p95', yes.p95 < 50, '< 50 ms')]
          : []),
        verdict('flood-done', plain.doneS < 2, '< 2 s'),
        verdict('flood-rss', plain.hwm < 200, '< 200 MB'),
        verdict('flood-ratio', race.ratio <= 1.3, '<= 1.3'),
        verdict('flood-triple-ratio', race.tripleRatio <= 1.3, '<= 1.3'),
        verdict('flood-cpu', race.cpuS < 1.5, '< 1.5 s'),
        verdict('flood-keystroke-p95', race.p95 < 50, '< 50 ms'),
      ].join(', ')}`,
    );
    console.log(
      `tui-bench: first-frame-ratio=${ratio.toFixed(2)} flood-fps=${yes?.fps.toFixed(1) ?? 'NaN'} keystroke-p95-ms=${yes?.p95.toFixed(0) ?? 'NaN'} ` +
        `flood-done-s=${plain.doneS.toFixed(2)} flood-rss-mb=${plain.hwm.toFixed(0)} flood-ratio=${race.ratio.toFixed(2)} ` +
        `flood-triple-ratio=${race.tripleRatio.toFixed(2)} flood-cpu-s=${race.cpuS.toFixed(2)} flood-keystroke-p95-ms=${race.p95.toFixed(0)}`,
    );
  } finally {
    for (const t of [...live]) await t.stop(1000);
    killAll(unique(started).filter(stillAlive));
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
