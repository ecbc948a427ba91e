// command/exec with a real ProcessManager and real processes: the service is called directly, as the
// app-server would, with connections that record (and schema-check) what they are sent.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessManager } from '../../src/exec/index.js';
import { readProcStatSync } from '../../src/exec/proc.js';
import { type ConnectionHandle, CommandExecService, TIMEOUT_EXIT_CODE } from '../../src/protocol/command-exec.js';
import { outputDeltaJson } from '../../src/protocol/command-exec-output.js';
import type { CommandExecOutputDeltaData, CommandExecParamsInput } from '../../src/protocol/command-exec-shapes.js';
import { useManager } from '../helpers/manager.js';
import { psTable, waitUntil } from '../helpers/os.js';
import { expectValid } from '../helpers/schemas.js';

const manager = useManager({ graceMs: 300 });

let nextConn = 0;

/** A connection that records its deltas; `full` makes it report a full buffer until `drain()`. */
function connection(opts: { full?: boolean } = {}) {
  const deltas: CommandExecOutputDeltaData[] = [];
  let full = opts.full ?? false;
  let waiting: (() => void)[] = [];
  const conn: ConnectionHandle = {
    id: `test-${++nextConn}`,
    notify: (method, params) => {
      expect(method).toBe('command/exec/outputDelta');
      expectValid('CommandExecOutputDeltaNotification', params);
      deltas.push(params);
      return !full;
    },
    drained: () => new Promise<void>((resolve) => (full ? waiting.push(resolve) : resolve())),
  };
  const bytes = (processId: string, stream: 'stdout' | 'stderr'): Buffer =>
    Buffer.concat(deltas.filter((d) => d.processId === processId && d.stream === stream).map((d) => Buffer.from(d.deltaBase64, 'base64')));
  const drain = (): void => {
    full = false;
    for (const w of waiting) w();
    waiting = [];
  };
  return { conn, deltas, text: (id: string, s: 'stdout' | 'stderr' = 'stdout') => bytes(id, s).toString('utf8'), bytes, drain };
}

function service(m: ProcessManager = manager()) {
  const s = new CommandExecService(m);
  return {
    s,
    /** A valid request: its params and its response are checked against Codex's schemas. */
    exec: async (conn: ConnectionHandle, params: CommandExecParamsInput) => {
      expectValid('CommandExecParams', params);
      const r = await s.exec(conn, params);
      expectValid('CommandExecResponse', r);
      return r;
    },
  };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** A unique sleep, so the OS-level checks find only this test's processes. */
const marker = (): string => `${900 + Math.floor(Math.random() * 90)}.${Date.now() % 100000}${Math.floor(Math.random() * 1000)}`;
const sleepers = (m: string): number[] => psTable().filter((r) => r.args === `sleep ${m}` && !r.stat.startsWith('Z')).map((r) => r.pid);

async function rejection(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code: number; message: string },
  );
  expect(err, 'expected the request to fail').not.toBeNull();
  return err!;
}

describe('command/exec on pipes', () => {
  it('runs an argv without a shell and keeps stdout and stderr apart', async () => {
    const { exec } = service();
    const { conn, deltas } = connection();
    const r = await exec(conn, { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(r).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(deltas).toEqual([]);
    // No shell in between: the argument arrives as written.
    expect((await exec(conn, { command: ['printf', '%s|', '$HOME', 'a b'] })).stdout).toBe('$HOME|a b|');
  });

  it('streams output as deltas and does not repeat it in the response', async () => {
    const { exec } = service();
    const { conn, deltas, text } = connection();
    const r = await exec(conn, { command: ['sh', '-c', 'printf abc; printf xyz >&2; printf def'], processId: 'p1', streamStdoutStderr: true });
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(text('p1')).toBe('abcdef');
    expect(text('p1', 'stderr')).toBe('xyz');
    expect(deltas.every((d) => !d.capReached)).toBe(true);
  });

  it('takes stdin through write and closeStdin', async () => {
    const { s, exec } = service();
    const { conn } = connection();
    const done = exec(conn, { command: ['cat'], processId: 'cat', streamStdin: true });
    expectValid('CommandExecWriteParams', { processId: 'cat', deltaBase64: b64('hello ') });
    const w = await s.write(conn, { processId: 'cat', deltaBase64: b64('hello ') });
    expectValid('CommandExecWriteResponse', w);
    await s.write(conn, { processId: 'cat', deltaBase64: b64('wörld'), closeStdin: true });
    expect(await done).toEqual({ exitCode: 0, stdout: 'hello wörld', stderr: '' });
  });

  it('refuses input to a process started without streamStdin, and an exited one', async () => {
    const { s, exec } = service();
    const { conn } = connection();
    const done = exec(conn, { command: ['sleep', '5'], processId: 'quiet' });
    const err = await rejection(s.write(conn, { processId: 'quiet', deltaBase64: b64('x') }));
    expect(err.code).toBe(-32600);
    expect(err.message).toMatch(/stdin streaming is not enabled/);
    expect((await rejection(s.resize(conn, { processId: 'quiet', size: { rows: 5, cols: 5 } }))).message).toMatch(/no terminal/);
    await s.terminate(conn, { processId: 'quiet' });
    expect((await done).exitCode).toBe(143);
  });

  it('sets and unsets environment variables (null unsets)', async () => {
    const { exec } = service();
    const { conn } = connection();
    expect(process.env.HOME).toBeTruthy();
    const r = await exec(conn, { command: ['sh', '-c', 'echo "${HOME-unset}:$FOO"'], env: { HOME: null, FOO: 'bar' } });
    expect(r.stdout).toBe('unset:bar\n');
  });

  it('runs in the given cwd and refuses one that does not exist', async () => {
    const { s, exec } = service();
    const { conn } = connection();
    const dir = mkdtempSync(join(tmpdir(), 'corral-exec-'));
    expect((await exec(conn, { command: ['pwd'], cwd: dir })).stdout).toBe(`${dir}\n`);
    const err = await rejection(s.exec(conn, { command: ['pwd'], cwd: join(dir, 'missing') }));
    expect(err.code).toBe(-32600);
    expect(err.message).toContain('working directory does not exist');
    expect((await rejection(s.exec(conn, { command: ['/nonexistent/program'] }))).message).toContain('/nonexistent/program');
  });

  it('lists its process in the registry file while it runs', async () => {
    const home = mkdtempSync(join(tmpdir(), 'corral-home-'));
    const { s, exec } = service(manager({ home }));
    const { conn } = connection();
    const m = marker();
    const done = exec(conn, { command: ['sleep', m], processId: 'reg' });
    const file = join(home, 'run', `${process.pid}.json`);
    const listed = (): boolean => existsSync(file) && readFileSync(file, 'utf8').includes(`sleep ${m}`);
    expect(await waitUntil(listed, 5000)).toBe(true);
    await s.terminate(conn, { processId: 'reg' });
    await done;
    expect(listed()).toBe(false);
  });
});

describe('command/exec under a PTY', () => {
  it('merges output into stdout, applies size and resize, in request order', async () => {
    const { s, exec } = service();
    const { conn, text } = connection();
    const done = exec(conn, {
      command: ['sh', '-c', 'stty size; read x; echo "got $x"; stty size'],
      processId: 'tty',
      tty: true,
      size: { rows: 30, cols: 100 },
    });
    expect(await waitUntil(() => text('tty').includes('30 100'), 5000)).toBe(true);
    // Not awaited: the resize must take effect before the input that follows it.
    const resized = s.resize(conn, { processId: 'tty', size: { rows: 40, cols: 120 } });
    const wrote = s.write(conn, { processId: 'tty', deltaBase64: b64('go\n') });
    expectValid('CommandExecResizeResponse', await resized);
    await wrote;
    const r = await done;
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(text('tty')).toMatch(/30 100\r\n[\s\S]*got go\r\n40 120\r\n/);
    expect(text('tty', 'stderr')).toBe('');
  });
});

describe('command/exec termination', () => {
  for (const tty of [false, true]) {
    it(`terminate ends the whole tree (${tty ? 'PTY' : 'pipes'}), checked at OS level`, async () => {
      const { s, exec } = service();
      const { conn } = connection();
      const m = marker();
      const done = exec(conn, { command: ['sh', '-c', `sleep ${m} & sleep ${m}`], processId: 'tree', tty });
      expect(await waitUntil(() => sleepers(m).length === 2, 5000)).toBe(true);
      const t = await s.terminate(conn, { processId: 'tree' });
      expectValid('CommandExecTerminateResponse', t);
      expect(sleepers(m)).toEqual([]);
      expect((await done).exitCode).toBe(143); // 128 + SIGTERM
      expect((await rejection(s.terminate(conn, { processId: 'tree' }))).message).toContain('no active command/exec for process id: tree');
    });
  }

  it('times out at timeoutMs: the tree is ended and the exit code is 124', async () => {
    const { exec } = service();
    const { conn } = connection();
    const m = marker();
    const started = Date.now();
    const r = await exec(conn, { command: ['sh', '-c', `echo before; sleep ${m} & sleep ${m}`], timeoutMs: 500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(r).toEqual({ exitCode: TIMEOUT_EXIT_CODE, stdout: 'before\n', stderr: '' });
    expect(sleepers(m)).toEqual([]);
  });

  it('times out after 10 s by default', async () => {
    const { exec } = service();
    const { conn } = connection();
    const m = marker();
    const started = Date.now();
    const r = await exec(conn, { command: ['sleep', m] });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(10_000);
    expect(took).toBeLessThan(20_000);
    expect(r.exitCode).toBe(TIMEOUT_EXIT_CODE);
    expect(sleepers(m)).toEqual([]);
  }, 40_000);

  it('ends what a command left running when it exits', async () => {
    const { exec } = service();
    const { conn } = connection();
    const m = marker();
    const r = await exec(conn, { command: ['sh', '-c', `sleep ${m} >/dev/null 2>&1 & echo started`], disableTimeout: true });
    expect(r).toEqual({ exitCode: 0, stdout: 'started\n', stderr: '' });
    expect(sleepers(m)).toEqual([]);
  });
});

describe('command/exec output caps', () => {
  it('cuts a stream at outputBytesCap, says so on the delta that reaches it, and lets the process run on', async () => {
    const { exec } = service();
    const { conn, deltas, text } = connection();
    const dir = mkdtempSync(join(tmpdir(), 'corral-cap-'));
    const script = `printf 0123456789ABCDEF; printf xy >&2; sleep 0.1; printf more; echo after > ${dir}/done`;
    const r = await exec(conn, { command: ['sh', '-c', script], processId: 'cap', streamStdoutStderr: true, outputBytesCap: 10 });
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(text('cap')).toBe('0123456789');
    expect(text('cap', 'stderr')).toBe('xy');
    const out = deltas.filter((d) => d.stream === 'stdout');
    expect(out.at(-1)!.capReached).toBe(true);
    expect(out.slice(0, -1).every((d) => !d.capReached)).toBe(true);
    expect(deltas.filter((d) => d.stream === 'stderr').every((d) => !d.capReached)).toBe(true);
    expect(readFileSync(join(dir, 'done'), 'utf8')).toBe('after\n'); // it kept running past the cap
  });

  it('cuts buffered output at the cap, 1 MiB per stream by default, without blocking the process', async () => {
    const { exec } = service();
    const { conn } = connection();
    const small = await exec(conn, { command: ['sh', '-c', 'printf 0123456789; printf abcdef >&2'], outputBytesCap: 4 });
    expect(small).toEqual({ exitCode: 0, stdout: '0123', stderr: 'abcd' });
    const big = await exec(conn, { command: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" a; head -c 1000 /dev/zero | tr "\\0" b >&2'] });
    expect(big.exitCode).toBe(0);
    expect(big.stdout).toBe('a'.repeat(1024 * 1024));
    expect(big.stderr).toBe('b'.repeat(1000));
    const all = await exec(conn, { command: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" a'], disableOutputCap: true });
    expect(all.stdout.length).toBe(3_000_000);
  });

  for (const tty of [false, true]) {
    it(`waits for a slow reader (${tty ? 'PTY' : 'pipes'}): output pauses instead of piling up, and nothing is lost`, async () => {
      const { exec } = service();
      const slow = connection({ full: true });
      const dir = mkdtempSync(join(tmpdir(), 'corral-slow-'));
      const size = 6_000_000 + Math.floor(Math.random() * 1000);
      const done = exec(slow.conn, {
        command: ['sh', '-c', `head -c ${size} /dev/zero; touch ${dir}/finished`],
        processId: 'slow',
        streamStdoutStderr: true,
        disableOutputCap: true,
        tty,
      });
      const head = (): number | undefined => psTable().find((r) => r.args === `head -c ${size} /dev/zero`)?.pid;
      // The writer ends up asleep on a full pipe, its written count no longer moving.
      let last = -1;
      let still = 0;
      const blocked = (): boolean => {
        const pid = head();
        if (pid === undefined) return false;
        const io = ((): string => {
          try {
            return readFileSync(`/proc/${pid}/io`, 'utf8');
          } catch {
            return ''; // it just exited
          }
        })();
        const written = Number(/wchar:\s*(\d+)/.exec(io)?.[1] ?? -1);
        still = written === last && readProcStatSync(pid)?.state === 'S' ? still + 1 : 0;
        last = written;
        return still >= 5;
      };
      expect(await waitUntil(blocked, 10_000, 50)).toBe(true);
      expect(last).toBeLessThan(size);
      expect(existsSync(join(dir, 'finished'))).toBe(false);
      const received = slow.bytes('slow', 'stdout').length;
      expect(received).toBeLessThan(2 * 1024 * 1024);
      slow.drain();
      expect(await done).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(slow.bytes('slow', 'stdout').length).toBe(size);
      expect(existsSync(join(dir, 'finished'))).toBe(true);
    });
  }
});

describe('command/exec requests', () => {
  it('refuses bad parameter combinations with -32602, naming the field', async () => {
    const { s } = service();
    const { conn } = connection();
    const cases: [CommandExecParamsInput, string][] = [
      [{ command: ['true'], outputBytesCap: 10, disableOutputCap: true }, 'outputBytesCap: cannot be combined with disableOutputCap'],
      [{ command: ['true'], timeoutMs: 10, disableTimeout: true }, 'timeoutMs: cannot be combined with disableTimeout'],
      [{ command: [] }, 'command: must not be empty'],
      [{ command: ['true'], tty: true }, 'processId: required'],
      [{ command: ['true'], streamStdin: true }, 'processId: required'],
      [{ command: ['true'], processId: 'x', size: { rows: 10, cols: 10 } }, 'size: only valid when tty is true'],
      [{ command: ['true'], sandboxPolicy: { type: 'readOnly' } }, 'sandboxPolicy: corral has no sandbox'],
      [{ command: ['true'], timeoutMs: -1 }, 'timeoutMs'],
    ];
    for (const [params, message] of cases) {
      const err = await rejection(s.exec(conn, params));
      expect(err.code, JSON.stringify(params)).toBe(-32602);
      expect(err.message).toContain(message);
    }
    const bad = await rejection(s.write(conn, { processId: 'x', deltaBase64: '%%%' }));
    expect(bad.code).toBe(-32602);
    expect(bad.message).toContain('deltaBase64');
  });

  it('refuses unknown and duplicate process ids with -32600', async () => {
    const { s, exec } = service();
    const { conn } = connection();
    for (const call of [
      s.write(conn, { processId: 'nope', deltaBase64: b64('x') }),
      s.resize(conn, { processId: 'nope', size: { rows: 10, cols: 10 } }),
      s.terminate(conn, { processId: 'nope' }),
    ]) {
      const err = await rejection(call);
      expect(err).toMatchObject({ code: -32600, message: 'no active command/exec for process id: nope' });
    }
    const done = exec(conn, { command: ['sleep', '5'], processId: 'dup' });
    const err = await rejection(s.exec(conn, { command: ['true'], processId: 'dup' }));
    expect(err).toMatchObject({ code: -32600, message: 'duplicate active command/exec process id: dup' });
    // Process ids are per connection: another one may use the same id.
    const other = connection();
    expect((await exec(other.conn, { command: ['true'], processId: 'dup' })).exitCode).toBe(0);
    await s.terminate(conn, { processId: 'dup' });
    await done;
    // Once it has ended the id is free again.
    expect((await exec(conn, { command: ['true'], processId: 'dup' })).exitCode).toBe(0);
  });

  it('applies write, terminate and write sent back to back in the order they were sent', async () => {
    const { s, exec } = service();
    const { conn, text } = connection();
    const done = exec(conn, { command: ['cat'], processId: 'ord', streamStdin: true, streamStdoutStderr: true });
    const writes = ['a', 'b', 'c', 'd'].map((x, i) => s.write(conn, { processId: 'ord', deltaBase64: b64(x), closeStdin: i === 3 }));
    await Promise.all(writes);
    expect((await done).exitCode).toBe(0);
    expect(text('ord')).toBe('abcd');

    const again = exec(conn, { command: ['cat'], processId: 'ord2', streamStdin: true });
    const first = s.write(conn, { processId: 'ord2', deltaBase64: b64('one') });
    const stop = s.terminate(conn, { processId: 'ord2' });
    const late = s.write(conn, { processId: 'ord2', deltaBase64: b64('two') });
    await first;
    await stop;
    // Looked up on arrival (the process was there), applied after the terminate: it has exited by then.
    const err = await rejection(late);
    expect(err.code).toBe(-32600);
    expect(err.message).toContain('has exited');
    expect((await again).exitCode).toBe(143);
  });

  it('closeConnection ends that connection’s processes, verified, and not another’s', async () => {
    const { s, exec } = service();
    const a = connection();
    const b = connection();
    const ma = marker();
    const mb = marker();
    const doneA = exec(a.conn, { command: ['sh', '-c', `sleep ${ma} & sleep ${ma}`], processId: 'x', disableTimeout: true });
    const doneAnon = exec(a.conn, { command: ['sleep', ma], disableTimeout: true });
    const doneB = exec(b.conn, { command: ['sleep', mb], processId: 'x', disableTimeout: true });
    expect(await waitUntil(() => sleepers(ma).length === 3 && sleepers(mb).length === 1, 5000)).toBe(true);
    await s.closeConnection(a.conn.id);
    expect(sleepers(ma)).toEqual([]);
    expect(sleepers(mb).length).toBe(1);
    expect((await doneA).exitCode).toBe(143);
    expect((await doneAnon).exitCode).toBe(143);
    await s.terminate(b.conn, { processId: 'x' });
    expect((await doneB).exitCode).toBe(143);
    expect(sleepers(mb)).toEqual([]);
  });
});

describe('command/exec/outputDelta on the wire', () => {
  it('writes the same JSON line as JSON.stringify would, escaping the process id', () => {
    const cases: CommandExecOutputDeltaData[] = [
      { processId: 'p-1', stream: 'stdout', deltaBase64: Buffer.from('hello\n').toString('base64'), capReached: false },
      { processId: 'quote " back \\ slash \n é', stream: 'stderr', deltaBase64: '', capReached: true },
    ];
    for (const params of cases) {
      const line = outputDeltaJson(params);
      expect(line).toBe(JSON.stringify({ method: 'command/exec/outputDelta', params }));
      expectValid('CommandExecOutputDeltaNotification', (JSON.parse(line) as { params: unknown }).params);
    }
  });
});
