// Every way corral can end, times every shape of process tree: nothing corral started may be alive 5 s later.
// One corral per exit path runs all four shapes. Processes are found in /proc by the CORRAL_MANAGED marker
// corral sets on every child (with their descendants), and by tokens in their command lines, so that a
// missing marker cannot make the check pass by finding nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Identity, type ScannedProc, hasWord, isAlive, killAll, markedBy, scanAll, withDescendants } from '../helpers/proc-scan.js';
import { CorralPane, TmuxServer, waitFor } from './tmux.js';

/** The bound: a 3 s grace and a margin. */
const GONE_WITHIN_MS = 5000;

const server = new TmuxServer();
const hookDir = mkdtempSync(join(tmpdir(), 'corral-exit-matrix-'));
const seen = new Map<string, Identity>();

beforeAll(() => {
  // The built program has no crash switch: a preloaded module throws from a SIGUSR2 listener, which Node
  // reports as an uncaught exception, the path corral's crash handler takes. It does nothing otherwise.
  const hook = join(hookDir, 'crash-on-usr2.mjs');
  writeFileSync(hook, "process.on('SIGUSR2', () => { throw new Error('exit-matrix: provoked uncaught exception'); });\n");
  server.newSession('sleep 600'); // starts the server, so its global environment can be set for the panes
  server.run('set-environment', '-g', 'NODE_OPTIONS', `--import=${pathToFileURL(hook).href}`);
});

afterAll(() => {
  killAll([...seen.values()]);
  server.kill();
  rmSync(hookDir, { recursive: true, force: true });
});

interface ShapeRun {
  name: string;
  token: string;
  command: string;
}

function shapes(base: number): ShapeRun[] {
  const t = (i: number): string => `${base + i}.${process.pid}`;
  return [
    { name: 'plain', token: t(1), command: `sleep ${t(1)}` },
    { name: 'tree', token: t(2), command: `sh -c 'sleep ${t(2)} & sleep ${t(2)} & wait'` },
    // Survives SIGTERM and the terminal's hang-up: only SIGKILL ends it.
    { name: 'SIGTERM-trapping', token: t(3), command: `trap '' TERM HUP; sleep ${t(3)}` },
    // The subshell exits at once: its setsid child is re-parented, in a session of its own, outside the tree.
    { name: 'setsid escapee', token: t(4), command: `sh -c '(setsid sleep ${t(4)} &); sleep ${t(4)} & wait'` },
  ];
}

/** Processes of `shape` per /proc: its token, or a marker of this run, and every descendant. */
function processesOf(shape: ShapeRun, procs: readonly ScannedProc[]): ScannedProc[] {
  return withDescendants(procs, procs.filter((p) => hasWord(p.args, shape.token)));
}

function remember(procs: readonly ScannedProc[]): void {
  for (const p of procs) seen.set(`${p.pid}/${p.startTime}`, p);
}

type Ending = (c: CorralPane) => Promise<void> | void;

/** How the wrapper shell sees corral end (`$?`), so a row proves it took its path; null: no shell is left to say. */
const STATUS: Record<string, number | null> = {
  '/quit': 0,
  'Ctrl+C twice': 0,
  SIGTERM: 143,
  SIGHUP: 129,
  SIGINT: 130,
  'an uncaught exception': 1,
  SIGKILL: 137,
  'the tmux pane closed': null,
};

const signal =
  (name: NodeJS.Signals): Ending =>
  (c) => {
    process.kill(c.corral.pid, name);
  };

const ENDINGS: [string, Ending][] = [
  ['/quit', (c) => c.submit('/quit')],
  [
    'Ctrl+C twice',
    async (c) => {
      c.keys('C-c');
      await c.waitForScreen(() => c.footer().includes('Press Ctrl+C again to quit'), 5000, 'the quit prompt');
      c.keys('C-c');
    },
  ],
  ['SIGTERM', signal('SIGTERM')],
  ['SIGHUP', signal('SIGHUP')],
  ['SIGINT', signal('SIGINT')],
  ['an uncaught exception', signal('SIGUSR2')],
  ['SIGKILL', signal('SIGKILL')],
  ['the tmux pane closed', (c) => void c.server.run('kill-pane', '-t', c.session)],
];

describe('nothing outlives corral', () => {
  ENDINGS.forEach(([how, end], row) => {
    it(`when it ends by ${how}`, { timeout: 60_000 }, async () => {
      const c = CorralPane.launch(server, { config: '[terminals]\nforeground_window_ms = 250\n' });
      try {
        await c.ready();
        const runs = shapes(70_000 + row * 10);
        for (const s of runs) {
          c.submit(`!${s.command}`);
          const backgrounded = `• Running ${s.command}\n  ↳ still running in the background as [`;
          await c.waitForScreen((screen) => screen.includes(backgrounded), 10_000, `${s.name} in the background`, true);
        }
        // Every shape's processes are there (the escapee too) before corral ends.
        const before = await waitFor(
          () => {
            const procs = scanAll();
            const found = runs.map((s) => processesOf(s, procs));
            return found.every((f, i) => f.length >= (i === 1 || i === 3 ? 3 : 1)) ? procs : null;
          },
          5000,
          'every shape running',
        );
        const corral = before.find((p) => p.pid === c.corral.pid)!;
        const descendants = withDescendants(before, [corral]).filter((p) => p !== corral);
        const ours = [...runs.flatMap((s) => processesOf(s, before)), ...descendants];
        expect(processesOf(runs[3]!, before).some((p) => !descendants.includes(p)), 'the escapee left the tree').toBe(true);
        remember(ours);
        // The marker, once corral sets it, must be on every process of every shape, naming one run.
        const runIds = new Set(ours.flatMap((p) => (p.marker ? [p.marker.split(':')[0]!] : [])));
        expect(runIds.size).toBeLessThanOrEqual(1);
        const runId = [...runIds][0] ?? null;
        if (runId !== null) {
          const unmarked = runs.flatMap((s) => processesOf(s, before)).filter((p) => p.marker === null);
          expect(unmarked.map((p) => p.args), 'processes without the marker').toEqual([]);
        }

        await end(c);
        const status = STATUS[how]!;
        if (status !== null) await c.waitForScreen((s) => s.includes(`CORRAL-EXIT-${status}`), GONE_WITHIN_MS, `corral to exit with ${status}`, true);
        const leftover = (): string[] => {
          const procs = scanAll();
          const marked = runId === null ? [] : markedBy(procs, runId);
          const found = new Map([...marked, ...runs.flatMap((s) => processesOf(s, procs)), ...ours.filter((p) => isAlive(p))].map((p) => [p.pid, p]));
          remember([...found.values()]);
          return [...found.values()].map((p) => `${p.pid} ${p.args}`);
        };
        const gone = await waitFor(() => !isAlive(corral) && leftover().length === 0, GONE_WITHIN_MS, 'every process to end').then(
          () => true,
          () => false,
        );
        const perShape = runs.map((s) => `${s.name}: ${processesOf(s, scanAll()).length} alive`).join(', ');
        expect(gone ? [] : leftover(), `alive ${GONE_WITHIN_MS} ms after corral ended by ${how} (${perShape})`).toEqual([]);
        expect(isAlive(corral), `corral itself, ${GONE_WITHIN_MS} ms after ${how}`).toBe(false);
      } finally {
        await c.dispose();
      }
    });
  });
});
