// The churn test's operations on a real session. Each returns a line for the log (null: nothing to act on), and
// throws a Mismatch the moment corral says something /proc contradicts (a stop that left a process, a report
// that lies).
import { resolveProcessArg } from '../../src/exec/index.js';
import { type Identity, type ScannedProc, isAlive } from '../helpers/proc-scan.js';
import { waitUntil } from '../helpers/os.js';
import { LAG_BOUND_MS } from './checks.js';
import type { Prng } from './prng.js';
import { INTERACTIVE_QUIT, SHAPE_WEIGHTS, bySignal, makeShape, tokenFor } from './shapes.js';
import type { ChurnWorld, Cmd } from './world.js';

export class Mismatch extends Error {
  override name = 'Mismatch';
}

const must = (ok: boolean, message: string): void => {
  if (!ok) throw new Mismatch(message);
};

const until = async (ok: () => boolean, what: string, ms = LAG_BOUND_MS): Promise<void> => {
  must(await waitUntil(ok, ms), `${what} (waited ${ms} ms)`);
};

const ident = (p: ScannedProc): Identity => ({ pid: p.pid, startTime: p.startTime });
const aliveOf = (ids: readonly Identity[]): Identity[] => ids.filter((id) => isAlive(id));

/** Running background terminals, per corral's list. */
async function listed(w: ChurnWorld): Promise<Cmd[]> {
  const page = await w.session.terminals.list(w.threadId, null, 500);
  return page.data.flatMap((r) => w.byProcessId(r.processId) ?? []);
}

export async function startCommand(w: ChurnWorld, rng: Prng): Promise<string> {
  const n = w.cmds.length + 1;
  const token = tokenFor(n);
  const shape = makeShape(rng.weighted(SHAPE_WEIGHTS), token, rng);
  const cmd = w.start(n, token, shape);
  must(cmd.processId !== null, `#${n} ${shape.command}: no process started`);
  const ctrlB = rng.chance(0.4);
  if (ctrlB) w.session.backgroundShellCommand(w.threadId, cmd.itemId);
  await until(() => cmd.completed !== null || cmd.backgrounded, `#${n} ${shape.command}: neither completed nor backgrounded`, 15_000);
  if (cmd.backgrounded && !cmd.completed && shape.settledMembers > 0) {
    // Let the tree form before the next step may kill parts of it (the test's model needs the whole tree).
    const settled = (members: ScannedProc[]): boolean =>
      members.length >= shape.settledMembers && (shape.settledArgs === undefined || members.some((p) => p.args === shape.settledArgs));
    await until(() => settled(w.members(cmd, w.scan())), `#${n} ${shape.command}: its tree never formed`);
  }
  return `start #${n} ${shape.name} [${cmd.processId}]${ctrlB ? ' ctrl+b' : ''} -> ${cmd.completed ? 'completed' : 'background'}`;
}

/** The shortest prefix of `key` that resolves to it alone among `keys`. */
function uniquePrefix(key: string, keys: string[]): string {
  for (let len = 1; len <= key.length; len++) {
    const r = resolveProcessArg(key.slice(0, len), keys);
    if (r.kind === 'unique' && r.key === key) return key.slice(0, len);
  }
  return key;
}

export async function stopOne(w: ChurnWorld, rng: Prng, byPrefix: boolean): Promise<string | null> {
  const all = await listed(w);
  if (all.length === 0) return null;
  const cmd = rng.pick(all);
  const id = cmd.processId!;
  const keys = all.map((c) => c.processId!);
  let query = id;
  if (byPrefix) {
    // Now and then an ambiguous prefix first: it must resolve to nothing, and so stop nothing.
    const digit = id[0]!;
    const sharing = keys.filter((k) => k.startsWith(digit));
    if (sharing.length > 1 && rng.chance(0.3)) {
      const r = resolveProcessArg(digit, keys);
      must(r.kind === 'ambiguous' && r.candidates.join() === sharing.sort((a, b) => Number(a) - Number(b)).join(), `prefix "${digit}" of [${keys.join(', ')}] resolved to ${JSON.stringify(r)}`);
    }
    query = uniquePrefix(id, keys);
    const r = resolveProcessArg(query, keys);
    must(r.kind === 'unique' && r.key === id, `prefix "${query}" resolved to ${JSON.stringify(r)}, not ${id}`);
  }

  const procs = w.scan();
  const members = w.members(cmd, procs).map(ident);
  // Untouched and not ending by itself: what the stop finds and reports is known in advance.
  const untouched = !cmd.completed && !cmd.shape.selfExits && !cmd.touched && cmd.leader !== null && isAlive(cmd.leader);
  // Settled: exited, and nothing of it left (the last check agreed); a stop then finds nothing to end.
  const settled = cmd.completed !== null && members.length === 0;
  // Exactly the asked one is stopped: the others' processes must all survive (those that cannot end alone).
  const others = all.filter((c) => c !== cmd && !c.completed && !c.shape.selfExits && !c.touched);
  const othersBefore = others.flatMap((c) => w.members(c, procs).map(ident));

  const r = await w.session.terminals.terminate(w.threadId, id);
  cmd.removed = true;
  const what = `stop [${query}] of #${cmd.n} ${cmd.shape.name}`;
  must(r !== false, `${what}: the session did not know it`);
  if (r === false) return what;
  must(r.processId === id, `${what}: reported ${r.processId}`);
  must(r.survivors.length === 0, `${what}: survivors ${r.survivors.join(', ')}`);
  const left = aliveOf(members);
  must(left.length === 0, `${what}: reported done, but ${left.map((p) => p.pid).join(', ')} still alive`);
  const stray = w.members(cmd, w.scan());
  must(stray.length === 0, `${what}: reported done, but /proc has ${stray.map((p) => `${p.pid} ${p.args}`).join('; ')}`);
  if (untouched || settled) {
    must(r.wasRunning === untouched && r.terminated === untouched, `${what}: wasRunning ${r.wasRunning}, terminated ${r.terminated} with ${members.length} processes running`);
  }
  if (untouched) must(r.endedBy === cmd.shape.onStop.endedBy, `${what}: ended by ${r.endedBy}, expected ${cmd.shape.onStop.endedBy}`);
  if (settled) must(r.endedBy === 'exited', `${what}: ended by ${r.endedBy}, but it had exited`);
  const othersGone = othersBefore.filter((p) => !isAlive(p));
  must(othersGone.length === 0, `${what}: also ended ${othersGone.map((p) => p.pid).join(', ')} of other terminals`);
  await until(() => cmd.completed !== null, `${what}: its item never completed`);
  if (untouched) {
    must(cmd.completed!.stopped === true, `${what}: its item is not marked stopped`);
    cmd.expect = cmd.shape.onStop.outcome;
  } else if (cmd.completed!.stopped) cmd.expect = null; // ended during the stop: by itself or by the signal
  return `${what} -> ${r.endedBy}`;
}

export async function stopAll(w: ChurnWorld): Promise<string | null> {
  const all = await listed(w);
  if (all.length === 0) return null;
  const procs = w.scan();
  const before = new Map(all.map((c) => [c.processId!, w.members(c, procs).map(ident)]));
  const untouched = new Set(all.filter((c) => !c.shape.selfExits && !c.touched && !c.completed && (before.get(c.processId!)?.length ?? 0) > 0));
  const ended = new Set(all.filter((c) => c.completed !== null && (before.get(c.processId!)?.length ?? 0) === 0));
  const reports = await w.session.terminals.clean(w.threadId);
  for (const c of all) c.removed = true;
  const ids = [...before.keys()].sort();
  const reported = reports.map((r) => r.processId).sort();
  must(reported.join() === ids.join(), `clean: reported [${reported.join(', ')}], listed [${ids.join(', ')}]`);
  for (const r of reports) {
    const cmd = w.byProcessId(r.processId)!;
    must(r.survivors.length === 0, `clean [${r.processId}]: survivors ${r.survivors.join(', ')}`);
    // Only where the answer cannot depend on timing: an untouched long runner, or an exited one with nothing left.
    if (ended.has(cmd)) must(!r.wasRunning, `clean [${r.processId}]: wasRunning, but nothing of it ran`);
    if (untouched.has(cmd)) {
      must(r.wasRunning && r.terminated && r.endedBy === cmd.shape.onStop.endedBy, `clean [${r.processId}] #${cmd.n} ${cmd.shape.name}: ${JSON.stringify(r)}`);
    }
  }
  const left = aliveOf([...before.values()].flat());
  must(left.length === 0, `clean: reported done, but ${left.map((p) => p.pid).join(', ')} still alive`);
  await until(() => all.every((c) => c.completed !== null), 'clean: not every item completed');
  // A stop's outcome is known for the untouched long runners; for the rest it depends on timing.
  for (const c of all) c.expect = untouched.has(c) ? c.shape.onStop.outcome : c.completed?.stopped ? null : c.expect;
  return `clean ${ids.length}`;
}

export async function letExit(w: ChurnWorld): Promise<string | null> {
  const pending = (await listed(w)).filter((c) => c.shape.selfExits && !c.completed);
  if (pending.length === 0) return null;
  await until(() => pending.some((c) => c.completed !== null), `wait: none of #${pending.map((c) => c.n).join(', #')} ended by itself`, 15_000);
  return `wait: #${pending.filter((c) => c.completed).map((c) => c.n).join(', #')} exited`;
}

export async function killFromOutside(w: ChurnWorld, rng: Prng): Promise<string | null> {
  const procs = w.scan();
  const candidates = (await listed(w)).filter((c) => !c.completed && w.members(c, procs).length > 0);
  if (candidates.length === 0) return null;
  const cmd = rng.pick(candidates);
  const victim = rng.pick(w.members(cmd, procs));
  const signal = rng.pick(['SIGKILL', 'SIGTERM'] as const);
  const isLeader = cmd.leader !== null && victim.pid === cmd.leader.pid;
  if (!isAlive(victim)) return null;
  process.kill(victim.pid, signal);
  cmd.touched = true;
  if (!isLeader) cmd.expect = null; // the shell's exit now depends on timing
  else if (cmd.shape.name === 'trapIgnore' && signal === 'SIGTERM') return `kill ${signal} leader of #${cmd.n} (ignored)`;
  else {
    cmd.expect = cmd.shape.name === 'trapExit' && signal === 'SIGTERM' ? { exitCode: 7, signal: null } : bySignal(signal, signal === 'SIGKILL' ? 9 : 15);
    await until(() => cmd.completed !== null, `kill ${signal} of the leader of #${cmd.n}: its item never completed`);
  }
  return `kill ${signal} ${isLeader ? 'leader' : `member ${victim.args}`} of #${cmd.n}`;
}

async function interactiveOnes(w: ChurnWorld): Promise<Cmd[]> {
  return (await listed(w)).filter((c) => c.shape.name === 'interactive' && !c.completed && c.expect !== null);
}

export async function writeInput(w: ChurnWorld, rng: Prng, step: number): Promise<string | null> {
  const ready = await interactiveOnes(w);
  if (ready.length === 0) return null;
  const cmd = rng.pick(ready);
  if (rng.chance(0.25)) {
    w.manager.send(cmd.processId!, 'quit\n');
    cmd.touched = true;
    cmd.expect = INTERACTIVE_QUIT;
    await until(() => cmd.completed !== null, `write quit to #${cmd.n}: it never completed`);
    return `write quit to #${cmd.n}`;
  }
  const word = `w${cmd.n}s${step}`;
  w.manager.send(cmd.processId!, `${word}\n`);
  await until(() => cmd.output.includes(`got:${word}`), `write to #${cmd.n}: no "got:${word}" in its output`);
  return `write ${word} to #${cmd.n}`;
}

export async function resize(w: ChurnWorld, rng: Prng): Promise<string> {
  const cols = rng.int(40, 200);
  const rows = rng.int(10, 60);
  w.session.resizeTerminals(w.threadId, cols, rows);
  const readers = await interactiveOnes(w);
  for (const cmd of readers) {
    cmd.output = '';
    w.manager.send(cmd.processId!, 'size\n');
    await until(() => cmd.output.includes(`${rows} ${cols}`), `resize to ${cols}x${rows}: #${cmd.n} reports another size`);
  }
  return `resize ${cols}x${rows} (${readers.length} checked)`;
}
