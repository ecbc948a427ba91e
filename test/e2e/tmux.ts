// Drives the built corral in a private tmux server (never the default one) and reads the kernel's view of
// its processes straight from /proc, independently of corral's own /proc code.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../helpers/os.js';

export const CORRAL_JS = join(import.meta.dirname, '../../dist/corral.js');
export const COLS = 120;
export const ROWS = 40;

// /proc

export interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  /** Field 22 of /proc/PID/stat: with the pid, the identity of a process. */
  startTime: string;
  comm: string;
  args: string;
}

export function procInfo(pid: number): ProcInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may contain spaces and parentheses: the fields start after the last ')'.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const f = stat.slice(close + 2).split(' ');
  let args = '';
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // exited meanwhile
  }
  return { pid, ppid: Number(f[1]), state: f[0]!, startTime: f[19]!, comm, args };
}

function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = procInfo(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** Live (non-zombie) descendants of `pid`, by parent link. */
export function procDescendants(pid: number): ProcInfo[] {
  const procs = allProcs().filter((p) => p.state !== 'Z');
  const found: ProcInfo[] = [];
  const seen = new Set<number>([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!seen.has(p.pid) && seen.has(p.ppid)) {
        seen.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** The same process (pid and start time) still exists and is not a zombie. */
export function stillAlive(p: Pick<ProcInfo, 'pid' | 'startTime'>): boolean {
  const now = procInfo(p.pid);
  return now !== null && now.startTime === p.startTime && now.state !== 'Z';
}

/** The process ignores `signal` (its bit in SigIgn of /proc/PID/status). */
export function ignores(pid: number, signal: 'SIGTERM' | 'SIGHUP' | 'SIGINT'): boolean {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^SigIgn:\s*([0-9a-f]+)$/m.exec(status);
  return m !== null && (BigInt(`0x${m[1]}`) & (1n << BigInt(constants.signals[signal] - 1))) !== 0n;
}

/** `pgrep -f pattern` (whole command lines), or `pgrep -x name` with `exact`. */
export function pgrep(pattern: string, exact = false): number[] {
  try {
    return execFileSync('pgrep', [exact ? '-x' : '-f', pattern], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // exit 1: no match
  }
}

export function killIfSame(p: Pick<ProcInfo, 'pid' | 'startTime'>): void {
  if (!stillAlive(p)) return;
  try {
    process.kill(p.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

// tmux

export async function waitFor<T>(
  probe: () => T | null | undefined | false,
  timeoutMs: number,
  what: string,
  onTimeout?: () => string,
  stepMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${onTimeout ? `\n--- screen ---\n${onTimeout()}` : ''}`);
    await sleep(stepMs);
  }
}

// Run from inside someone's tmux, $TMUX would point commands at their server's panes.
const TMUX_ENV: NodeJS.ProcessEnv = { ...process.env, TMUX: undefined, TMUX_PANE: undefined };

/** One private tmux server (`tmux -L <unique socket>`), for one test file. */
export class TmuxServer {
  readonly socket = `corral-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
  private started = false;
  private socketPath = '';
  private sessions = 0;

  run(...args: string[]): string {
    return execFileSync('tmux', ['-u', '-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: TMUX_ENV });
  }

  /** A new detached session running `command`; the first one starts the server (without any tmux.conf). */
  newSession(command: string): string {
    const name = `s${++this.sessions}`;
    const args = ['new-session', '-d', '-s', name, '-x', String(COLS), '-y', String(ROWS), command];
    if (this.started) this.run(...args);
    else {
      execFileSync('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args], { stdio: 'ignore', env: TMUX_ENV });
      this.started = true;
      // The server outlives each test's session, so options set by one test stay until kill().
      this.run('set-option', '-s', 'exit-empty', 'off');
      this.socketPath = this.run('display-message', '-p', '#{socket_path}').trim();
    }
    return name;
  }

  kill(): void {
    if (!this.started) return;
    try {
      this.run('kill-server');
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind.
    if (this.socketPath !== '') rmSync(this.socketPath, { force: true });
  }
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export interface CorralOptions {
  /** Written to $CORRAL_HOME/config.toml. */
  config?: string;
}

/** corral running in a tmux pane, behind a wrapper that reports its exit status and keeps the pane open. */
export class CorralPane {
  /** Every process seen under corral, so that cleanup can end what a failed test left. */
  readonly seen = new Map<number, ProcInfo>();
  private corralProc: ProcInfo | null = null;

  private constructor(
    readonly server: TmuxServer,
    readonly session: string,
    readonly shellPid: number,
    private readonly dirs: string[],
  ) {}

  /** Opens the pane; `ready()` then waits for corral. Split so that a caller can register cleanup first. */
  static launch(server: TmuxServer, opts: CorralOptions = {}): CorralPane {
    const home = mkdtempSync(join(tmpdir(), 'corral-e2e-home-'));
    const corralHome = mkdtempSync(join(tmpdir(), 'corral-e2e-chome-'));
    if (opts.config !== undefined) writeFileSync(join(corralHome, 'config.toml'), opts.config);
    // An empty HOME and bash keep the machine's dotfiles out. CI in the environment is left as it is: corral
    // draws to a terminal whatever it says (test/tui/ci-env.test.tsx).
    const command = [
      `HOME=${quote(home)}`,
      'SHELL=/bin/bash',
      `CORRAL_HOME=${quote(corralHome)}`,
      `${quote(process.execPath)} ${quote(CORRAL_JS)}`,
      '; echo CORRAL-EXIT-$?; sleep 60',
    ].join(' ');
    const session = server.newSession(command);
    const shellPid = Number(server.run('display-message', '-p', '-t', session, '#{pane_pid}').trim());
    return new CorralPane(server, session, shellPid, [home, corralHome]);
  }

  async ready(): Promise<void> {
    this.corralProc = await waitFor(
      () => procDescendants(this.shellPid).find((p) => p.args.includes(CORRAL_JS)),
      10_000,
      'the corral process',
      () => this.capture(),
    );
    this.seen.set(this.corralProc.pid, this.corralProc);
    await this.waitForScreen((s) => s.includes('Type a message'), 10_000, 'the composer');
  }

  /** The corral process itself (the wrapper shell's child). */
  get corral(): ProcInfo {
    if (!this.corralProc) throw new Error('corral has not started');
    return this.corralProc;
  }

  /** The visible screen (or, with `history`, the scrollback too), without trailing blank lines. */
  capture(history = false): string {
    const args = ['capture-pane', '-p', '-t', this.session];
    if (history) args.push('-S', '-');
    return this.server.run(...args).replace(/\s+$/, '');
  }

  lines(): string[] {
    return this.capture().split('\n');
  }

  /** The composer's text line (`│ › ...`). */
  composerLine(): string {
    return this.lines().find((l) => l.startsWith('│ ›')) ?? '';
  }

  /** The status line under the composer. */
  footer(): string {
    const lines = this.lines();
    const bottom = lines.findLastIndex((l) => l.startsWith('╰'));
    return bottom >= 0 ? (lines[bottom + 1] ?? '') : '';
  }

  format(fmt: string): string {
    return this.server.run('display-message', '-p', '-t', this.session, fmt).trim();
  }

  /** Literal text, as typed. */
  type(text: string): void {
    this.server.run('send-keys', '-t', this.session, '-l', text);
  }

  /** Named keys: Enter, C-b, C-c, ... */
  keys(...keys: string[]): void {
    this.server.run('send-keys', '-t', this.session, ...keys);
  }

  submit(line: string): void {
    this.type(line);
    this.keys('Enter');
  }

  async waitForScreen(ok: (screen: string) => boolean, timeoutMs: number, what: string, history = false): Promise<string> {
    return waitFor(
      () => {
        const s = this.capture(history);
        return ok(s) ? s : null;
      },
      timeoutMs,
      what,
      () => this.capture(),
    );
  }

  /** Live descendants of corral now (and remembered for cleanup). */
  descendants(): ProcInfo[] {
    const ds = procDescendants(this.corral.pid);
    for (const d of ds) this.seen.set(d.pid, d);
    return ds;
  }

  /** Ends the session (SIGHUP to corral), SIGKILLs whatever it left that this pane ever saw, removes the dirs. */
  async dispose(): Promise<void> {
    if (this.corralProc && stillAlive(this.corralProc)) this.descendants();
    try {
      this.server.run('kill-session', '-t', this.session);
    } catch {
      // already gone
    }
    const seen = [...this.seen.values()];
    // corral's own hang-up handler gets the first chance; then nothing may stay.
    await waitFor(() => seen.every((p) => !stillAlive(p)), 3000, 'cleanup').catch(() => undefined);
    for (const p of seen) killIfSame(p);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The non-blank transcript lines after the last echo of `line` (as submitted), up to the composer; `skip` drops some. */
export function linesAfter(screen: string, line: string, skip: RegExp | null = null): string[] {
  const lines = screen.split('\n');
  const at = lines.findLastIndex((l) => l === `› ${line}`);
  if (at < 0) return [];
  const rest = lines.slice(at + 1);
  const composer = rest.findIndex((l) => l.startsWith('╭'));
  return (composer < 0 ? rest : rest.slice(0, composer)).filter((l) => l.trim() !== '' && !(skip?.test(l) ?? false));
}
