// `corral app-server` as built, over real pipes: the handshake and its refusals, every error code, a storm of
// malformed messages, threads with a scripted model on 127.0.0.1 (notifications, approvals, background
// terminals checked at OS level), unsubscribe closing a thread, loaded threads, exec/run, and every message
// validated against Codex's schemas.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { type ModelServer, reply, startModelServer, text, toolCall } from '../helpers/model-server.js';
import { pidAlive, waitUntil } from '../helpers/os.js';
import { type RpcClient, type StdioServer, startStdioServer } from '../helpers/rpc-client.js';
import { expectValid } from '../helpers/schemas.js';

const running: StdioServer[] = [];
const models: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await Promise.all(models.splice(0).map((m) => m.close()));
});

async function server(opts: { policy?: string } = {}): Promise<{ s: StdioServer; c: RpcClient; model: ModelServer; home: string }> {
  const model = await startModelServer();
  models.push(model);
  const home = mkdtempSync(join(tmpdir(), 'corral-app-server-'));
  writeFileSync(
    join(home, 'config.toml'),
    `model = "scripted"\nmodel_provider = "local"\napproval_policy = "${opts.policy ?? 'on-request'}"\n[model_providers.local]\nname = "Local"\nbase_url = "${model.baseUrl}"\nwire_api = "chat"\n[terminals]\nstop_grace_ms = 300\n`,
  );
  const s = startStdioServer({ CORRAL_HOME: home });
  running.push(s);
  return { s, c: s.client, model, home };
}

const SCHEMAS: Record<string, string> = {
  'thread/started': 'ThreadStartedNotification',
  'thread/status/changed': 'ThreadStatusChangedNotification',
  'thread/tokenUsage/updated': 'ThreadTokenUsageUpdatedNotification',
  'thread/closed': 'ThreadClosedNotification',
  'turn/started': 'TurnStartedNotification',
  'turn/completed': 'TurnCompletedNotification',
  error: 'ErrorNotification',
  'item/started': 'ItemStartedNotification',
  'item/completed': 'ItemCompletedNotification',
  'item/agentMessage/delta': 'AgentMessageDeltaNotification',
  'item/commandExecution/outputDelta': 'CommandExecutionOutputDeltaNotification',
  'item/commandExecution/requestApproval': 'CommandExecutionRequestApprovalParams',
};

/** Every notification and server request received validates; every message is a JSON-RPC message. */
function validateAll(c: RpcClient): void {
  for (const m of c.received) {
    if (m.id !== null) expectValid('JSONRPCMessage', m);
    const name = m.method ? SCHEMAS[m.method] : undefined;
    if (name) expectValid(name, m.params);
  }
}

describe('corral app-server over stdio', () => {
  it('refuses requests before initialize, then initializes once', async () => {
    const { c } = await server();
    expect(await c.call('thread/start', {})).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/initialize/) as unknown } });
    const params = { clientInfo: { name: 'tests', version: '1' }, capabilities: { experimentalApi: false } };
    expectValid('InitializeParams', params);
    const init = await c.ok('initialize', params);
    expectValid('InitializeResponse', init);
    expect(await c.call('initialize', params)).toMatchObject({ error: { code: -32600 } });
    const { thread } = await c.ok<{ thread: { id: string } }>('thread/start', {});
    const refused = await c.call('thread/backgroundTerminals/list', { threadId: thread.id });
    expect(refused.error?.message).toMatch(/experimental.*experimentalApi/);
    validateAll(c);
  });

  it('answers each kind of bad message with its code and keeps working after a storm of them', async () => {
    const { c, model } = await server();
    await c.initialize();
    c.send('this is not json');
    c.send('[1, 2, 3]');
    c.send('{"id": 7}');
    await waitUntil(() => c.received.filter((m) => m.error).length >= 3, 10_000);
    const codes = c.received.filter((m) => m.error).map((m) => m.error!.code);
    expect(codes).toEqual([-32700, -32600, -32600]);
    expect(await c.call('no/such/method', {})).toMatchObject({ error: { code: -32601 } });
    const bad = await c.call('turn/start', { threadId: 42 });
    expect(bad.error?.code).toBe(-32602);
    expect(bad.error?.message).toMatch(/threadId/);

    // A storm: garbage, wrong shapes, unknown methods, random ids and params.
    let seed = 1;
    const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pieces = ['{', '}', '"method"', ':', '"thread/start"', 'null', '[', ']', '"id"', '1', ',', '"params"', '{"threadId":', '"x"', '\\u0000', 'true'];
    for (let i = 0; i < 3000; i++) {
      const kind = i % 4;
      if (kind === 0) c.send(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]).join(''));
      else if (kind === 1) c.send(JSON.stringify({ id: `s${i}`, method: ['turn/start', 'thread/read', 'turn/interrupt', 'x/y'][i % 4], params: { threadId: rnd() > 0.5 ? 5 : 'nope', input: 'no' } }));
      else if (kind === 2) c.send(JSON.stringify({ id: i, method: 'thread/backgroundTerminals/terminate', params: { threadId: 'nope', processId: rnd() > 0.5 ? 1.5 : 'abc' } }));
      else c.send(JSON.stringify({ jsonrpc: '1.0', id: i, method: 'initialize' }));
    }
    // Afterwards a normal session still works.
    model.enqueue(reply([text('still alive')]));
    const { thread } = await c.ok<{ thread: { id: string } }>('thread/start', {});
    await c.ok('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi' }] });
    const done = await c.waitForNotification('turn/completed', (p) => (p.threadId as string) === thread.id);
    expect(done).toMatchObject({ turn: { status: 'completed' } });
    const storm = c.received.filter((m) => m.error && typeof m.id === 'number' && m.id >= 0);
    expect(storm.every((m) => [-32700, -32600, -32601, -32602].includes(m.error!.code))).toBe(true);
  });

  it('runs a turn that asks for approval and starts a background terminal; lists, terminates and cleans at OS level', async () => {
    const { c, model } = await server();
    await c.initialize();
    const asked: Record<string, unknown>[] = [];
    c.onServerRequest = (method, params) => {
      asked.push(params);
      return { decision: 'accept' };
    };
    model.enqueue(
      reply([toolCall('exec_command', { cmd: 'sleep 4501', yield_time_ms: 300 })]),
      reply([toolCall('exec_command', { cmd: 'sleep 4502', yield_time_ms: 300 })]),
      reply([toolCall('exec_command', { cmd: 'sleep 4503', yield_time_ms: 300 })]),
      reply([toolCall('exec_command', { cmd: 'sleep 1; echo quick', yield_time_ms: 300 })]),
      reply([text('four started')]),
    );
    const { thread } = await c.ok<{ thread: { id: string } }>('thread/start', {});
    await c.ok('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'start things' }] });
    await c.waitForNotification('turn/completed');
    expect(asked).toHaveLength(4);
    validateAll(c);

    // The quick one exits: it stays listed as exited until cleaned.
    type Row = { processId: string; osPid: number; status: string; itemId: string; command: string };
    const list = async (params: Record<string, unknown> = {}): Promise<{ data: Row[]; nextCursor: string | null }> =>
      c.ok('thread/backgroundTerminals/list', { threadId: thread.id, ...params });
    expect(await waitUntil(async () => (await list()).data.some((t) => t.status === 'exited'), 10_000)).toBe(true);
    // A page, then its anchor (the last row, the cursor) ends before the next page is asked for.
    const first = await list({ limit: 2 });
    expectValid('ThreadBackgroundTerminalsListResponse', first);
    expect(first.data).toHaveLength(2);
    const anchor = first.data[1]!;
    expect(first.nextCursor).toBe(anchor.processId);
    if (anchor.status === 'running') process.kill(anchor.osPid, 'SIGKILL');
    expect(await waitUntil(async () => (await list()).data.find((t) => t.processId === anchor.processId)?.status !== 'running', 10_000)).toBe(true);
    const rest = await list({ cursor: first.nextCursor });
    expectValid('ThreadBackgroundTerminalsListResponse', rest);
    expect(new Set([...first.data, ...rest.data].map((t) => t.processId)).size).toBe(4);

    const [a, b] = (await list()).data.filter((t) => t.status === 'running');
    if (!a || !b) throw new Error('two sleeps should still run');
    expect(await c.call('thread/backgroundTerminals/terminate', { threadId: thread.id, processId: 12.5 })).toMatchObject({
      error: { code: -32600, message: 'invalid background terminal process id: 12.5' },
    });
    const t = await c.ok('thread/backgroundTerminals/terminate', { threadId: thread.id, processId: a.processId });
    expectValid('ThreadBackgroundTerminalsTerminateResponse', t);
    expect(t).toMatchObject({ terminated: true });
    expect(pidAlive(a.osPid)).toBe(false);
    const stop = await c.ok('thread/backgroundTerminals/stop', { threadId: thread.id, processId: b.processId });
    expect(stop).toMatchObject({ terminated: true });
    expect(pidAlive(b.osPid)).toBe(false);
    const clean = await c.ok('thread/backgroundTerminals/clean', { threadId: thread.id });
    expectValid('ThreadBackgroundTerminalsCleanResponse', clean);
    expect((await c.ok<{ data: unknown[] }>('thread/backgroundTerminals/list', { threadId: thread.id })).data).toEqual([]);
  });

  it('closes a thread when its last client unsubscribes, stopping its terminals; lists loaded threads', async () => {
    const { c, model } = await server({ policy: 'never' });
    await c.initialize();
    model.enqueue(reply([toolCall('exec_command', { cmd: 'sleep 4503', yield_time_ms: 300 })]), reply([text('ok')]));
    const { thread } = await c.ok<{ thread: { id: string } }>('thread/start', {});
    const other = await c.ok<{ thread: { id: string } }>('thread/start', {});
    const loaded = await c.ok<{ data: string[] }>('thread/loaded/list', {});
    expectValid('ThreadLoadedListResponse', loaded);
    expect(loaded.data.sort()).toEqual([thread.id, other.thread.id].sort());
    const page = await c.ok<{ data: string[]; nextCursor: string }>('thread/loaded/list', { limit: 1 });
    expect(page.data).toHaveLength(1);
    expect((await c.ok<{ data: string[] }>('thread/loaded/list', { cursor: page.nextCursor })).data).toHaveLength(1);

    await c.ok('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'go' }] });
    await c.waitForNotification('turn/completed');
    const [term] = (await c.ok<{ data: { osPid: number }[] }>('thread/backgroundTerminals/list', { threadId: thread.id })).data;
    expect(pidAlive(term!.osPid)).toBe(true);

    const un = await c.ok('thread/unsubscribe', { threadId: thread.id });
    expectValid('ThreadUnsubscribeResponse', un);
    expect(un).toEqual({ status: 'unsubscribed' });
    await c.waitForNotification('thread/closed', (p) => p.threadId === thread.id);
    const statuses = c.notifications('thread/status/changed').filter((p) => p.threadId === thread.id);
    expect(statuses.at(-1)).toMatchObject({ status: { type: 'notLoaded' } });
    expect(pidAlive(term!.osPid)).toBe(false);
    expect(await c.ok('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'notLoaded' });
    expect((await c.ok<{ data: string[] }>('thread/loaded/list', {})).data).toEqual([other.thread.id]);
    validateAll(c);
  });

  it('runs exec/run to completion on a thread nobody sees', async () => {
    const { c, model } = await server();
    await c.initialize();
    expect(await c.call('exec/run', { input: [{ type: 'text', text: '  ' }] })).toMatchObject({ error: { code: -32600, message: 'input must not be empty' } });
    model.enqueue(reply([text('A concise title')]));
    const r = await c.ok<{ threadId: string; status: string; lastAgentMessage: string; error: null }>('exec/run', { input: [{ type: 'text', text: 'title please' }] });
    expect(r).toMatchObject({ status: 'completed', lastAgentMessage: 'A concise title', error: null });
    expect(c.notifications('turn/started')).toEqual([]);
    expect((await c.ok<{ data: { id: string }[] }>('thread/list', {})).data.map((t) => t.id)).not.toContain(r.threadId);
    // A command that needs approval fails the turn at once (on-request here, and nobody to ask).
    model.enqueue(reply([toolCall('exec_command', { cmd: 'echo nope' })]));
    const blocked = await c.ok<{ status: string; error: { message: string } }>('exec/run', { input: [{ type: 'text', text: 'run it' }] });
    expect(blocked.status).toBe('failed');
    expect(blocked.error.message).toMatch(/needs approval/);
  });

  it('returns a running turn with its items so far on thread/resume (rejoin mid-turn)', async () => {
    const { c, model } = await server();
    await c.initialize();
    model.enqueue(reply([text('half of the answer')], { stallMs: 60_000 }));
    const { thread } = await c.ok<{ thread: { id: string } }>('thread/start', {});
    await c.ok('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'long one' }] });
    await c.waitForNotification('item/agentMessage/delta');
    const resumed = await c.ok<{ thread: { turns: { status: string; items: { type: string; text?: string }[] }[] } }>('thread/resume', { threadId: thread.id });
    expectValid('ThreadResumeResponse', resumed);
    const [turn] = resumed.thread.turns;
    expect(turn!.status).toBe('inProgress');
    expect(turn!.items.map((i) => i.type)).toEqual(['userMessage', 'agentMessage']);
    expect(turn!.items[1]!.text).toBe('half of the answer');
  });
});

describe('corral app-server generate-json-schema', () => {
  it("writes corral's own schemas, and what the server sends validates against them", async () => {
    const out = mkdtempSync(join(tmpdir(), 'corral-schemas-'));
    const r = await execa(process.execPath, [join(import.meta.dirname, '..', '..', 'dist', 'corral.js'), 'app-server', 'generate-json-schema', '--out', out]);
    expect(r.stderr).toMatch(/wrote \d+ schemas/);
    const files = readdirSync(out);
    for (const name of ['TurnStartParams', 'TurnStartResponse', 'TurnCompletedNotification', 'InitializeResponse', 'ThreadUnsubscribeResponse', 'ExecRunResponse']) {
      expect(files).toContain(`${name}.json`);
    }
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const check = (name: string, value: unknown): void => {
      const validate = ajv.compile(JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as object);
      expect(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    const { c, model } = await server({ policy: 'never' });
    check('InitializeResponse', await c.initialize());
    model.enqueue(reply([text('ok')]));
    const started = await c.ok<{ thread: { id: string } }>('thread/start', {});
    check('ThreadStartResponse', started);
    check('TurnStartResponse', await c.ok('turn/start', { threadId: started.thread.id, input: [{ type: 'text', text: 'hi' }] }));
    check('TurnCompletedNotification', await c.waitForNotification('turn/completed'));
    check('TurnStartParams', { threadId: 'x', input: [{ type: 'text', text: 'hi' }] });
    expect(() => check('TurnStartParams', { threadId: 'x', input: [] })).toThrow();
  });
});
