// How fast `corral app-server` streams a flood through `command/exec` (base64 deltas in JSON lines on stdio),
// against a plain Node pipe read of the same command, side by side in one run (rounds interleaved, medians
// compared) because these machines are noisy. Also the app-server's peak RSS (VmHWM).
//   npm run bench:app-server [-- --rounds N] [-- --mb N] [-- --corral FILE]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, median } from './bench-util.js';
import { CLK_TCK, type Known, descendants, killAll, memory, readStat, stillAlive, unique } from './proc-stat.js';

const ROUNDS = arg('rounds', 3);
const MB = arg('mb', 200);
const COMMAND = ['sh', '-c', `head -c ${MB * 1_000_000} /dev/zero | base64`];
// base64 wraps at 76 columns and ends every line with \n.
const ENCODED = 4 * Math.ceil((MB * 1_000_000) / 3);
const EXPECTED = ENCODED + Math.ceil(ENCODED / 76);
const corralArg = process.argv.indexOf('--corral');
/** The bundle to drive; `--corral FILE` compares another build (an unminified one for profiles, a candidate fix). */
const CORRAL = corralArg > 0 ? resolve(process.argv[corralArg + 1]!) : fileURLToPath(new URL('../corral.js', import.meta.url));
/** A run that takes longer than this has hung: the bench fails instead of waiting forever. */
const RUN_DEADLINE_MS = 300_000;
/** Longer than any delta line the server may send; a longer line means broken framing (and keeps memory bounded). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** CPU seconds during a run: the bench reading, the app-server (0 for the plain read), the flood's processes. */
interface Cpu {
  reader: number;
  server: number;
  command: number;
}

interface Run {
  bytes: number;
  seconds: number;
  cpu: Cpu;
}

const rate = (r: Run): number => r.bytes / r.seconds;
const mbps = (bytesPerSecond: number): string => `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
const cpuText = (c: Cpu): string => `CPU s: reader ${c.reader.toFixed(2)}, app-server ${c.server.toFixed(2)}, command ${c.command.toFixed(2)}`;

/** CPU seconds of a process itself and of its children it has waited for (the flood's, once they exited). */
function cpuSeconds(pid: number): { own: number; children: number } {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { own: (Number(f[11]) + Number(f[12])) / CLK_TCK, children: (Number(f[13]) + Number(f[14])) / CLK_TCK };
}

/** Starts counting CPU of the bench and of `server` (the parent of the flood's processes); call the result at the end. */
function cpuMeter(server: number | null): () => Cpu {
  const self0 = cpuSeconds(process.pid);
  const server0 = server === null ? null : cpuSeconds(server);
  return () => {
    const self = cpuSeconds(process.pid);
    const srv = server === null ? null : cpuSeconds(server);
    return {
      reader: self.own - self0.own,
      server: srv && server0 ? srv.own - server0.own : 0,
      command: srv && server0 ? srv.children - server0.children : self.children - self0.children,
    };
  };
}

function deadline<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${RUN_DEADLINE_MS / 1000} s`)), RUN_DEADLINE_MS);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Every process the bench started (and process groups still running), so that nothing outlives it, also on failure or Ctrl+C. */
const started: Known[] = [];
const groups = new Set<number>();
const home = mkdtempSync(join(tmpdir(), 'corral-app-server-bench-'));

/** Ends every process the bench started that is still there, and removes the CORRAL_HOME it made. */
function cleanUp(): void {
  // The app-server's commands run in sessions of their own: find them through their parent while it is there.
  for (const pgid of groups) started.push(...descendants(pgid));
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  killAll(unique(started).filter(stillAlive));
  rmSync(home, { recursive: true, force: true });
}

/** The plain read: spawn to close, counting stdout bytes. Its own process group, so a failure can end it all. */
function baseline(): Promise<Run> {
  const cpu = cpuMeter(null);
  const t0 = performance.now();
  const child = spawn(COMMAND[0]!, COMMAND.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  groups.add(child.pid!);
  let bytes = 0;
  child.stdout.on('data', (d: Buffer) => (bytes += d.length));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      groups.delete(child.pid!);
      resolve({ bytes, seconds: (performance.now() - t0) / 1000, cpu: cpu() });
    });
  });
  return deadline('the plain pipe read', done);
}

interface Message {
  id?: number | string | null;
  method?: string;
  params?: { processId?: string; stream?: string; deltaBase64?: string };
  result?: { exitCode: number; stdout: string; stderr: string };
  error?: { code: number; message: string };
}

/** `corral app-server` on real pipes, read the way a client must: split lines, JSON.parse, base64-decode. */
class Server {
  readonly child: ChildProcess;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly deltaListeners = new Map<string, (m: Message) => void>();
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private failure: Error | null = null;
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(home: string) {
    this.child = spawn(process.execPath, [CORRAL, 'app-server'], {
      env: { ...process.env, CORRAL_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    groups.add(this.child.pid!);
    started.push({ pid: this.child.pid!, startTime: readStat(this.child.pid!)?.startTime ?? 0, command: 'corral app-server' });
    this.child.stdout!.on('data', (chunk: Buffer) => this.feed(chunk));
    this.child.stdin!.on('error', (err) => this.fail(err));
    this.child.on('error', (err) => this.fail(err));
    // Only the tail is kept for the error message.
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    void this.exited.then((code) => this.fail(new Error(`the app-server exited (${String(code)}): ${this.stderr}`)));
  }

  call(method: string, params: unknown): Promise<Message> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  onDelta(processId: string, listener: ((m: Message) => void) | null): void {
    if (listener) this.deltaListeners.set(processId, listener);
    else this.deltaListeners.delete(processId);
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await this.exited;
    groups.delete(this.child.pid!);
  }

  private feed(chunk: Buffer): void {
    if (this.failure) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      let line: string;
      if (this.pieces.length === 0) line = chunk.toString('utf8', start, nl);
      else {
        this.pieces.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.pieces).toString('utf8');
        this.pieces = [];
        this.pieceBytes = 0;
      }
      try {
        this.message(line);
      } catch (err) {
        return this.fail(new Error(`a bad line from the app-server (${(err as Error).message}): ${line.slice(0, 200)}`));
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pieces.push(chunk.subarray(start));
      this.pieceBytes += chunk.length - start;
      if (this.pieceBytes > MAX_LINE_BYTES) {
        this.pieces = [];
        this.fail(new Error(`a line from the app-server exceeds ${MAX_LINE_BYTES} bytes`));
      }
    }
  }

  private message(line: string): void {
    if (line === '') return;
    const m = JSON.parse(line) as Message;
    if (m.method === 'command/exec/outputDelta') this.deltaListeners.get(m.params?.processId ?? '')?.(m);
    else if (m.method === undefined && typeof m.id === 'number') {
      this.waiting.get(m.id)?.resolve(m);
      this.waiting.delete(m.id);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

let execs = 0;
let scratch = Buffer.allocUnsafe(256 * 1024);

/** Decodes into a reused buffer (a client that consumes each delta at once needs no new one); the byte count. */
function decodeBase64(text: string): number {
  const size = Buffer.byteLength(text, 'base64');
  if (size > scratch.length) scratch = Buffer.allocUnsafe(size);
  return scratch.write(text, 0, size, 'base64');
}

/** From the command/exec request to its response, counting the decoded bytes of every delta. */
async function corral(server: Server): Promise<Run> {
  const processId = `flood-${++execs}`;
  let bytes = 0;
  let stderrBytes = 0;
  let seenChildren = false;
  server.onDelta(processId, (m) => {
    const decoded = decodeBase64(m.params!.deltaBase64!);
    if (m.params!.stream === 'stdout') bytes += decoded;
    else stderrBytes += decoded;
    if (!seenChildren) {
      // The flood's processes exist now: note them so that a failure can end them.
      seenChildren = true;
      started.push(...descendants(server.child.pid!));
    }
  });
  const cpu = cpuMeter(server.child.pid!);
  const t0 = performance.now();
  try {
    const params = { command: COMMAND, processId, streamStdoutStderr: true, disableOutputCap: true, disableTimeout: true };
    const res = await deadline('command/exec', server.call('command/exec', params));
    const seconds = (performance.now() - t0) / 1000;
    const used = cpu();
    if (res.error) throw new Error(`command/exec failed: ${res.error.code} ${res.error.message}`);
    const r = res.result!;
    if (r.exitCode !== 0 || r.stdout !== '' || r.stderr !== '' || stderrBytes !== 0) {
      throw new Error(`command/exec: exit ${r.exitCode}, ${r.stdout.length} stdout chars in the response, ${stderrBytes} stderr bytes streamed`);
    }
    return { bytes, seconds, cpu: used };
  } finally {
    server.onDelta(processId, null);
  }
}

async function main(): Promise<void> {
  const server = new Server(home);
  try {
    const init = await deadline('initialize', server.call('initialize', { clientInfo: { name: 'bench', version: '1' } }));
    if (init.error) throw new Error(`initialize failed: ${init.error.message}`);
    const idleMb = memory(server.child.pid!).rss;
    // Warm up both paths once (JIT, page cache) before measuring.
    await baseline();
    await corral(server);

    const ratios: number[] = [];
    const baseRuns: Run[] = [];
    const corralRuns: Run[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const [b, c] = round % 2 ? [await baseline(), await corral(server)] : await corral(server).then(async (c) => [await baseline(), c] as const);
      if (b.bytes !== EXPECTED) throw new Error(`the plain read got ${b.bytes} bytes, expected ${EXPECTED}`);
      if (c.bytes !== b.bytes) throw new Error(`corral delivered ${c.bytes} decoded bytes, the plain read ${b.bytes}`);
      ratios.push(rate(c) / rate(b));
      baseRuns.push(b);
      corralRuns.push(c);
      console.log(`round ${round}: ${c.bytes} bytes each`);
      console.log(`  plain  ${mbps(rate(b))} in ${b.seconds.toFixed(2)} s (${cpuText(b.cpu)})`);
      console.log(`  corral ${mbps(rate(c))} in ${c.seconds.toFixed(2)} s (${cpuText(c.cpu)})`);
    }
    const peakMb = memory(server.child.pid!).hwm;
    const ratio = median(ratios);
    console.log(`flood: ${(EXPECTED / 1e6).toFixed(0)} MB of base64 per run (${MB} MB in); medians of ${ROUNDS} paired rounds:`);
    const summary = (runs: Run[]): string => {
      const m = (pick: (c: Cpu) => number): number => median(runs.map((r) => pick(r.cpu)));
      return `${mbps(median(runs.map(rate)))} (${cpuText({ reader: m((c) => c.reader), server: m((c) => c.server), command: m((c) => c.command) })})`;
    };
    console.log(`  plain Node pipe read: ${summary(baseRuns)}`);
    console.log(`  corral app-server command/exec (stdio, JSON + base64 deltas): ${summary(corralRuns)}`);
    console.log(`  ratio corral/plain ${ratio.toFixed(2)} (target >= 0.7)`);
    console.log(`  app-server RSS: ${idleMb.toFixed(0)} MB idle, peak ${peakMb.toFixed(0)} MB (target < 150 MB)`);
    await server.close();
    console.log(`app-server-bench: ratio=${ratio.toFixed(2)} rss-mb=${peakMb.toFixed(0)}`);
  } finally {
    cleanUp();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

try {
  await main();
} catch (err) {
  console.error(`app-server-bench: ${(err as Error).message}`);
  process.exitCode = 1;
}
