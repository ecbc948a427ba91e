// The keys of a conversation, on the whole TUI over a real backend and a scripted model on 127.0.0.1:
// approvals (y, a, n), interrupting with Ctrl+C, and queued messages taken back with ↑.
import { afterEach, describe, expect, it } from 'vitest';
import { type ModelServer, reply, text, toolCall } from '../helpers/model-server.js';
import { waitUntil } from '../helpers/os.js';
import { KEY, startAppWithModel } from './app-harness.js';

let running: Awaited<ReturnType<typeof startAppWithModel>> | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function withModel(): Promise<{ a: Awaited<ReturnType<typeof startAppWithModel>>['app']; m: ModelServer }> {
  running = await startAppWithModel();
  return { a: running.app, m: running.model };
}

describe('conversation keys', () => {
  it('declines with n: the command is not run and the model is told', async () => {
    const { a, m } = await withModel();
    m.enqueue(reply([toolCall('exec_command', { cmd: 'touch /tmp/never-4401' })]), reply([text('Understood, I will not.')]));
    await a.type('make a file\r');
    await a.waitFor('Run this command?');
    await a.type('n');
    const f = await a.waitFor('Understood, I will not.');
    expect(f).toContain('• Declined touch /tmp/never-4401');
    expect(JSON.stringify(m.requests[1]!.body)).toMatch(/declined/);
  });

  it('allows a prefix for the session with a, and does not ask again', async () => {
    const { a, m } = await withModel();
    m.enqueue(
      reply([toolCall('exec_command', { cmd: 'echo first-4402' })]),
      reply([toolCall('exec_command', { cmd: 'echo second-4402' })]),
      reply([text('both done')]),
    );
    await a.type('two commands\r');
    await a.waitFor('Run this command?');
    await a.type('a');
    await a.waitFor('both done');
    expect(a.frame()).toContain('Commands starting with "echo" run without asking');
    expect(a.frame()).toContain('• Ran echo second-4402');
    expect(a.frame()).not.toContain('Run this command?');
  });

  it('interrupts the turn with Ctrl+C on an empty composer, and shows the model in the footer', async () => {
    const { a, m } = await withModel();
    m.enqueue(reply([text('streaming on and on')], { stallMs: 60_000 }));
    await a.waitFor('scripted-model');
    await a.type('talk\r');
    await a.waitFor('esc to interrupt');
    await a.press(KEY.ctrlC);
    await a.waitFor('Interrupted.');
    expect(a.state.status.get().turn).toBeNull();
    expect(a.state.status.get().quitArmed).toBe(false);
  });

  it('queues a message typed during a turn; ↑ takes it back to edit', async () => {
    const { a, m } = await withModel();
    m.enqueue(reply([text('slow answer')], { stallMs: 60_000 }));
    await a.type('first\r');
    await a.waitFor('esc to interrupt');
    await a.type('second thoughts\r');
    await a.waitFor('↳ queued: second thoughts');
    await a.press(KEY.up);
    expect(await waitUntil(() => a.composer().includes('second thoughts'), 5000)).toBe(true);
    expect(a.state.composer.get().queued).toEqual([]);
  });
});
