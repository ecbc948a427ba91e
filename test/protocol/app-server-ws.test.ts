// `corral app-server --listen ws://127.0.0.1:0` as built: the token and Origin checks, two clients on one
// thread, a disconnect closing a thread nobody follows any more, and a stalled reader dropped while the other
// client keeps receiving.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { STALL_MS } from '../../src/protocol/server/websocket.js';
import { pidAlive, waitUntil } from '../helpers/os.js';
import { CORRAL, connectWebSocket } from '../helpers/rpc-client.js';

const TOKEN = 'test-token-4600-abcdef';
const children: ChildProcess[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
});

async function listen(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'corral-ws-'));
  writeFileSync(join(home, 'config.toml'), '[terminals]\nstop_grace_ms = 300\nforeground_window_ms = 250\n');
  const child = spawn(process.execPath, [CORRAL, 'app-server', '--listen', 'ws://127.0.0.1:0'], {
    env: { ...process.env, CORRAL_HOME: home, CORRAL_APP_SERVER_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await waitUntil(() => /listening on (ws:\/\/\S+)/.test(err), 15_000);
  const url = /listening on (ws:\/\/\S+)/.exec(err)?.[1];
  if (!url) throw new Error(`the server did not start: ${err}`);
  expect(err).not.toContain(TOKEN);
  return url;
}

async function client(url: string) {
  const c = await connectWebSocket(url, { authorization: `Bearer ${TOKEN}` });
  sockets.push(c.ws);
  await c.client.initialize();
  return c;
}

describe('corral app-server over WebSocket', () => {
  it('refuses a connection without the token, with a wrong one, and from a browser origin', async () => {
    const url = await listen();
    await expect(connectWebSocket(url, {})).rejects.toThrow(/401/);
    await expect(connectWebSocket(url, { authorization: 'Bearer wrong' })).rejects.toThrow(/401/);
    await expect(connectWebSocket(url, { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await client(url);
    expect(await ok.client.ok('thread/start', {})).toHaveProperty('thread');
  });

  it('serves two clients on one thread; the last one leaving closes it and stops its terminals', async () => {
    const url = await listen();
    const a = await client(url);
    const b = await client(url);
    const { thread } = await a.client.ok<{ thread: { id: string } }>('thread/start', {});
    await b.client.ok('thread/resume', { threadId: thread.id });
    await a.client.ok('thread/shellCommand', { threadId: thread.id, command: 'sleep 4601' });
    await a.client.waitForNotification('item/commandExecution/backgrounded');
    await b.client.waitForNotification('item/commandExecution/backgrounded');
    const [term] = (await b.client.ok<{ data: { osPid: number }[] }>('thread/backgroundTerminals/list', { threadId: thread.id })).data;
    expect(pidAlive(term!.osPid)).toBe(true);

    expect(await a.client.ok('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'unsubscribed' });
    expect(await a.client.ok('thread/unsubscribe', { threadId: thread.id })).toEqual({ status: 'notSubscribed' });
    expect(pidAlive(term!.osPid)).toBe(true); // b still follows it
    b.ws.close();
    expect(await waitUntil(() => !pidAlive(term!.osPid), 10_000)).toBe(true);
    // The thread is closed once its stop is verified (which takes a little longer than the leader's death).
    const loaded = async (): Promise<string[]> => (await a.client.ok<{ data: string[] }>('thread/loaded/list', {})).data;
    expect(await waitUntil(async () => !(await loaded()).includes(thread.id), 10_000)).toBe(true);
  });

  it('drops a client that stops reading, while another keeps receiving', async () => {
    const url = await listen();
    const fast = await client(url);
    const slow = await client(url);
    const { thread } = await fast.client.ok<{ thread: { id: string } }>('thread/start', {});
    await slow.client.ok('thread/resume', { threadId: thread.id });
    // The slow client stops reading its socket.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    let slowClosed = false;
    slow.ws.on('close', () => (slowClosed = true));
    // Quiet after the flood for twice the time a stalled connection is given: on an idle machine the flood itself
    // can end before that time is up, and a client that reads again within it is rightly kept.
    const quiet = (2 * STALL_MS) / 1000;
    await fast.client.ok('thread/shellCommand', { threadId: thread.id, command: `head -c 60000000 /dev/zero | base64; sleep ${quiet}` });
    const done = await fast.client.waitForNotification('item/completed', (p) => (p.item as { type: string }).type === 'commandExecution', 60_000);
    expect(done.item).toMatchObject({ exitCode: 0 });
    expect(fast.client.notifications('item/commandExecution/outputDelta').length).toBeGreaterThan(1000);
    // Reading again, the slow client finds the server has hung up on it before the command ended.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await waitUntil(() => slowClosed, 10_000)).toBe(true);
    expect(slow.client.notifications('item/completed').some((p) => (p.item as { type: string }).type === 'commandExecution')).toBe(false);
  });
});
