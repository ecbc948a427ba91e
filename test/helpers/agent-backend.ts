// A real session with a real process manager, talking through the real openai SDK to a scripted model server
// on 127.0.0.1, driven through the in-process client: everything the agent tests need.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ApprovalPolicy } from '../../src/core/agent/approvals.js';
import { createProvider } from '../../src/core/model/create-provider.js';
import { CorralSession } from '../../src/core/session.js';
import { ThreadStore } from '../../src/core/thread-store.js';
import { ProcessManager } from '../../src/exec/index.js';
import { InProcessClient } from '../../src/protocol/client.js';
import { Notifications, type NotificationMethod, type TurnData } from '../../src/protocol/shapes.js';
import { type ModelServer, startModelServer } from './model-server.js';

export interface Seen {
  method: NotificationMethod;
  params: unknown;
}

export interface AgentBackend {
  server: ModelServer;
  session: CorralSession;
  client: InProcessClient;
  threadId: string;
  home: string;
  seen: Seen[];
  /** Sends a message and resolves with the finished turn. */
  turn(text: string): Promise<TurnData>;
  /** Resolves with the next turn/completed of the thread. */
  nextTurnEnd(): Promise<TurnData>;
}

const made: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of made.splice(0).reverse()) await dispose();
});

export async function agentBackend(
  opts: { wireApi?: 'responses' | 'chat'; policy?: ApprovalPolicy; persist?: boolean; home?: string; instructions?: string; idleMs?: number } = {},
): Promise<AgentBackend> {
  const server = await startModelServer();
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'corral-agent-'));
  const provider = createProvider(
    {
      id: 'scripted',
      name: 'Scripted',
      baseUrl: server.baseUrl,
      envKey: null,
      wireApi: opts.wireApi ?? 'responses',
      queryParams: {},
      httpHeaders: {},
      requestMaxRetries: 0,
      streamIdleTimeoutMs: opts.idleMs ?? 10_000,
    },
    {},
  );
  const manager = new ProcessManager({ home: null, graceMs: 300 });
  const session = new CorralSession(manager, { terminals: { foreground_window_ms: 10_000, stop_grace_ms: 300 } }, process.cwd(), {
    binding: { model: 'test-model', providerId: 'scripted', provider },
    approvalPolicy: opts.policy ?? 'never',
    instructions: () => Promise.resolve(opts.instructions ?? 'You are a test model.'),
    store: opts.persist ? new ThreadStore(home, [], 'test') : undefined,
  });
  const client = new InProcessClient(session);
  const seen: Seen[] = [];
  for (const method of Object.keys(Notifications) as NotificationMethod[]) client.on(method, (params) => seen.push({ method, params }));
  made.push(async () => {
    client.close();
    await session.shutdown();
    await server.close();
  });
  const { thread } = await client.request('thread/start', {});
  const nextTurnEnd = (): Promise<TurnData> =>
    new Promise((resolve) => {
      const off = client.on('turn/completed', (p) => {
        if (p.threadId !== thread.id) return;
        off();
        resolve(p.turn);
      });
    });
  return {
    server,
    session,
    client,
    threadId: thread.id,
    home,
    seen,
    nextTurnEnd,
    turn: async (text) => {
      const ended = nextTurnEnd();
      await client.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text }] });
      return ended;
    },
  };
}

/** The text a tool call's output gave the model: the function_call_output in the next request's input. */
export function toolOutputs(body: Record<string, unknown> | null): string[] {
  const input = (body?.input ?? body?.messages ?? []) as { type?: string; role?: string; output?: string; content?: string }[];
  return input.flatMap((i) => (i.type === 'function_call_output' ? [String(i.output)] : i.role === 'tool' ? [String(i.content)] : []));
}
