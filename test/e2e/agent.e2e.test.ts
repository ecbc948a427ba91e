// The built program in tmux, chatting with a scripted model on 127.0.0.1: a dev server started by the model
// after an approval, listed in /ps with its item and stopped with /stop (checked in /proc); a streamed answer
// interrupted with Esc while a queued message waits, then sent.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ModelServer, reply, startModelServer, text, toolCall } from '../helpers/model-server.js';
import { CorralPane, TmuxServer, stillAlive, waitFor } from './tmux.js';

const tmux = new TmuxServer();
const panes: CorralPane[] = [];
const models: ModelServer[] = [];

afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.dispose()));
  await Promise.all(models.splice(0).map((m) => m.close()));
});
afterAll(() => tmux.kill());

async function chat(): Promise<{ c: CorralPane; model: ModelServer }> {
  const model = await startModelServer();
  models.push(model);
  const config = `model = "scripted-e2e"\nmodel_provider = "local"\n[model_providers.local]\nname = "Local"\nbase_url = "${model.baseUrl}"\nwire_api = "chat"\n`;
  const c = CorralPane.launch(tmux, { config });
  panes.push(c);
  await c.ready();
  await c.waitForScreen((s) => s.includes('scripted-e2e'), 10_000, 'the model in the footer');
  return { c, model };
}

describe('chatting with a model in a terminal', () => {
  it('approves a dev server the model starts, lists it in /ps and stops it', async () => {
    const { c, model } = await chat();
    model.enqueue(
      reply([text('Starting a server.'), toolCall('exec_command', { cmd: 'python3 -m http.server 0', yield_time_ms: 1500 })]),
      reply([text('The server is **up**.')]),
    );
    c.submit('serve this folder');
    await c.waitForScreen((s) => s.includes('Run this command?') && s.includes('$ python3 -m http.server 0'), 15_000, 'the approval prompt');
    c.type('y');
    const screen = await c.waitForScreen((s) => /still running in the background as \[(\d+)\]/.test(s) && s.includes('The server is up.'), 15_000, 'the answer', true);
    const id = /still running in the background as \[(\d+)\]/.exec(screen)![1]!;
    expect(screen).toMatch(/• Running python3 -m http\.server 0/);
    const server = await waitFor(() => c.descendants().find((p) => p.args === 'python3 -m http.server 0'), 5000, 'the server process');
    await c.waitForScreen(() => c.footer().includes('1 background terminal running'), 5000, 'the footer count');

    c.submit('/ps');
    await c.waitForScreen((s) => s.includes(`• [${id}] python3 -m http.server 0`) && s.includes(`pid ${server.pid}`), 10_000, '/ps with the server');
    c.submit(`/stop ${id}`);
    await c.waitForScreen((s) => new RegExp(`Stopped \\[${id}\\] python3 -m http\\.server 0`).test(s), 10_000, 'the stop report');
    expect(stillAlive(server)).toBe(false);
  });

  it('interrupts a streamed answer with Esc, then sends the queued message', async () => {
    const { c, model } = await chat();
    model.enqueue(
      reply(
        Array.from({ length: 400 }, (_, i) => text(`word${i} `)),
        { delayMs: 40 },
      ),
      reply([text('Answer to the queued message.')]),
    );
    c.submit('talk slowly');
    await c.waitForScreen((s) => s.includes('word5 ') && s.includes('esc to interrupt'), 15_000, 'the streamed answer');
    c.submit('and then this');
    await c.waitForScreen((s) => s.includes('↳ queued: and then this'), 5000, 'the queued message');
    c.keys('Escape');
    const screen = await c.waitForScreen((s) => s.includes('Answer to the queued message.'), 15_000, 'the queued message answered', true);
    expect(screen).toContain('Interrupted.');
    expect(screen.indexOf('Interrupted.')).toBeLessThan(screen.indexOf('› and then this'));
    expect(screen).not.toContain('word399');
    expect(JSON.stringify(model.requests[1]!.body)).toContain('and then this');
  });
});
