// The built program in a real terminal (tmux), driven by keys and checked against the screen and the OS.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../helpers/os.js';
import { CorralPane, type ProcInfo, TmuxServer, escapeRe, ignores, linesAfter, pgrep, procDescendants, stillAlive, waitFor } from './tmux.js';

const server = new TmuxServer();
const panes: CorralPane[] = [];

async function startCorral(config?: string): Promise<CorralPane> {
  const pane = CorralPane.launch(server, config === undefined ? {} : { config });
  panes.push(pane);
  await pane.ready();
  return pane;
}

afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.dispose()));
});

afterAll(() => server.kill());

const after = (screen: string, line: string): string[] => linesAfter(screen, line);

// Sleep durations unique to this test process, so that pgrep never sees another run's (two suites at once).
const RUN = String(process.pid);
const A = `3007${RUN}`;
const TEN = new RegExp(`^sleep 31(0[1-9]|10)${RUN}$`);

/** Submits `line` and returns its output (see `after`) once `ready` accepts it. */
async function command(c: CorralPane, line: string, ready: (output: string[]) => boolean, timeoutMs = 5000): Promise<string[]> {
  const echoes = (screen: string): number => screen.split('\n').filter((l) => l === `› ${line}`).length;
  const before = echoes(c.capture(true));
  c.submit(line);
  const screen = await c.waitForScreen((s) => echoes(s) > before && ready(after(s, line)), timeoutMs, `the output of ${line}`, true);
  return after(screen, line);
}

const countsTerminals = (footer: string): boolean => /\d+ background terminals? running/.test(footer);

/** Starts `!command`, waits for it on screen and returns its background id once it leaves the foreground. */
async function runInBackground(c: CorralPane, command: string, ctrlB: boolean): Promise<string> {
  const re = new RegExp(`• Running ${escapeRe(command)}\\n  ↳ still running in the background as \\[(\\d+)\\]`);
  c.submit(`!${command}`);
  if (ctrlB) {
    await c.waitForScreen((s) => s.includes(`• Running ${command}`), 10_000, `${command} running`);
    c.keys('C-b');
  }
  const screen = await c.waitForScreen((s) => re.test(s), 10_000, `${command} in the background`, true);
  return re.exec(screen)![1]!;
}

/** The one process under corral whose command line is exactly `args`. */
async function childNamed(c: CorralPane, args: string): Promise<ProcInfo> {
  return waitFor(
    () => {
      const found = c.descendants().filter((p) => p.args === args);
      return found.length === 1 ? found[0] : null;
    },
    5000,
    `one "${args}" under corral`,
  );
}

describe('corral in a terminal', () => {
  it('backgrounds a command with Ctrl+B, lists it in /ps and stops it by an id prefix', async () => {
    const c = await startCorral();
    const id = await runInBackground(c, `sleep ${A}`, true);
    expect(id).toMatch(/^[1-9]\d{3,4}$/);
    const proc = await childNamed(c, `sleep ${A}`);
    expect(pgrep(`^sleep ${A}$`)).toEqual([proc.pid]);
    await c.waitForScreen(() => c.footer().startsWith('  1 background terminal running'), 5000, 'the footer counting 1');

    const ps = await command(c, '/ps', (out) => out.length > 0);
    expect(ps[0]).toBe('Background terminals');
    const entry = ps.indexOf(`  • [${id}] sleep ${A}`);
    expect(entry).toBeGreaterThan(0);
    expect(ps[entry + 1]).toMatch(new RegExp(`^    pid ${proc.pid} · cpu [\\d.]+% · rss [\\d.]+ MB · up \\S+ · `));

    const prefix = id.slice(0, 3);
    const stopped = await command(c, `/stop ${prefix}`, (out) => out.length > 0);
    expect(stopped[0]).toMatch(new RegExp(`^Stopped \\[${id}\\] sleep ${A} \\(SIGTERM, [\\d.]+ s\\)$`));
    // Reported stopped means gone: no waiting.
    expect(stillAlive(proc)).toBe(false);
    expect(pgrep(`^sleep ${A}$`)).toEqual([]);
    await c.waitForScreen(() => !countsTerminals(c.footer()), 5000, 'the footer without terminals');
    expect(c.footer()).not.toMatch(/background terminal/);

    const again = await command(c, '/ps', (out) => out.length > 0);
    expect(again.slice(0, 2)).toEqual(['Background terminals', '  • No background terminals running.']);
  });

  it('stops nothing on an ambiguous prefix, then everything on /stop', async () => {
    const c = await startCorral('[terminals]\nforeground_window_ms = 250\n');
    const ids = new Map<string, string>(); // id -> command
    for (let n = 3101; n <= 3110; n++) ids.set(await runInBackground(c, `sleep ${n}${RUN}`, false), `sleep ${n}${RUN}`);
    expect(ids.size).toBe(10);
    const procs = await waitFor(
      () => {
        const found = c.descendants().filter((p) => TEN.test(p.args));
        return found.length === 10 ? found : null;
      },
      5000,
      'ten sleeps under corral',
    );
    await c.waitForScreen(() => c.footer().startsWith('  10 background terminals running'), 5000, 'the footer counting 10');

    // Ten ids, nine possible first digits.
    const byDigit = new Map<string, string[]>();
    for (const id of ids.keys()) byDigit.set(id[0]!, [...(byDigit.get(id[0]!) ?? []), id]);
    const [digit, shared] = [...byDigit].find(([, group]) => group.length >= 2)!;
    const heading = `"${digit}" matches ${shared.length} background terminals, so none was stopped:`;
    const report = await command(c, `/stop ${digit}`, (out) => out.length > 0);
    expect(report[0]).toBe(heading);
    const listed = report.slice(1, 1 + shared.length);
    expect(listed.toSorted()).toEqual(shared.map((id) => `  • [${id}] ${ids.get(id)}`).toSorted());
    expect(report[1 + shared.length] ?? '').not.toMatch(/^ {2}• \[/);
    await sleep(300); // a stop, had one started, would have sent SIGTERM by now
    expect(procs.filter((p) => !stillAlive(p))).toEqual([]);
    expect(pgrep(TEN.source).toSorted()).toEqual(procs.map((p) => p.pid).toSorted());
    expect(c.footer()).toMatch(/^ {2}10 background terminals running/);

    const unknown = await command(c, '/stop 999999', (out) => out.length > 0);
    expect(unknown).toEqual(['No background terminal matches "999999"; nothing stopped.']);
    expect(procs.filter((p) => !stillAlive(p))).toEqual([]);

    const all = await command(c, '/stop', (out) => out.length > 0, 10_000);
    expect(all[0]).toBe('Stopping all background terminals.');
    const lines = all.filter((l) => l.startsWith('  • Stopped ['));
    expect(lines).toHaveLength(10);
    for (const [id, cmd] of ids) {
      expect(lines.some((l) => new RegExp(`^ {2}• Stopped \\[${id}\\] ${cmd} \\(SIGTERM, [\\d.]+ s\\)$`).test(l)), `${id} ${cmd}`).toBe(true);
    }
    expect(procs.filter((p) => stillAlive(p))).toEqual([]);
    expect(pgrep(TEN.source)).toEqual([]);
    await c.waitForScreen(() => !countsTerminals(c.footer()), 5000, 'the footer without terminals');
  });

  it('keeps the composer responsive while `yes` floods, and Ctrl+C ends it', async () => {
    const c = await startCorral();
    c.submit('!yes');
    await c.waitForScreen((s) => s.includes('• Running yes'), 10_000, 'yes running');
    const yes = await childNamed(c, 'yes');
    await c.waitForScreen((s) => s.split('\n').filter((l) => l === '    y').length >= 3, 5000, 'the flood on screen');

    const latencies: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = `zq${randomBytes(4).toString('hex')}`;
      const t0 = performance.now();
      c.type(token);
      await waitFor(() => c.composerLine().includes(token), 5000, `${token} in the composer`, () => c.capture(), 10);
      latencies.push(Math.round(performance.now() - t0));
      c.keys('C-u');
      await waitFor(() => c.composerLine().includes('Type a message'), 5000, 'an empty composer', () => c.capture());
    }
    console.log(`composer latency under a yes flood (ms): ${latencies.join(', ')}`);
    expect(Math.min(...latencies)).toBeLessThan(200);
    expect(stillAlive(yes)).toBe(true);

    c.keys('C-c');
    await c.waitForScreen((s) => /^• Ran yes · SIGINT · /m.test(s), 10_000, 'yes interrupted');
    await waitFor(() => !stillAlive(yes), 5000, 'yes gone');
    expect(procDescendants(c.corral.pid).filter((p) => p.comm === 'yes')).toEqual([]);
    expect(pgrep('yes', true)).not.toContain(yes.pid); // others may run their own yes
    expect(stillAlive(c.corral)).toBe(true);
  });

  async function quitLeavesNothing(quit: (c: CorralPane) => Promise<void> | void, base: number): Promise<void> {
    const c = await startCorral();
    // The first survives SIGTERM and the hang-up of its terminal: only SIGKILL ends it.
    const b = `${RUN}${base}`;
    const commands = [`trap "" TERM HUP; sleep ${b}1`, `sleep ${b}2`, `sleep ${b}3 & sleep ${b}4`];
    for (const cmd of commands) await runInBackground(c, cmd, true);
    const sleeps = await waitFor(
      () => {
        const found = c.descendants().filter((p) => new RegExp(`^sleep ${b}[1-4]$`).test(p.args));
        return found.length === 4 ? found : null;
      },
      5000,
      'four sleeps under corral',
      () => `${c.capture()}\n${JSON.stringify(c.descendants(), null, 1)}`,
    );
    const stubborn = sleeps.find((p) => p.args === `sleep ${b}1`)!;
    expect(ignores(stubborn.pid, 'SIGTERM') && ignores(stubborn.pid, 'SIGHUP')).toBe(true);
    const before = c.descendants();
    await c.waitForScreen(() => c.footer().startsWith('  3 background terminals running'), 5000, 'the footer counting 3');

    await quit(c);
    await c.waitForScreen((s) => s.includes('CORRAL-EXIT-0'), 15_000, 'corral to exit 0');
    await waitFor(() => !stillAlive(c.corral), 5000, 'the corral process gone');
    expect(before.filter((p) => stillAlive(p)).map((p) => `${p.pid} ${p.args}`)).toEqual([]);
    expect(pgrep(`^sleep ${b}[1-4]$`)).toEqual([]);
  }

  it('quits on Ctrl+C twice and leaves no process behind', async () => {
    await quitLeavesNothing(async (c) => {
      c.keys('C-c');
      await c.waitForScreen(() => c.footer() === '  Press Ctrl+C again to quit (stops 3 background terminals)', 5000, 'the quit prompt');
      c.keys('C-c');
    }, 320);
  });

  it('quits on /quit and leaves no process behind', async () => {
    await quitLeavesNothing((c) => c.submit('/quit'), 321);
  });

  it('keeps a child’s title, clipboard and alternate-screen sequences away from the terminal', async () => {
    for (const [option, value] of [
      ['set-clipboard', 'on'],
      ['allow-rename', 'on'],
      ['set-titles', 'on'],
    ] as const) {
      server.run('set-option', '-g', option, value);
    }
    const c = await startCorral();
    const titleBefore = c.format('#{pane_title}');
    const buffers = (): string[] => server.run('list-buffers', '-F', '#{buffer_name}: #{buffer_sample}').split('\n').filter(Boolean);
    const buffersBefore = buffers();
    expect(titleBefore).not.toContain('PWNED');
    expect(c.format('#{alternate_on}')).toBe('0');

    const printf = String.raw`printf '\033]0;PWNED-TITLE\007\033]2;PWNED2\007\033]52;c;UFdORUQ=\007\033[?1049hhello-after-osc\n'`;
    c.submit(`!${printf}`);
    const screen = await c.waitForScreen((s) => /^• Ran printf .* · exit 0 · /m.test(s), 10_000, 'printf finished');
    const lines = screen.split('\n');
    const cell = lines.findIndex((l) => l.startsWith('• Ran printf '));
    expect(lines[cell + 1]).toBe('  └ hello-after-osc');
    await sleep(200); // let tmux process anything that might have leaked
    expect(c.format('#{pane_title}')).toBe(titleBefore);
    expect(buffers()).toEqual(buffersBefore);
    expect(c.format('#{alternate_on}')).toBe('0');
    // Only the echoed command line may mention it: the bytes were interpreted, not shown or passed on.
    expect(c.lines().filter((l) => l.includes('PWNED') && !l.startsWith('• Ran printf '))).toEqual([]);

    // Control: the same bytes printed straight into a pane do change this server's title and clipboard.
    server.run('new-window', '-d', '-t', `${c.session}:`, '-n', 'control', `${printf}; sleep 30`);
    await waitFor(() => c.server.run('display-message', '-p', '-t', `${c.session}:control`, '#{pane_title}').trim() === 'PWNED2', 5000, 'the control title');
    expect(buffers().some((b) => b.includes('PWNED'))).toBe(true);
  });
});
