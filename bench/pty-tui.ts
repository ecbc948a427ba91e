// A program under a real PTY (node-pty) and the screen it draws, read through a headless terminal emulator
// (@xterm/headless) as a person would see it: frames counted by Ink's synchronized-update marker, and waits
// for what the screen shows, timed at the arrival of the output that made it show.
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { sleep } from './bench-util.js';

/** Ink brackets each frame it writes with this (DEC synchronized update). */
const BSU = '\x1b[?2026h';
/** Output separated by this much silence counts as a new burst (the fallback frame count). */
export const BURST_GAP_MS = 3;

export type Check = () => boolean;

interface Waiter {
  check: Check;
  resolve: (at: number) => void;
}

export interface TuiOptions {
  args?: string[];
  /** Flags for node itself (e.g. `--cpu-prof`), before the program. */
  nodeArgs?: string[];
  cols?: number;
  rows?: number;
}

/** Every program still running; a benchmark stops them all in its `finally`. */
export const live = new Set<Tui>();

export class Tui {
  readonly proc: pty.IPty;
  readonly spawnedAt: number;
  readonly exited: Promise<void>;
  readonly rows: number;
  private readonly term: xterm.Terminal;
  private waiters: Waiter[] = [];
  private tail = '';
  private lastDataAt = -Infinity;
  bytes = 0;
  syncMarks = 0;
  bursts = 0;

  constructor(file: string, env: Record<string, string>, cwd: string, opts: TuiOptions = {}) {
    const cols = opts.cols ?? 120;
    this.rows = opts.rows ?? 40;
    this.term = new xterm.Terminal({ cols, rows: this.rows, allowProposedApi: true });
    this.spawnedAt = performance.now();
    this.proc = pty.spawn(process.execPath, [...(opts.nodeArgs ?? []), file, ...(opts.args ?? [])], { name: 'xterm-256color', cols, rows: this.rows, cwd, env });
    live.add(this);
    this.exited = new Promise((resolve) =>
      this.proc.onExit(() => {
        live.delete(this);
        resolve();
      }),
    );
    // Answer the program's queries as a terminal would.
    this.term.onData((reply) => this.proc.write(reply));
    this.proc.onData((data) => {
      const at = performance.now();
      if (at - this.lastDataAt >= BURST_GAP_MS) this.bursts++;
      this.lastDataAt = at;
      this.bytes += Buffer.byteLength(data);
      // A marker may straddle two reads.
      const scan = this.tail + data;
      for (let i = scan.indexOf(BSU); i >= 0; i = scan.indexOf(BSU, i + 1)) this.syncMarks++;
      this.tail = scan.slice(-(BSU.length - 1));
      // Timed at arrival, so the emulator's own parse time is not counted against the program.
      this.term.write(data, () => this.parsed(at));
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  private parsed(at: number): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve(at);
      return false;
    });
  }

  /** The visible screen, one string per row. */
  lines(): string[] {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.rows; y++) out.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? '');
    return out;
  }

  has(text: string): boolean {
    return this.lines().some((l) => l.includes(text));
  }

  /** What the composer line shows (`│ › text▮   │`), or null when there is no composer on screen. */
  composer(): string | null {
    const line = this.lines().find((l) => l.startsWith('│ › '));
    return line === undefined ? null : line.slice(4).replace(/│\s*$/, '').trimEnd();
  }

  /** When `check` first held on the screen (the arrival time of the output that made it hold). */
  waitFor(what: string, check: Check, timeoutMs: number): Promise<number> {
    if (check()) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${this.lines().join('\n')}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Writes to the program's terminal; returns when it was written. */
  type(data: string): number {
    const at = performance.now();
    this.proc.write(data);
    return at;
  }

  /** SIGTERM (or the given way out), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 3000, how: () => void = () => this.proc.kill('SIGTERM')): Promise<boolean> {
    let clean = !live.has(this);
    if (!clean) {
      how();
      clean = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    }
    if (!clean) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.term.dispose();
    return clean;
  }
}

// The environment corral gets: its own empty home, bash without the machine's dotfiles.
export function environment(home: string, corralHome: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('npm_')) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, CORRAL_HOME: corralHome, SHELL: '/bin/bash', TERM: 'xterm-256color' };
}

/** corral's composer is on screen, empty. */
export const corralReady = (t: Tui) => (): boolean => t.lines().some((l) => l.startsWith('│ › ') && l.includes('Type a message'));
