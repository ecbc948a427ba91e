// The whole TUI over a real backend (process manager, session, in-process client), rendered with
// ink-testing-library; keys are written to its stdin.
import { render } from 'ink-testing-library';
import React from 'react';
import { commands } from '../../commands/registry.js';
import { App } from '../../components/App.js';
import { type AgentSettings, CorralSession } from '../../src/core/session.js';
import { ProcessManager } from '../../src/exec/index.js';
import { InProcessClient } from '../../src/protocol/client.js';
import { TuiController } from '../../src/tui/controller.js';
import { TuiState } from '../../src/tui/state.js';
import { wireAgent } from '../../src/tui/wire-agent.js';
import { wireNotifications } from '../../src/tui/wire-notifications.js';
import { createProvider } from '../../src/core/model/create-provider.js';
import { startModelServer } from '../helpers/model-server.js';
import { waitUntil } from '../helpers/os.js';

export const KEY = {
  enter: '\r',
  backspace: '\x7f',
  tab: '\t',
  ctrlB: '\x02',
  ctrlC: '\x03',
  ctrlU: '\x15',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
};

export async function startApp(opts: { windowMs?: number; agent?: AgentSettings } = {}) {
  const manager = new ProcessManager({ home: null, graceMs: 300 });
  const session = new CorralSession(
    manager,
    { terminals: { foreground_window_ms: opts.windowMs ?? 10_000, stop_grace_ms: 300 } },
    process.cwd(),
    opts.agent,
  );
  const client = new InProcessClient(session);
  const { thread } = await client.request('thread/start', {});
  const state = new TuiState(thread.id);
  wireNotifications(client, state);
  let quits = 0;
  const controller = new TuiController(client, state, commands, {
    quit: () => void quits++,
    terminalSize: () => ({ rows: 24, cols: 96 }),
  });
  wireAgent(client, state, { onTurnEnded: () => controller.turnEnded(), onApproval: (ask) => controller.conversation.ask(ask) });
  state.setStatus({ model: session.model });
  const ink = render(<App state={state} controller={controller} />);
  const frame = (): string => ink.lastFrame() ?? '';
  return {
    state,
    manager,
    frame,
    quits: () => quits,
    /** Writes keys one read at a time, letting Ink handle each. */
    async press(...keys: string[]): Promise<void> {
      for (const k of keys) {
        ink.stdin.write(k);
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    async type(text: string): Promise<void> {
      ink.stdin.write(text);
      await new Promise((r) => setTimeout(r, 30));
    },
    async waitFor(text: string | RegExp, ms = 8000): Promise<string> {
      const ok = await waitUntil(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), ms);
      if (!ok) throw new Error(`screen never showed ${String(text)}; last frame:\n${frame()}`);
      return frame();
    },
    /** The composer line as shown. */
    composer(): string {
      return frame().split('\n').find((l) => l.startsWith('│ ›')) ?? '';
    },
    /** Waits until the composer line shows `text` (keys are handled asynchronously); returns the line. */
    async waitForComposer(text: string, ms = 5000): Promise<string> {
      const line = (): string => frame().split('\n').find((l) => l.startsWith('│ ›')) ?? '';
      if (!(await waitUntil(() => line().includes(text), ms))) throw new Error(`the composer never showed ${text}; last frame:\n${frame()}`);
      return line();
    },
    async close(): Promise<void> {
      controller.dispose();
      ink.unmount();
      client.close();
      await session.shutdown();
    },
  };
}

/** The whole TUI with a scripted model on 127.0.0.1 as its provider (chat API). `close` ends both. */
export async function startAppWithModel(approvalPolicy: AgentSettings['approvalPolicy'] = 'on-request') {
  const model = await startModelServer();
  const provider = createProvider(
    { id: 'scripted', name: 'Scripted', baseUrl: model.baseUrl, envKey: null, wireApi: 'chat', queryParams: {}, httpHeaders: {}, requestMaxRetries: 0, streamIdleTimeoutMs: 10_000 },
    {},
  );
  const app = await startApp({
    agent: { binding: { model: 'scripted-model', providerId: 'scripted', provider }, approvalPolicy, instructions: () => Promise.resolve('test') },
  });
  return {
    app,
    model,
    close: async (): Promise<void> => {
      await app.close();
      await model.close();
    },
  };
}
