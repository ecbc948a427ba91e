// The backend of the TUI, loaded after the first frame: configuration, the process manager (with the handlers
// that stop every process when corral goes), the core session and the in-process client.
import { loadConfig } from './core/config.js';
import { CorralSession } from './core/session.js';
import { ProcessManager, corralHome, findLeftovers, installHostShutdown, type Leftover } from './exec/index.js';
import { InProcessClient } from './protocol/client.js';

export interface Backend {
  client: InProcessClient;
  threadId: string;
  warnings: string[];
  leftovers: Leftover[];
  /** Stops everything this run started and waits until it is gone. */
  shutdown: () => Promise<unknown>;
}

export async function startBackend(opts: { beforeExit: () => void }): Promise<Backend> {
  const home = corralHome();
  const { config, warnings } = loadConfig(home);
  const leftovers = findLeftovers(home);
  const manager = new ProcessManager({ home, graceMs: config.terminals.stop_grace_ms });
  installHostShutdown(manager, { beforeExit: opts.beforeExit });
  const session = new CorralSession(manager, config);
  const client = new InProcessClient(session);
  const { thread } = await client.request('thread/start', {});
  return { client, threadId: thread.id, warnings, leftovers, shutdown: () => session.shutdown() };
}
