// How fast the process manager ingests a flood, against plain Node reads of the same command, measured side
// by side in one run (rounds interleaved, medians compared) because these machines are noisy.
// The manager logs every byte to a file, as in corral (`--no-logs`: it does not).
//   npm run bench:exec [-- --rounds N] [-- --mb N] [-- --no-logs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { ProcessManager } from '../src/exec/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PIPE_ROUNDS = arg('pipe-rounds', 9);
const PTY_ROUNDS = arg('pty-rounds', 3);
const MB = arg('mb', 200);
const COMMAND = `head -c ${MB * 1_000_000} /dev/zero | base64`;
// base64 wraps at 76 columns; a terminal turns each \n into \r\n.
const ENCODED = 4 * Math.ceil((MB * 1_000_000) / 3);
const LINES = Math.ceil(ENCODED / 76);
const EXPECTED = { pipe: ENCODED + LINES, pty: ENCODED + 2 * LINES };

interface Run {
  bytes: number;
  seconds: number;
}

const rate = (r: Run): number => r.bytes / r.seconds;

function rawPipe(): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let bytes = 0;
    const child = spawn('/bin/bash', ['-c', COMMAND], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    child.on('close', () => resolve({ bytes, seconds: (performance.now() - t0) / 1000 }));
  });
}

function rawPty(): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let bytes = 0;
    const term = pty.spawn('/bin/bash', ['-c', COMMAND], { cols: 80, rows: 24 });
    term.onData((d) => (bytes += Buffer.byteLength(d)));
    term.onExit(() => resolve({ bytes, seconds: (performance.now() - t0) / 1000 }));
  });
}

/** From the call to the exit event: everything the manager does to take the output in. */
async function managed(manager: ProcessManager, tty: boolean): Promise<Run> {
  let bytes = 0;
  // A consumer of the delta stream, as the UI or a client would be.
  const offOutput = manager.events.on('output', (e) => (bytes += e.chunk.length));
  let exitedAt = 0;
  const offExit = manager.events.on('exited', () => (exitedAt = performance.now()));
  const t0 = performance.now();
  const r = await manager.exec({ command: COMMAND, tty, login: false, yieldMs: 30_000 });
  let status = r.status;
  while (status === 'running') status = (await manager.write({ processId: r.processId, yieldMs: 300_000 })).status;
  offOutput();
  offExit();
  return { bytes, seconds: (exitedAt - t0) / 1000 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN; // no rounds (`--pty-rounds 0`): not measured
};

/** Runs raw and managed back to back, alternating which goes first; returns per-round ratios. */
async function compare(
  label: string,
  rounds: number,
  raw: () => Promise<Run>,
  mgr: () => Promise<Run>,
  expected: number,
): Promise<{ ratio: number; raw: number; managed: number; rawLost: number }> {
  const ratios: number[] = [];
  const rawRates: number[] = [];
  const mgrRates: number[] = [];
  let rawLost = 0;
  for (let round = 1; round <= rounds; round++) {
    const [a, b] = round % 2 ? [await raw(), await mgr()] : await mgr().then(async (m) => [await raw(), m] as const);
    if (a.bytes !== expected) rawLost++;
    if (b.bytes !== expected) throw new Error(`${label}: the manager delivered ${b.bytes} bytes, expected ${expected}`);
    ratios.push(rate(b) / rate(a));
    rawRates.push(rate(a));
    mgrRates.push(rate(b));
    console.log(`${label} round ${round}: raw ${(rate(a) / 1e6).toFixed(1)} MB/s, manager ${(rate(b) / 1e6).toFixed(1)} MB/s`);
  }
  return { ratio: median(ratios), raw: median(rawRates), managed: median(mgrRates), rawLost };
}

async function main(): Promise<void> {
  const home = process.argv.includes('--no-logs') ? null : mkdtempSync(join(tmpdir(), 'corral-exec-bench-'));
  const manager = new ProcessManager({ home });
  // Warm up both paths once (JIT, page cache) before measuring.
  await rawPipe();
  await managed(manager, false);
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

  const pipe = await compare('pipe', PIPE_ROUNDS, rawPipe, () => managed(manager, false), EXPECTED.pipe);
  const tty = await compare('pty', PTY_ROUNDS, rawPty, () => managed(manager, true), EXPECTED.pty);
  clearInterval(sampler);
  await manager.shutdown();
  if (home) rmSync(home, { recursive: true, force: true });

  const growthMb = (peak - baseRss) / 1024 / 1024;
  console.log(`flood: ${(EXPECTED.pipe / 1e6).toFixed(0)} MB per run; medians of paired rounds:`);
  console.log(`  pipe: raw ${(pipe.raw / 1e6).toFixed(0)} MB/s, manager ${(pipe.managed / 1e6).toFixed(0)} MB/s`);
  console.log(`  pty:  raw ${(tty.raw / 1e6).toFixed(1)} MB/s, manager ${(tty.managed / 1e6).toFixed(1)} MB/s`);
  if (tty.rawLost > 0) console.log(`  plain node-pty lost bytes at exit in ${tty.rawLost} of ${PTY_ROUNDS} runs; the manager lost none`);
  console.log(`  peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB (baseline ${(baseRss / 1024 / 1024).toFixed(0)} MB)`);
  console.log(`exec-bench: pipe-ratio=${pipe.ratio.toFixed(2)} pty-ratio=${tty.ratio.toFixed(2)} rss-growth-mb=${growthMb.toFixed(0)}`);
}

await main();
