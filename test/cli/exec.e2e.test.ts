// `corral exec` as built, against a scripted model on 127.0.0.1: the answer on stdout, progress on stderr,
// --json, exit codes, approvals, cleanup of background terminals, persistence without secrets, and resume
// after corral was killed with SIGKILL in the middle of a turn.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CorralSession } from '../../src/core/session.js';
import { ThreadStore } from '../../src/core/thread-store.js';
import { createProvider } from '../../src/core/model/create-provider.js';
import { ProcessManager } from '../../src/exec/index.js';
import { type ModelServer, httpError, reply, startModelServer, text, toolCall } from '../helpers/model-server.js';
import { pidAlive, waitUntil } from '../helpers/os.js';

const CORRAL = join(import.meta.dirname, '..', '..', 'dist', 'corral.js');
const SECRET = 'sk-corral-test-5f1e2d3c4b5a69788796';

const servers: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(wireApi: 'responses' | 'chat' = 'chat') {
  const server = await startModelServer();
  servers.push(server);
  const home = mkdtempSync(join(tmpdir(), 'corral-exec-'));
  writeFileSync(
    join(home, 'config.toml'),
    `model = "scripted"\nmodel_provider = "local"\n\n[model_providers.local]\nname = "Local"\nbase_url = "${server.baseUrl}"\nwire_api = "${wireApi}"\nenv_key = "CORRAL_TEST_KEY"\n`,
  );
  const env = { CORRAL_HOME: home, CORRAL_TEST_KEY: SECRET };
  const run = (args: string[], opts: { input?: string } = {}) =>
    execa('node', [CORRAL, 'exec', ...args], { env, reject: false, cwd: home, ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }) });
  return { server, home, env, run };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('corral exec', () => {
  it('prints the final answer on stdout and progress on stderr, exit 0; AGENTS.md reaches the model', async () => {
    const { server, run, home } = await setup();
    writeFileSync(join(home, 'AGENTS.md'), 'Always answer in haiku (project rule 4301).\n');
    server.enqueue(reply([toolCall('exec_command', { cmd: 'echo from-the-tool' })]), reply([text('All '), text('done.')]));
    const r = await run(['--full-auto', 'do it']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('All done.');
    expect(r.stderr).toContain('• Running echo from-the-tool');
    expect(r.stderr).toMatch(/• Ran echo from-the-tool · exit 0/);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    const system = (server.requests[0]!.body!.messages as { role: string; content: string }[])[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('exec_command');
    expect(system.content).toContain('project rule 4301');
  });

  it('reads the prompt from stdin with -', async () => {
    const { server, run } = await setup();
    server.enqueue(reply([text('ok')]));
    const r = await run(['-'], { input: 'a prompt from stdin\n' });
    expect(r.exitCode).toBe(0);
    expect(JSON.stringify(server.requests[0]!.body)).toContain('a prompt from stdin');
  });

  it('prints every notification as a JSON line with --json', async () => {
    const { server, run } = await setup();
    server.enqueue(reply([text('json answer')]));
    const r = await run(['--json', 'hi']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n').map((l) => JSON.parse(l) as { method: string; params: Record<string, unknown> });
    const methods = lines.map((l) => l.method);
    expect(methods[0]).toBe('thread/status/changed');
    expect(methods).toContain('turn/started');
    expect(methods).toContain('item/agentMessage/delta');
    expect(methods.at(-1)).toBe('turn/completed');
    expect(lines.at(-2)).toMatchObject({ method: 'thread/status/changed', params: { status: { type: 'idle' } } });
    expect(lines.find((l) => l.method === 'turn/completed')!.params).toMatchObject({ turn: { status: 'completed' } });
  });

  it('exits non-zero with a readable error when the provider fails', async () => {
    const { server, run } = await setup();
    server.enqueue(httpError(401, { error: { message: 'bad key' } }));
    const r = await run(['hi']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/the turn failed: .*Local/);
    expect(r.stderr).toMatch(/CORRAL_TEST_KEY/);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('fails at once when a command needs approval, unless --full-auto', async () => {
    const { server, run } = await setup();
    server.enqueue(reply([toolCall('exec_command', { cmd: 'touch never-made' })]));
    const r = await run(['make a file']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/needs approval.*--full-auto/);
    expect(server.requests).toHaveLength(1);
  });

  it('stops the background terminals it started before it exits (verified at OS level)', async () => {
    const { server, run } = await setup();
    let pid = 0;
    server.enqueue(reply([toolCall('exec_command', { cmd: 'sleep 4201 & echo "pid=$!"; wait', yield_time_ms: 500 })]), (req) => {
      pid = Number(/pid=(\d+)/.exec(JSON.stringify(req.body))![1]);
      return reply([text('left it running')]);
    });
    const r = await run(['--full-auto', 'start something']);
    expect(r.exitCode).toBe(0);
    expect(pid).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/stopped background terminal \[\d+\]/);
    expect(pidAlive(pid)).toBe(false);
  });

  it('interrupts on Ctrl+C (SIGINT): exit 130, background terminals stopped', async () => {
    const { server, env, home } = await setup();
    server.enqueue(reply([toolCall('exec_command', { cmd: 'echo "pid=$$"; exec sleep 4202', yield_time_ms: 25_000 })]));
    const child = execa('node', [CORRAL, 'exec', '--full-auto', 'wait'], { env, reject: false, cwd: home, stdin: 'ignore' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitUntil(() => stderr.includes('• Running'), 15_000);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('interrupted');
    expect(r.stderr).toMatch(/stopped background terminal/);
  });

  it('never writes the API key to a file, even when a command prints it', async () => {
    const { server, run, home } = await setup();
    server.enqueue(reply([toolCall('exec_command', { cmd: 'echo "key is $CORRAL_TEST_KEY"' })]), reply([text('printed it')]));
    const r = await run(['--full-auto', 'show the key']);
    expect(r.exitCode).toBe(0);
    const files = filesUnder(home);
    expect(files.some((f) => f.includes('sessions'))).toBe(true);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(SECRET);
    expect(files.map((f) => readFileSync(f, 'utf8')).join('')).toContain('key is [redacted]');
  });

  it('resumes a thread after corral was killed with SIGKILL mid-turn', async () => {
    const { server, env, home } = await setup();
    server.enqueue(reply([toolCall('exec_command', { cmd: 'echo before-the-kill' })]), reply([text('half an ans')], { stallMs: 60_000 }));
    const child = execa('node', [CORRAL, 'exec', '--full-auto', 'remember the word zebra'], { env, reject: false, cwd: home, stdin: 'ignore' });
    await server.waitForRequests(2, 20_000);
    child.kill('SIGKILL');
    await child;

    const store = new ThreadStore(home, [], 'test');
    const [summary] = store.list({ limit: 5 }).data;
    expect(summary!.preview).toBe('remember the word zebra');
    const provider = createProvider(
      { id: 'local', name: 'Local', baseUrl: server.baseUrl, envKey: null, wireApi: 'chat', queryParams: {}, httpHeaders: {}, requestMaxRetries: 0, streamIdleTimeoutMs: 10_000 },
      {},
    );
    const session = new CorralSession(new ProcessManager({ home: null }), { terminals: { foreground_window_ms: 10_000, stop_grace_ms: 300 } }, home, {
      binding: { model: 'scripted', providerId: 'local', provider },
      approvalPolicy: 'never',
      instructions: () => Promise.resolve('x'),
      store,
    });
    try {
      expect(session.resumeThread(summary!.threadId)).not.toBeNull();
      const { turns } = session.readThread(summary!.threadId);
      expect(turns).toHaveLength(1);
      expect(turns[0]!.status).toBe('interrupted');
      expect(turns[0]!.items.find((i) => i.type === 'commandExecution')).toMatchObject({ command: 'echo before-the-kill', exitCode: 0 });

      server.enqueue(reply([text('zebra')]));
      session.startTurn(summary!.threadId, 'what was the word?');
      await server.waitForRequests(3, 10_000);
      await session.whenTurnEnds(summary!.threadId);
      const messages = JSON.stringify(server.requests[2]!.body!.messages);
      expect(messages).toContain('remember the word zebra');
      expect(messages).toContain('before-the-kill');
      expect(messages).toContain('what was the word?');
    } finally {
      await session.shutdown();
    }
  });
});
