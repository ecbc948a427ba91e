// What the agent costs a person: a 2 MB Markdown answer streamed by a loopback model server, read by
// `corral exec` against a bare openai-SDK reader of the same stream; the same answer in the TUI under a real
// PTY (frames, typing latency, CPU); and typing latency with 2,000 finished cells in the transcript against 10.
// Every comparison is measured side by side in one run (rounds alternated, medians) because these machines
// are noisy.
//   npm run bench:agent [-- --rounds N] [-- --samples N] [-- --mb N] [-- --stream-seconds S] [-- --history-turns N]
//     [-- --history-rounds N] [-- --only exec|tui|history] [-- --cpu-prof DIR]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reply, startModelServer, text, usage } from '../test/helpers/model-server.js';
import type { ModelServer, ScriptEvent, StreamReply } from '../test/helpers/model-server.js';
import { ChatRender } from '../test/helpers/model-server-chat.js';
import { arg, median, ms, percentile, sleep } from './bench-util.js';
import { ANSWER_END, deltas, markdownAnswer } from './markdown-answer.js';
import { CLK_TCK, type Known, descendants, killAll, readStat, stillAlive, unique } from './proc-stat.js';
import { Tui, corralReady, environment, live } from './pty-tui.js';
import { lastAnswerLine, writeFinishedThread } from './thread-log-fixture.js';
import { startThrottle } from './throttle-proxy.js';

const ROUNDS = arg('rounds', 5);
const SAMPLES = arg('samples', 40);
const ANSWER_BYTES = arg('mb', 2) * 1_000_000;
/** How long the TUI's stream is spread over, so that there is a window to type in (0: full speed). */
const STREAM_SECONDS = arg('stream-seconds', 6);
const HISTORY_TURNS = arg('history-turns', 1000);
const SMALL_HISTORY_TURNS = 5;
const HISTORY_ROUNDS = arg('history-rounds', 3);
/** `--only exec|tui|history`: one part alone, when looking into it. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
/** `--cpu-prof DIR`: every corral started writes a CPU profile (.cpuprofile) into DIR when it exits. */
const PROFILE_DIR = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
const NODE_ARGS = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const runs = (part: 'exec' | 'tui' | 'history'): boolean => ONLY === undefined || ONLY === part;
const CORRAL = fileURLToPath(new URL('../corral.js', import.meta.url));
const SDK_READ = fileURLToPath(new URL('./sdk-read.js', import.meta.url));
/** Typed before the composer is emptied again, well inside one line at 120 columns. */
const COMPOSER_CHARS = 80;
/** What a process may print before the bench stops keeping it (the answer and its newline fit). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** The size of the script as the model server sends it (chat completions SSE). */
function renderedBytes(script: ScriptEvent[]): number {
  const render = new ChatRender(script, 'bench', 1);
  let bytes = 0;
  for (const frame of render.events()) bytes += Buffer.byteLength(frame);
  for (const frame of render.terminal()) bytes += Buffer.byteLength(frame);
  return bytes;
}

const config = (baseUrl: string): string =>
  `model = "bench"\nmodel_provider = "local"\n\n[model_providers.local]\nname = "Local"\nbase_url = "${baseUrl}"\nwire_api = "chat"\n`;

/** A home for corral: the config pointing at `baseUrl`, and nothing else. */
function corralHome(root: string, name: string, baseUrl: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.toml'), config(baseUrl));
  return dir;
}

// 1. `corral exec` against the bare SDK.

const children = new Set<number>();

interface ProcessRun {
  seconds: number;
  stdout: string;
}

/** Runs `node file args` to its end; wall time from spawn to exit, start-up included. */
function runNode(file: string, args: string[], env: Record<string, string>, cwd: string, nodeArgs: string[] = []): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, file, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) children.add(child.pid);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes <= MAX_OUTPUT_BYTES) out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      if (child.pid) children.delete(child.pid);
      if (code !== 0) return reject(new Error(`${file} ${args.join(' ')} exited with ${code ?? signal}; stderr:\n${err}`));
      resolve({ seconds, stdout: Buffer.concat(out).toString('utf8') });
    });
  });
}

async function timed(what: string, server: ModelServer, answer: StreamReply, expected: string, run: () => Promise<ProcessRun>): Promise<number> {
  server.enqueue(answer);
  const r = await run();
  if (r.stdout !== expected) throw new Error(`${what} printed ${r.stdout.length} characters, not the ${expected.length} of the answer`);
  return r.seconds;
}

async function execRatio(server: ModelServer, answer: StreamReply, expected: string, env: Record<string, string>, cwd: string): Promise<number> {
  const corral = (): Promise<number> => timed('corral exec', server, answer, expected, () => runNode(CORRAL, ['exec', 'go'], env, cwd, NODE_ARGS));
  const sdk = (): Promise<number> => timed('the SDK reader', server, answer, expected, () => runNode(SDK_READ, [server.baseUrl], env, cwd));
  // One warm-up each (page cache, compile cache).
  await corral();
  await sdk();
  const corralS: number[] = [];
  const sdkS: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (round % 2) {
      corralS.push(await corral());
      sdkS.push(await sdk());
    } else {
      sdkS.push(await sdk());
      corralS.push(await corral());
    }
    console.log(`exec round ${round}: corral exec ${ms(corralS.at(-1)! * 1000)}, SDK reader ${ms(sdkS.at(-1)! * 1000)}`);
  }
  const ratio = median(corralS) / median(sdkS);
  const paired = median(corralS.map((c, i) => c / sdkS[i]!));
  console.log(
    `exec (median of ${ROUNDS}): corral exec ${ms(median(corralS) * 1000)}, SDK reader ${ms(median(sdkS) * 1000)}; ` +
      `ratio ${ratio.toFixed(2)} (median of paired ratios ${paired.toFixed(2)})`,
  );
  return ratio;
}

// 2. The TUI while the answer streams.

interface Typing {
  latencies: number[];
  /** Keys typed whose echo came after the condition `until` stopped holding (not counted). */
  late: number;
}

/**
 * Types letters into the composer, ~50 ms apart, jittered over one frame interval so that the samples do not
 * lock to the phase of Ink's 30 fps throttle, while `until` holds; each is timed until it is on screen. Starts
 * once the composer is empty.
 */
async function typeWhile(t: Tui, samples: number, until: () => boolean): Promise<Typing> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  await t.waitFor('an empty composer', corralReady(t), 5000);
  let expected = '';
  const latencies: number[] = [];
  let late = 0;
  for (let i = 0; i < samples && until(); i++) {
    if (expected.length === COMPOSER_CHARS) {
      t.type('\x15'); // Ctrl+U: the composer stays one line, as the check reads it
      await t.waitFor('an empty composer', corralReady(t), 30_000);
      expected = '';
    }
    expected += letters[i % letters.length]!;
    const want = expected;
    const sent = t.type(want.at(-1)!);
    const shown = await t.waitFor(`'${want.at(-1)!}' echoed in the composer`, () => t.composer() === want, 30_000);
    if (until()) latencies.push(shown - sent);
    else late++;
    await sleep(Math.max(0, sent + 50 + Math.random() * 33 - performance.now()));
  }
  return { latencies, late };
}

interface StreamFigures {
  fps: number;
  p95: number;
}

async function tuiStream(server: ModelServer, answer: StreamReply, env: Record<string, string>, cwd: string, started: Known[]): Promise<StreamFigures> {
  const t = new Tui(CORRAL, env, cwd, { nodeArgs: NODE_ARGS });
  await t.waitFor('the composer', corralReady(t), 20_000);
  server.enqueue(answer);
  t.type('go');
  await t.waitFor('`go` in the composer', () => t.composer() === 'go', 5000);
  const requests = server.requests.length;
  const before = { marks: t.syncMarks, bytes: t.bytes, cpu: readStat(t.pid)!.cpuTicks };
  const enter = t.type('\r');
  await server.waitForRequests(requests + 1, 20_000);
  const asked = performance.now();
  started.push(...descendants(t.pid));
  // The turn has ended when the footer no longer says how to interrupt it and the answer's end is on screen.
  const done = (): boolean => t.has(ANSWER_END) && !t.has('esc to interrupt');
  let ended = 0;
  const end = t.waitFor('the end of the answer, and of the turn', done, 120_000).then((at) => (ended = at));
  const typing = await typeWhile(t, Number.MAX_SAFE_INTEGER, () => ended === 0);
  await end;
  const cpuS = (readStat(t.pid)!.cpuTicks - before.cpu) / CLK_TCK;
  const seconds = (ended - enter) / 1000;
  const fps = (t.syncMarks - before.marks) / seconds;
  const p50 = typing.latencies.length ? percentile(typing.latencies, 0.5) : NaN;
  const p95 = typing.latencies.length ? percentile(typing.latencies, 0.95) : NaN;
  console.log(
    `TUI stream: Enter to request ${ms(asked - enter)}, Enter to the end of the turn on screen ${ms(ended - enter)}; ` +
      `${fps.toFixed(1)} frames/s (Ink's synchronized-update markers), ${((t.bytes - before.bytes) / 1024 / seconds).toFixed(0)} KiB/s to the terminal`,
  );
  console.log(`  corral CPU ${cpuS.toFixed(2)} s (${((cpuS / seconds) * 100).toFixed(0)}% of one core over the stream; CLK_TCK ${CLK_TCK})`);
  console.log(
    `  keystroke to screen during the stream (${typing.latencies.length} samples, ~50 ms apart${typing.late ? `; ${typing.late} echoed after the end, not counted` : ''}): ` +
      `p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...typing.latencies))}`,
  );
  await quit(t);
  return { fps, p95 };
}

async function quit(t: Tui): Promise<void> {
  t.type('\x15'); // Ctrl+U empties the composer
  await t.waitFor('an empty composer', corralReady(t), 5000);
  t.type('/quit');
  await t.waitFor('`/quit` in the composer', () => t.composer() === '/quit', 5000);
  if (!(await t.stop(10_000, () => t.type('\r')))) throw new Error('corral did not exit within 10 s of /quit');
}

// 3. Typing with a long transcript.

async function historyTyping(home: string, turns: number, env: Record<string, string>, cwd: string): Promise<{ latencies: number[]; printed: number }> {
  const t = new Tui(CORRAL, env, cwd, { args: ['resume', '--last'], nodeArgs: NODE_ARGS });
  let printed = 0;
  let tail = '';
  const marker = 'That was answer ';
  t.proc.onData((data) => {
    const scan = tail + data;
    for (let i = scan.indexOf(marker); i >= 0; i = scan.indexOf(marker, i + 1)) printed++;
    tail = scan.slice(-(marker.length - 1));
  });
  const last = lastAnswerLine(turns);
  const spawned = t.spawnedAt;
  const shown = await t.waitFor(`the resumed transcript's last answer (${home})`, () => t.has(last) && corralReady(t)(), 60_000);
  if (printed === 0) throw new Error(`corral printed none of the ${turns} answers of the resumed thread`);
  const typing = await typeWhile(t, SAMPLES, () => true);
  console.log(
    `  ${turns * 2} cells: resumed in ${ms(shown - spawned)}, printed ${printed} of the ${turns} answers; keystroke p50 ${ms(percentile(typing.latencies, 0.5))}, ` +
      `p95 ${ms(percentile(typing.latencies, 0.95))}, max ${ms(Math.max(...typing.latencies))}`,
  );
  await quit(t);
  return { latencies: typing.latencies, printed };
}

async function historyRatio(root: string, baseUrl: string, home: string, cwd: string): Promise<number> {
  const big = corralHome(root, 'history-big', baseUrl);
  const small = corralHome(root, 'history-small', baseUrl);
  writeFinishedThread(big, cwd, HISTORY_TURNS);
  writeFinishedThread(small, cwd, SMALL_HISTORY_TURNS);
  const bigMs: number[] = [];
  const smallMs: number[] = [];
  let printedBig = 0;
  const runBig = async (): Promise<void> => {
    const r = await historyTyping(big, HISTORY_TURNS, environment(home, big), cwd);
    bigMs.push(...r.latencies);
    printedBig = r.printed;
  };
  const runSmall = async (): Promise<void> => void smallMs.push(...(await historyTyping(small, SMALL_HISTORY_TURNS, environment(home, small), cwd)).latencies);
  for (let round = 1; round <= HISTORY_ROUNDS; round++) {
    console.log(`history round ${round}:`);
    if (round % 2) {
      await runBig();
      await runSmall();
    } else {
      await runSmall();
      await runBig();
    }
  }
  if (printedBig < HISTORY_TURNS) {
    console.log(
      `  note: corral printed only the newest ${printedBig} of the ${HISTORY_TURNS} resumed answers (its transcript keeps a bounded ` +
        `number of cells), so the long transcript here holds ${printedBig * 2} cells, not ${HISTORY_TURNS * 2}`,
    );
  }
  const bigP95 = percentile(bigMs, 0.95);
  const smallP95 = percentile(smallMs, 0.95);
  console.log(
    `history (all samples of ${HISTORY_ROUNDS} rounds): keystroke p95 with ${HISTORY_TURNS * 2} cells ${ms(bigP95)} (p50 ${ms(percentile(bigMs, 0.5))}), ` +
      `with ${SMALL_HISTORY_TURNS * 2} cells ${ms(smallP95)} (p50 ${ms(percentile(smallMs, 0.5))}); ratio ${(bigP95 / smallP95).toFixed(2)}`,
  );
  return bigP95 / smallP95;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const server = await startModelServer();
  const started: Known[] = [];
  let throttle: Awaited<ReturnType<typeof startThrottle>> | null = null;
  try {
    const answerText = markdownAnswer(ANSWER_BYTES);
    const pieces = deltas(answerText);
    const script = [...pieces.map((p) => text(p)), usage({ input: 1000, output: Math.round(answerText.length / 4) })];
    const fullSpeed = reply(script);
    console.log(
      `answer: ${(answerText.length / 1e6).toFixed(2)} MB of Markdown in ${pieces.length} deltas of 3-40 characters ` +
        `(mean ${(answerText.length / pieces.length).toFixed(1)}), streamed by a loopback chat-completions server`,
    );

    let exec = NaN;
    if (runs('exec')) exec = await execRatio(server, fullSpeed, `${answerText}\n`, environment(home, corralHome(root, 'exec', server.baseUrl)), home);

    let tui: StreamFigures = { fps: NaN, p95: NaN };
    if (runs('tui')) {
      let tuiBase = server.baseUrl;
      if (STREAM_SECONDS > 0) {
        const bytes = renderedBytes(script);
        throttle = await startThrottle(server.baseUrl, bytes / STREAM_SECONDS);
        tuiBase = throttle.baseUrl;
        console.log(
          `TUI: the stream (${(bytes / 1e6).toFixed(1)} MB of SSE) is paced by a loopback proxy to arrive over ~${STREAM_SECONDS} s ` +
            `(batches 16 ms apart), so that there is a window to type in`,
        );
      }
      tui = await tuiStream(server, fullSpeed, environment(home, corralHome(root, 'tui', tuiBase)), home, started);
    }

    const history = runs('history') ? await historyRatio(root, server.baseUrl, home, home) : NaN;

    const verdict = (name: string, value: number, ok: boolean, target: string): string =>
      `${name} ${Number.isNaN(value) ? 'not measured' : ok ? 'met' : 'MISSED'} (${target})`;
    console.log(
      `targets: ${[
        verdict('exec-ratio', exec, exec <= 1.3, '<= 1.3'),
        verdict('tui-fps', tui.fps, tui.fps <= 30, '<= 30'),
        verdict('keystroke-p95', tui.p95, tui.p95 < 50, '< 50 ms'),
        verdict('history-ratio', history, history <= 1.2, '<= 1.2'),
      ].join(', ')}`,
    );
    const fixed = (x: number, digits: number): string => (Number.isNaN(x) ? '-' : x.toFixed(digits));
    console.log(
      `agent-bench: exec-ratio=${fixed(exec, 2)} tui-fps=${fixed(tui.fps, 0)} keystroke-p95-ms=${fixed(tui.p95, 0)} history-ratio=${fixed(history, 2)}`,
    );
  } finally {
    for (const t of [...live]) await t.stop(1000);
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    killAll(unique(started).filter(stillAlive));
    await throttle?.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
