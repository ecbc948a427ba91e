// The agent end to end: the real openai SDK against a scripted model server on 127.0.0.1, real processes and
// PTYs, the real process manager, driven through the in-process client.
import { describe, expect, it } from 'vitest';
import type { ThreadItemData } from '../../src/protocol/shapes.js';
import { agentBackend, toolOutputs } from '../helpers/agent-backend.js';
import { httpError, reasoning, reply, text, toolCall, usage } from '../helpers/model-server.js';
import { pidAlive, waitUntil } from '../helpers/os.js';

const itemsOf = (seen: { method: string; params: unknown }[], method: string): ThreadItemData[] =>
  seen.filter((s) => s.method === method).map((s) => (s.params as { item: ThreadItemData }).item);

describe('the agent', () => {
  it('streams an answer into an agentMessage item and reports usage and status', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([text('Hello '), text('**world**'), usage({ input: 12, output: 3 })]));
    const turn = await a.turn('hi there');
    expect(turn.status).toBe('completed');
    expect(turn.items.map((i) => i.type)).toEqual(['userMessage', 'agentMessage']);
    expect(turn.items[1]).toMatchObject({ type: 'agentMessage', text: 'Hello **world**' });
    const deltas = a.seen.filter((s) => s.method === 'item/agentMessage/delta').map((s) => (s.params as { delta: string }).delta);
    expect(deltas.join('')).toBe('Hello **world**');
    const usageNote = a.seen.find((s) => s.method === 'thread/tokenUsage/updated')!.params as { tokenUsage: { total: { inputTokens: number } } };
    expect(usageNote.tokenUsage.total.inputTokens).toBe(12);
    const statuses = a.seen.filter((s) => s.method === 'thread/status/changed').map((s) => (s.params as { status: { type: string } }).status.type);
    expect(statuses).toEqual(['active', 'idle']);
    const body = a.server.requests[0]!.body!;
    expect(body.instructions).toBe('You are a test model.');
    expect(JSON.stringify(body.input)).toContain('hi there');
    expect((body.tools as { name: string }[]).map((t) => t.name).sort()).toEqual(['exec_command', 'write_stdin']);
  });

  it('sends the whole conversation on the next turn', async () => {
    const a = await agentBackend({ wireApi: 'chat' });
    a.server.enqueue(reply([text('first answer')]), reply([text('second answer')]));
    await a.turn('first question');
    await a.turn('second question');
    const messages = a.server.requests[1]!.body!.messages as { role: string; content: string }[];
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are a test model.'],
      ['user', 'first question'],
      ['assistant', 'first answer'],
      ['user', 'second question'],
    ]);
  });

  it('starts a dev server as a background terminal that /ps lists with its item and /stop ends', async () => {
    const a = await agentBackend();
    a.server.enqueue(
      reply([toolCall('exec_command', { cmd: 'python3 -m http.server 0', yield_time_ms: 1500 }, { chunks: 4 })]),
      reply([text('The server is running.')]),
    );
    const turn = await a.turn('serve this directory');
    expect(turn.status).toBe('completed');
    const [output] = toolOutputs(a.server.requests[1]!.body);
    expect(output).toMatch(/^Chunk ID: [0-9a-f]{6}\nWall time: \d+\.\d{4} seconds\nProcess running with session ID (\d+)\n/);
    const sessionId = /session ID (\d+)/.exec(output!)![1]!;
    const command = turn.items.find((i) => i.type === 'commandExecution')!;
    expect(command).toMatchObject({ source: 'agent', processId: sessionId, status: 'inProgress' });

    const list = await a.client.request('thread/backgroundTerminals/list', { threadId: a.threadId });
    expect(list.data).toMatchObject([{ processId: sessionId, itemId: command.id, command: 'python3 -m http.server 0', status: 'running' }]);
    const pid = list.data[0]!.osPid!;
    expect(pidAlive(pid)).toBe(true);
    const stop = await a.client.request('thread/backgroundTerminals/terminate', { threadId: a.threadId, processId: sessionId });
    expect(stop.terminated).toBe(true);
    expect(pidAlive(pid)).toBe(false);
  });

  it('tells the model when the same command already runs, instead of stacking servers', async () => {
    const a = await agentBackend();
    const cmd = { cmd: 'sleep 4101', yield_time_ms: 300 };
    a.server.enqueue(reply([toolCall('exec_command', cmd)]), reply([toolCall('exec_command', cmd)]), reply([text('ok')]));
    await a.turn('start it twice');
    const outputs = toolOutputs(a.server.requests[2]!.body);
    const first = /session ID (\d+)/.exec(outputs[0]!)![1]!;
    expect(outputs[0]).not.toContain('Note:');
    expect(outputs[1]).toContain(`Note: the same command is already running as session ${first}`);
  });

  it('writes to an interactive program under a tty with write_stdin', async () => {
    const a = await agentBackend();
    a.server.enqueue(
      reply([toolCall('exec_command', { cmd: 'cat', tty: true, yield_time_ms: 300 })]),
      (req) => {
        const id = /session ID (\d+)/.exec(toolOutputs(req.body)[0]!)![1]!;
        return reply([toolCall('write_stdin', { session_id: Number(id), chars: 'ping-4102\n', yield_time_ms: 500 })]);
      },
      reply([text('done')]),
    );
    await a.turn('talk to cat');
    const outputs = toolOutputs(a.server.requests[2]!.body);
    expect(outputs[1]).toMatch(/Process running with session ID \d+/);
    // The terminal echoes the line, and cat writes it back.
    expect(outputs[1]!.split('ping-4102').length - 1).toBeGreaterThanOrEqual(2);
  });

  it('truncates long output around a marker and says how much', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'seq 1 20000', max_output_tokens: 200 })]), reply([text('ok')]));
    await a.turn('count');
    const [output] = toolOutputs(a.server.requests[1]!.body);
    expect(output).toContain('Process exited with code 0');
    expect(output).toMatch(/Original token count: \d+\nOutput:\nWarning: truncated output \(original token count: \d+\)\nTotal output lines: 20000\n\n1\n2\n/);
    expect(output).toMatch(/…\d+ tokens truncated…/);
    expect(output).toMatch(/\n20000\n?$/);
    expect(output!.length).toBeLessThan(2000);
  });

  it('gives broken tool arguments back to the model as an error it can read', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([{ type: 'toolCall', name: 'exec_command', arguments: '{"cmd": "ls"', callId: 'c1', chunks: 1 } as never]), reply([text('sorry')]));
    const turn = await a.turn('list');
    expect(turn.status).toBe('completed');
    expect(toolOutputs(a.server.requests[1]!.body)[0]).toMatch(/not valid JSON/i);
  });

  it('asks before running a command and runs it once accepted', async () => {
    const a = await agentBackend({ policy: 'on-request' });
    const asked: string[] = [];
    a.client.onRequest('item/commandExecution/requestApproval', (p) => {
      asked.push(p.command ?? '');
      return Promise.resolve({ decision: 'accept' as const });
    });
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'echo approved-4103' })]), reply([text('ok')]));
    const turn = await a.turn('go');
    expect(asked).toEqual(['echo approved-4103']);
    expect(toolOutputs(a.server.requests[1]!.body)[0]).toContain('approved-4103');
    expect(turn.items.find((i) => i.type === 'commandExecution')).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('remembers "always" for commands with the same prefix in this session', async () => {
    const a = await agentBackend({ policy: 'on-request' });
    const asked: string[] = [];
    a.client.onRequest('item/commandExecution/requestApproval', (p) => {
      asked.push(p.command ?? '');
      expect(p.proposedExecpolicyAmendment).toEqual(['echo']);
      return Promise.resolve({ decision: 'acceptForSession' as const });
    });
    a.server.enqueue(
      reply([toolCall('exec_command', { cmd: 'echo one' }), toolCall('exec_command', { cmd: 'echo two' })]),
      reply([toolCall('exec_command', { cmd: 'echo three; true' })]),
      reply([text('ok')]),
    );
    await a.turn('go');
    // The compound command is more than its prefix: it is asked about again.
    expect(asked).toEqual(['echo one', 'echo three; true']);
  });

  it('tells the model when the person declines, and the turn carries on', async () => {
    const a = await agentBackend({ policy: 'on-request' });
    a.client.onRequest('item/commandExecution/requestApproval', () => Promise.resolve({ decision: 'decline' as const }));
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'touch /tmp/never-4104' })]), reply([text('understood')]));
    const turn = await a.turn('go');
    expect(turn.status).toBe('completed');
    expect(turn.items.find((i) => i.type === 'commandExecution')).toMatchObject({ status: 'declined', processId: null });
    expect(toolOutputs(a.server.requests[1]!.body)[0]).toMatch(/declined/);
  });

  it('fails the turn at once when a command needs approval and nobody can give it', async () => {
    const a = await agentBackend({ policy: 'on-request' });
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'echo x' })]));
    const turn = await a.turn('go');
    expect(turn.status).toBe('failed');
    expect(turn.error?.message).toMatch(/needs approval.*--full-auto/);
  });

  it('interrupts a streaming answer: the turn ends interrupted and keeps what arrived', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([text('partial answer')], { stallMs: 60_000 }));
    const ended = a.nextTurnEnd();
    const { turn } = await a.client.request('turn/start', { threadId: a.threadId, input: [{ type: 'text', text: 'long' }] });
    await waitUntil(() => a.seen.some((s) => s.method === 'item/agentMessage/delta'), 10_000);
    await a.client.request('turn/interrupt', { threadId: a.threadId, turnId: turn.id });
    const done = await ended;
    expect(done.status).toBe('interrupted');
    expect(done.items.find((i) => i.type === 'agentMessage')).toMatchObject({ text: 'partial answer' });
  });

  it('interrupts a running command: the turn ends, the command keeps running in the background', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'sleep 4105', yield_time_ms: 25_000 })]));
    const ended = a.nextTurnEnd();
    const { turn } = await a.client.request('turn/start', { threadId: a.threadId, input: [{ type: 'text', text: 'wait' }] });
    await waitUntil(() => itemsOf(a.seen, 'item/started').some((i) => i.type === 'commandExecution' && i.processId !== null), 10_000);
    await a.client.request('turn/interrupt', { threadId: a.threadId, turnId: turn.id });
    expect((await ended).status).toBe('interrupted');
    const list = await a.client.request('thread/backgroundTerminals/list', { threadId: a.threadId });
    expect(list.data).toMatchObject([{ command: 'sleep 4105', status: 'running' }]);
    expect(pidAlive(list.data[0]!.osPid!)).toBe(true);
  });

  it('fails the turn with a readable error on a provider error, and the thread stays usable', async () => {
    const a = await agentBackend();
    a.server.enqueue(httpError(401, { error: { message: 'invalid api key' } }), reply([text('back')]));
    const failed = await a.turn('hello');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ codexErrorInfo: 'unauthorized' });
    expect(failed.error!.message).toMatch(/Scripted|scripted/);
    expect(a.seen.some((s) => s.method === 'error')).toBe(true);
    const ok = await a.turn('again');
    expect(ok.status).toBe('completed');
  });

  it('fails the turn when the stream is cut, keeping the background terminals', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'sleep 4106', yield_time_ms: 300 })]), reply([text('half')], { cut: true }));
    const turn = await a.turn('go');
    expect(turn.status).toBe('failed');
    expect(turn.error?.codexErrorInfo).toMatchObject({ responseStreamDisconnected: {} });
    const list = await a.client.request('thread/backgroundTerminals/list', { threadId: a.threadId });
    expect(list.data).toMatchObject([{ command: 'sleep 4106', status: 'running' }]);
  });

  it('turns reasoning into a reasoning item, never answer text (summary and <think>)', async () => {
    const a = await agentBackend();
    a.server.enqueue(reply([reasoning('Planning the answer', { as: 'summary' }), text('answer')]));
    const t1 = await a.turn('q');
    expect(t1.items.map((i) => i.type)).toEqual(['userMessage', 'reasoning', 'agentMessage']);
    expect(t1.items[1]).toMatchObject({ summary: ['Planning the answer'] });

    const c = await agentBackend({ wireApi: 'chat' });
    c.server.enqueue(reply([text('<think>hmm, '), text('let me see</think>'), text('The answer.')]));
    const t2 = await c.turn('q');
    expect(t2.items[1]).toMatchObject({ type: 'reasoning', content: ['hmm, let me see'] });
    expect(t2.items[2]).toMatchObject({ type: 'agentMessage', text: 'The answer.' });
  });

  it('runs a tool call round trip over the chat API too', async () => {
    const a = await agentBackend({ wireApi: 'chat' });
    a.server.enqueue(reply([toolCall('exec_command', { cmd: 'echo chat-4107' }, { chunks: 5 })]), reply([text('ok')]));
    const turn = await a.turn('go');
    expect(turn.status).toBe('completed');
    expect(toolOutputs(a.server.requests[1]!.body)[0]).toContain('chat-4107');
  });
});
