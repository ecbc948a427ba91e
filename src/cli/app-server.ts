// `corral app-server`: the session served over stdio (default) or WebSocket, and `generate-json-schema`.
import { VERSION } from '../version.js';
import type { AppServerOptions } from './args.js';

export async function runAppServer(opts: AppServerOptions): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`corral app-server: ${line}\n`);
  if (opts.generateSchemaOut) {
    const { writeSchemas } = await import('../protocol/json-schema.js');
    const { commandExecSchemas } = await import('../protocol/command-exec-wiring.js');
    log(`wrote ${writeSchemas(opts.generateSchemaOut, commandExecSchemas()).length} schemas to ${opts.generateSchemaOut}`);
    return 0;
  }
  const { parseListen, serveWebSocket, newToken } = await import('../protocol/server/websocket.js');
  const listen = parseListen(opts.listen);
  if ('error' in listen) {
    log(listen.error);
    return 2;
  }
  const { createSession } = await import('../backend.js');
  const { AppServer } = await import('../protocol/server/app-server.js');
  const { serveStdio } = await import('../protocol/server/stdio.js');
  const { commandExecExtra } = await import('../protocol/command-exec-wiring.js');
  const core = createSession({ configOverrides: opts.configOverrides, cliVersion: VERSION, source: 'appServer', beforeExit: () => undefined });
  for (const w of core.warnings) log(w);
  const server = new AppServer(core.session, { cliVersion: VERSION, source: 'appServer', home: core.home, extra: commandExecExtra(core.session.manager) });
  if (listen.kind === 'stdio') {
    await serveStdio(server, process.stdin, process.stdout);
    // The client is gone: interrupt turns and stop every process first, then let go of the threads.
    await core.session.shutdown();
    await server.close();
    return 0;
  }
  const fromEnv = process.env.CORRAL_APP_SERVER_TOKEN;
  const token = fromEnv && fromEnv.length > 0 ? fromEnv : newToken();
  const ws = await serveWebSocket(server, { host: listen.host, port: listen.port, token });
  log(`listening on ${ws.url}`);
  if (!fromEnv) log(`token ${token} (send it as "Authorization: Bearer TOKEN")`);
  // Runs until a signal: the host-shutdown handlers stop every process and exit.
  await new Promise(() => undefined);
  return 0;
}
