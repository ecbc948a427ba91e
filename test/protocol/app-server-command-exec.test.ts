// command/exec through `corral app-server` as built, over real pipes: buffered and streamed results, requests
// on one process taking effect in the order sent, and a disconnect ending every process of the connection.
// Every message is checked against Codex's schemas.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive, waitUntil } from '../helpers/os.js';
import { type RpcClient, type StdioServer, startStdioServer } from '../helpers/rpc-client.js';
import { expectValid } from '../helpers/schemas.js';

const running: StdioServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function server(): Promise<{ s: StdioServer; c: RpcClient }> {
  const s = startStdioServer({ CORRAL_HOME: mkdtempSync(join(tmpdir(), 'corral-command-exec-')) });
  running.push(s);
  await s.client.initialize();
  return { s, c: s.client };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** All streamed output of one process, decoded, with every delta validated. */
function streamed(c: RpcClient, processId: string): string {
  const deltas = c.notifications('command/exec/outputDelta').filter((d) => d.processId === processId);
  for (const d of deltas) expectValid('CommandExecOutputDeltaNotification', d);
  return deltas.map((d) => Buffer.from(String(d.deltaBase64), 'base64').toString('utf8')).join('');
}

async function exec(c: RpcClient, params: Record<string, unknown>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  expectValid('CommandExecParams', params);
  const result = await c.ok<{ exitCode: number; stdout: string; stderr: string }>('command/exec', params);
  expectValid('CommandExecResponse', result);
  return result;
}

describe('command/exec over stdio', () => {
  it('returns buffered stdout, stderr and the exit code', async () => {
    const { c } = await server();
    const r = await exec(c, { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(r).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    const bad = await c.call('command/exec', { command: [] });
    expect(bad.error).toMatchObject({ code: -32602, message: expect.stringMatching(/command/) as unknown });
  });

  it('caps output, times out, unsets variables, and refuses contradictory params', async () => {
    const { c } = await server();
    const capped = await exec(c, { command: ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x'], processId: 'cap', streamStdoutStderr: true, outputBytesCap: 1000 });
    expect(capped.exitCode).toBe(0);
    expect(streamed(c, 'cap')).toBe('x'.repeat(1000));
    expect(c.notifications('command/exec/outputDelta').filter((d) => d.processId === 'cap').at(-1)?.capReached).toBe(true);
    const slow = await exec(c, { command: ['sleep', '30'], timeoutMs: 200 });
    expect(slow.exitCode).toBe(124);
    const env = await exec(c, { command: ['sh', '-c', 'echo "${HOME-unset} $EXTRA"'], env: { HOME: null, EXTRA: 'set' } });
    expect(env.stdout).toBe('unset set\n');
    for (const bad of [
      { command: ['true'], outputBytesCap: 10, disableOutputCap: true },
      { command: ['true'], timeoutMs: 10, disableTimeout: true },
    ]) {
      const r = await c.call('command/exec', bad);
      expect(r.error?.code).toBe(-32602);
      expect(r.error?.message).toMatch(/outputBytesCap|timeoutMs/);
    }
  });

  it('applies pipelined writes in the order sent, then the close of stdin', async () => {
    const { c } = await server();
    const started = exec(c, { command: ['cat'], processId: 'cat-1', streamStdin: true, streamStdoutStderr: true });
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}\n`);
    // Sent without waiting for each answer: the server must apply them in this order.
    const writes = lines.map((l, i) => {
      const params = { processId: 'cat-1', deltaBase64: b64(l), closeStdin: i === lines.length - 1 };
      expectValid('CommandExecWriteParams', params);
      return c.ok('command/exec/write', params);
    });
    for (const w of await Promise.all(writes)) expectValid('CommandExecWriteResponse', w);
    const r = await started;
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(streamed(c, 'cat-1')).toBe(lines.join(''));
  });

  it('resizes a PTY before a later write reaches it', async () => {
    const { c } = await server();
    const started = exec(c, { command: ['sh'], processId: 'pty-1', tty: true, size: { rows: 24, cols: 80 } });
    const resize = { processId: 'pty-1', size: { rows: 33, cols: 101 } };
    expectValid('CommandExecResizeParams', resize);
    const resized = c.ok('command/exec/resize', resize);
    const written = c.ok('command/exec/write', { processId: 'pty-1', deltaBase64: b64('stty size; exit 7\n') });
    expectValid('CommandExecResizeResponse', await resized);
    await written;
    const r = await started;
    expect(r.exitCode).toBe(7);
    expect(streamed(c, 'pty-1')).toMatch(/33 101/);
  });

  it('terminates one process by its id, and ends every process of a client that goes away', async () => {
    const { s, c } = await server();
    const started = exec(c, { command: ['sh', '-c', 'echo pid=$$; exec sleep 1000'], processId: 'a', streamStdoutStderr: true, disableTimeout: true });
    void exec(c, { command: ['sh', '-c', 'echo pid=$$; exec sleep 1000'], processId: 'b', streamStdoutStderr: true, disableTimeout: true }).catch(() => undefined);
    const pidOf = async (id: string): Promise<number> => {
      expect(await waitUntil(() => /pid=\d+/.test(streamed(c, id)), 10_000)).toBe(true);
      return Number(/pid=(\d+)/.exec(streamed(c, id))![1]);
    };
    const [a, b] = [await pidOf('a'), await pidOf('b')];
    const terminate = { processId: 'a' };
    expectValid('CommandExecTerminateParams', terminate);
    expectValid('CommandExecTerminateResponse', await c.ok('command/exec/terminate', terminate));
    expect((await started).exitCode).not.toBe(0);
    expect(pidAlive(a)).toBe(false);
    expect(pidAlive(b)).toBe(true);
    const unknown = await c.call('command/exec/terminate', { processId: 'a' });
    expect(unknown.error?.code).toBe(-32600);
    // The client closes its end: the server ends what it started for it, then exits.
    running.splice(running.indexOf(s), 1);
    expect(await s.close()).toBe(0);
    expect(await waitUntil(() => !pidAlive(b), 5000)).toBe(true);
  });
});
