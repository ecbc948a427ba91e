// The churn idea at a smaller scale, through the built program in tmux: random `!` commands, Ctrl+B, /ps,
// /stop <prefix>, /clean and kills from outside, with the screen (footer, /ps, stop reports) compared with
// /proc after each step. CHURN_SEED replays a run.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveProcessArg } from '../../src/protocol/process-keys.js';
import { Prng, seedFromEnv } from '../churn/prng.js';
import { type Identity, hasWord, isAlive, killAll, scanAll, withDescendants } from '../helpers/proc-scan.js';
import { CorralPane, TmuxServer, escapeRe, linesAfter, waitFor } from './tmux.js';

const STEPS = 100;
const seed = seedFromEnv();
const server = new TmuxServer();
const panes: CorralPane[] = [];
const seen = new Map<string, Identity>();

afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.dispose()));
  killAll([...seen.values()]);
});
afterAll(() => server.kill());

interface Cmd {
  n: number;
  token: string;
  text: string;
  /** Ends by itself within a second. */
  selfExits: boolean;
  id: string | null;
  /** Stopped or cleaned. */
  removed: boolean;
}

const SHAPES: ((t: string, rng: Prng) => { text: string; selfExits: boolean })[] = [
  (t) => ({ text: `sleep ${t}`, selfExits: false }),
  (t) => ({ text: `sh -c 'sleep ${t} & sleep ${t} & wait'`, selfExits: false }),
  (t) => ({ text: `trap '' TERM; sleep ${t}`, selfExits: false }),
  (t, rng) => ({ text: `: ${t}; sleep 0.${rng.int(4, 9)}; exit ${rng.int(0, 3)}`, selfExits: true }),
  (t, rng) => ({ text: `: ${t}; exit ${rng.int(0, 3)}`, selfExits: true }),
];

/** Live processes of a command per /proc: anything carrying its token, with descendants. */
function members(cmd: Cmd): Identity[] {
  const procs = scanAll(false);
  const found = withDescendants(procs, procs.filter((p) => hasWord(p.args, cmd.token)));
  for (const p of found) seen.set(`${p.pid}/${p.startTime}`, p);
  return found;
}

/** A background terminal that ended on its own: announced whenever it happens, between any two lines. */
const EXITED_NOTICE = /^• Background terminal \[\d+\] .* exited · /;

/** The lines after `line`, without exit notices. */
const after = (screen: string, line: string): string[] => linesAfter(screen, line, EXITED_NOTICE);

class Driver {
  readonly cmds: Cmd[] = [];
  readonly log: string[] = [];

  constructor(
    readonly c: CorralPane,
    readonly rng: Prng,
  ) {}

  fail(detail: string): never {
    throw new Error(`churn e2e: seed=${seed}: ${detail}\nlast steps:\n  ${this.log.slice(-10).join('\n  ')}\nreplay: CHURN_SEED=${seed} npx vitest run test/e2e/churn.e2e.test.ts\n--- screen ---\n${this.c.capture()}`);
  }

  listed(): Cmd[] {
    return this.cmds.filter((x) => x.id !== null && !x.removed);
  }

  /** Background terminals whose processes still run (per /proc), that is, what the footer must count. */
  running(): Cmd[] {
    return this.listed().filter((x) => members(x).length > 0);
  }

  async submit(line: string, ready: (out: string[]) => boolean, timeoutMs = 10_000): Promise<string[]> {
    const echoes = (s: string): number => s.split('\n').filter((l) => l === `› ${line}`).length;
    const before = echoes(this.c.capture(true));
    this.c.submit(line);
    const screen = await this.c
      .waitForScreen((s) => echoes(s) > before && ready(after(s, line)), timeoutMs, `the output of ${line}`, true)
      .catch((e: Error) => this.fail(e.message));
    return after(screen, line);
  }

  async start(): Promise<string> {
    const n = this.cmds.length + 1;
    const token = `${80_000 + n}.${process.pid}`;
    const shape = this.rng.pick(SHAPES)(token, this.rng);
    const cmd: Cmd = { n, token, ...shape, id: null, removed: false };
    this.cmds.push(cmd);
    const ctrlB = this.rng.chance(0.5);
    this.c.submit(`!${cmd.text}`);
    const bg = new RegExp(`• Running ${escapeRe(cmd.text)}\\n  ↳ still running in the background as \\[(\\d+)\\]`);
    const ran = new RegExp(`^• Ran ${escapeRe(cmd.text)} · `, 'm');
    if (ctrlB) {
      await this.c.waitForScreen((s) => s.includes(`• Running ${cmd.text}`) || ran.test(s), 10_000, `#${n} running`, true).catch((e: Error) => this.fail(e.message));
      this.c.keys('C-b');
    }
    const screen = await this.c
      .waitForScreen((s) => bg.test(s) || ran.test(s), 10_000, `#${n} backgrounded or finished`, true)
      .catch((e: Error) => this.fail(e.message));
    cmd.id = bg.exec(screen)?.[1] ?? null;
    if (cmd.id === null && members(cmd).length > 0) this.fail(`#${n} ${cmd.text} finished in the foreground, yet runs in /proc`);
    return `start #${n} ${cmd.text}${ctrlB ? ' ctrl+b' : ''} -> ${cmd.id ?? 'finished'}`;
  }

  async ps(): Promise<string> {
    const out = await this.submit('/ps', (o) => o.length > 0 && o[0] === 'Background terminals');
    const running = new Map<string, number>();
    const exited = new Set<string>();
    let inExited = false;
    for (let i = 0; i < out.length; i++) {
      const line = out[i]!;
      if (line === 'Recently exited') inExited = true;
      const entry = /^ {2}• \[(\d+)\] /.exec(line);
      if (!entry) continue;
      if (inExited) exited.add(entry[1]!);
      else running.set(entry[1]!, Number(/pid (\d+)/.exec(out[i + 1] ?? '')?.[1]));
    }
    const expected = this.listed().map((x) => x.id!).sort();
    const shown = [...running.keys(), ...exited].sort();
    if (shown.join() !== expected.join()) this.fail(`/ps shows [${shown.join(', ')}], expected [${expected.join(', ')}]`);
    for (const [id, pid] of running) {
      const cmd = this.cmds.findLast((x) => x.id === id)!; // ids are reused once removed
      // A self-exiting one may end between the list and this look; the others must be alive.
      if (!cmd.selfExits && !members(cmd).some((p) => p.pid === pid)) this.fail(`/ps shows [${id}] running as pid ${pid}, which /proc does not have`);
    }
    for (const id of exited) {
      const cmd = this.cmds.findLast((x) => x.id === id)!; // ids are reused once removed
      if (members(cmd).length > 0) this.fail(`/ps shows [${id}] exited, yet it runs in /proc`);
    }
    return `/ps: ${running.size} running, ${exited.size} exited`;
  }

  async stopOne(): Promise<string | null> {
    const listed = this.listed();
    if (listed.length === 0) return null;
    const cmd = this.rng.pick(listed);
    const keys = listed.map((x) => x.id!);
    let prefix = cmd.id!;
    for (let len = 1; len <= cmd.id!.length; len++) {
      const r = resolveProcessArg(cmd.id!.slice(0, len), keys);
      if (r.kind === 'unique') {
        prefix = cmd.id!.slice(0, len);
        break;
      }
    }
    const before = members(cmd);
    const others = listed.filter((x) => x !== cmd && !x.selfExits).flatMap((x) => members(x));
    const out = await this.submit(`/stop ${prefix}`, (o) => o.length > 0);
    cmd.removed = true;
    const first = out[0] ?? '';
    const stopped = new RegExp(`^Stopped \\[${cmd.id}\\] .* \\((SIGTERM|SIGKILL|exit \\d+|SIG\\w+), [\\d.]+ s\\)$`).test(first);
    const hadExited = first.startsWith(`[${cmd.id}] `) && first.includes(' had already exited (');
    if (!stopped && !hadExited) this.fail(`/stop ${prefix} said: ${first}`);
    const left = before.filter((p) => isAlive(p));
    if (left.length > 0 || members(cmd).length > 0) this.fail(`/stop ${prefix} reported done, but ${left.map((p) => p.pid).join(', ')} still alive`);
    if (hadExited && before.length > 0 && !cmd.selfExits) this.fail(`/stop ${prefix}: "had already exited", but ${before.length} processes ran`);
    const hit = others.filter((p) => !isAlive(p));
    if (hit.length > 0) this.fail(`/stop ${prefix} also ended ${hit.map((p) => p.pid).join(', ')}`);
    return `/stop ${prefix} (#${cmd.n}): ${first}`;
  }

  async clean(): Promise<string | null> {
    const listed = this.listed();
    if (listed.length === 0) return null;
    const before = listed.flatMap((x) => members(x));
    const out = await this.submit('/clean', (o) => o.filter((l) => /^ {2}• /.test(l)).length >= listed.length);
    for (const x of listed) x.removed = true;
    if (out[0] !== 'Stopping all background terminals.') this.fail(`/clean said: ${out[0]}`);
    const reported = out.flatMap((l) => /^ {2}• (?:Stopped )?\[(\d+)\]/.exec(l)?.[1] ?? []).sort();
    const expected = listed.map((x) => x.id!).sort();
    if (reported.join() !== expected.join()) this.fail(`/clean reported [${reported.join(', ')}], expected [${expected.join(', ')}]`);
    const left = before.filter((p) => isAlive(p));
    if (left.length > 0) this.fail(`/clean reported done, but ${left.map((p) => p.pid).join(', ')} still alive`);
    return `/clean ${expected.length}`;
  }

  async kill(): Promise<string | null> {
    const running = this.running().filter((x) => !x.selfExits);
    if (running.length === 0) return null;
    const cmd = this.rng.pick(running);
    for (const p of members(cmd)) if (isAlive(p)) process.kill(p.pid, 'SIGKILL');
    await waitFor(() => members(cmd).length === 0, 5000, `#${cmd.n} killed`).catch((e: Error) => this.fail(e.message));
    return `kill -KILL all of #${cmd.n}`;
  }

  async letExit(): Promise<string | null> {
    const pending = this.running().filter((x) => x.selfExits);
    if (pending.length === 0) return null;
    await waitFor(() => pending.some((x) => members(x).length === 0), 10_000, 'a command to end by itself').catch((e: Error) => this.fail(e.message));
    return `wait for #${pending.map((x) => x.n).join(', #')}`;
  }

  /** The footer counts exactly the terminals that run (allowing the documented lag for exits to show). */
  async checkFooter(): Promise<void> {
    const phrase = (): string => {
      const n = this.running().length;
      return n === 0 ? '! for shell commands' : `${n} background terminal${n === 1 ? '' : 's'} running`;
    };
    await waitFor(() => this.c.footer().trimStart().startsWith(phrase()), 5000, `the footer to say "${phrase()}"`).catch((e: Error) =>
      this.fail(`${e.message}; it says "${this.c.footer().trim()}"`),
    );
  }

  async step(): Promise<string> {
    const op = this.listed().length >= 10 ? 'clean' : this.rng.weighted({ start: 40, ps: 15, stop: 15, clean: 6, kill: 8, wait: 10 });
    const done =
      op === 'ps'
        ? await this.ps()
        : op === 'stop'
          ? await this.stopOne()
          : op === 'clean'
            ? await this.clean()
            : op === 'kill'
              ? await this.kill()
              : op === 'wait'
                ? await this.letExit()
                : null;
    return done ?? (await this.start());
  }
}

describe('churn through the terminal', () => {
  it(`agrees with /proc after each of ${STEPS} random steps`, { timeout: 240_000 }, async () => {
    const c = CorralPane.launch(server, { config: '[terminals]\nforeground_window_ms = 400\n' });
    panes.push(c);
    await c.ready();
    const d = new Driver(c, new Prng(seed));
    for (let n = 1; n <= STEPS; n++) {
      d.log.push(`${n}. ${await d.step()}`);
      await d.checkFooter();
    }
    d.log.push(`${STEPS + 1}. ${(await d.clean()) ?? 'nothing to clean'}`);
    await d.checkFooter();
    console.log(`churn e2e: steps=${STEPS} mismatches=0 seed=${seed}`);
    if (process.env.CHURN_LOG === '1') console.log(d.log.join('\n'));
    expect(d.cmds.flatMap((x) => members(x))).toEqual([]);
    expect(d.log.filter((l) => / \/stop \d+ /.test(l)).length).toBeGreaterThan(0);
  });
});
