// The backend of the TUI (and of `corral exec`), loaded after the first frame: configuration, the model, the
// process manager (with the handlers that stop every process when corral goes), the core session and the
// in-process client.
import { type ModelBinding } from './core/agent/agent-thread.js';
import { CONFIG_EXAMPLE, type Config, loadConfig, resolveModel } from './core/config.js';
import { buildInstructions } from './core/instructions.js';
import { createProvider } from './core/model/create-provider.js';
import type { ProviderConfig } from './core/model/types.js';
import { CorralSession } from './core/session.js';
import { ThreadStore } from './core/thread-store.js';
import { ProcessManager, corralHome, findLeftovers, installHostShutdown, type Leftover } from './exec/index.js';
import { InProcessClient } from './protocol/client.js';

export interface BackendOptions {
  /** `-c key=value` overrides (and -m/--provider as such). */
  configOverrides?: string[];
  /** Overrides the configured approval policy (`corral exec --full-auto`). */
  approvalPolicy?: 'on-request' | 'never';
  cliVersion: string;
  source: 'cli' | 'exec' | 'appServer';
  /** Terminal size for the model's commands. */
  terminalSize?: () => { rows: number; cols: number };
  beforeExit: () => void;
  /** SIGINT is the caller's (corral exec interrupts the turn first). */
  ownSigint?: boolean;
}

export interface Backend {
  client: InProcessClient;
  session: CorralSession;
  threadId: string;
  model: string | null;
  warnings: string[];
  leftovers: Leftover[];
  /** `[notify]`: how notices reach the person besides the transcript. */
  notify: Config['notify'];
  /** Stops everything this run started and waits until it is gone. */
  shutdown: () => Promise<unknown>;
}

/** Values that must never reach a file: the provider's key and its header values. */
function secretsOf(provider: ProviderConfig | null, env: NodeJS.ProcessEnv): string[] {
  if (!provider) return [];
  const key = provider.envKey ? env[provider.envKey] : undefined;
  return [...(key ? [key] : []), ...Object.values(provider.httpHeaders)];
}

export interface CoreBackend {
  session: CorralSession;
  config: Config;
  home: string;
  warnings: string[];
  leftovers: Leftover[];
}

/** Config, model, thread store, process manager (with its exit handlers) and the session. */
export function createSession(opts: BackendOptions): CoreBackend {
  const home = corralHome();
  const { config, warnings } = loadConfig(home, opts.configOverrides ?? []);
  const leftovers = findLeftovers(home);
  const resolved = resolveModel(config, process.env);
  let binding: ModelBinding | { reason: string };
  if (resolved.ok) {
    binding = { model: resolved.model, providerId: resolved.provider.id, provider: createProvider(resolved.provider, process.env) };
  } else {
    binding = { reason: `No model is configured: ${resolved.reason}. Messages need one; !commands and /ps work without. Add to ${home}/config.toml:\n${CONFIG_EXAMPLE}` };
  }
  const store = new ThreadStore(home, secretsOf(resolved.ok ? resolved.provider : null, process.env), opts.cliVersion);
  store.onWarning = (message) => warnings.push(message);

  const MiB = 1024 * 1024;
  const manager = new ProcessManager({
    home,
    graceMs: config.terminals.stop_grace_ms,
    logs: {
      perTerminalBytes: config.terminals.log_max_mb * MiB,
      totalBytes: config.terminals.logs_total_mb * MiB,
      maxAgeDays: config.terminals.log_max_age_days,
    },
  });
  installHostShutdown(manager, { beforeExit: opts.beforeExit, signals: opts.ownSigint ? ['SIGTERM', 'SIGHUP'] : undefined });
  const session = new CorralSession(manager, config, process.cwd(), {
    binding,
    approvalPolicy: opts.approvalPolicy ?? config.approval_policy,
    instructions: buildInstructions,
    store,
    terminalSize: opts.terminalSize,
  });
  return { session, config, home, warnings, leftovers };
}

/** The session with an in-process client and a first thread: what the TUI and `corral exec` use. */
export async function startBackend(opts: BackendOptions): Promise<Backend> {
  const { session, config, warnings, leftovers } = createSession(opts);
  const client = new InProcessClient(session, { cliVersion: opts.cliVersion, source: opts.source });
  const { thread } = await client.request('thread/start', {});
  return {
    client,
    session,
    threadId: thread.id,
    model: session.model,
    warnings,
    leftovers,
    notify: config.notify,
    shutdown: () => session.shutdown(),
  };
}
