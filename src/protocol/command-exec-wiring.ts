// command/exec on the app-server: one service per server, its four methods given the calling connection.
import type { z } from 'zod';
import type { ProcessManager } from '../exec/index.js';
import { CommandExecService } from './command-exec.js';
import { CommandExecNotifications, CommandExecRequests } from './command-exec-shapes.js';
import type { AppServerOptions } from './server/app-server.js';

export function commandExecExtra(manager: ProcessManager): NonNullable<AppServerOptions['extra']> {
  const service = new CommandExecService(manager);
  return {
    methods: {
      'command/exec': (conn, params) => service.exec(conn, params as never),
      'command/exec/write': (conn, params) => service.write(conn, params as never),
      'command/exec/resize': (conn, params) => service.resize(conn, params as never),
      'command/exec/terminate': (conn, params) => service.terminate(conn, params as never),
    },
    params: Object.fromEntries(Object.entries(CommandExecRequests).map(([method, shape]) => [method, shape.params as z.ZodType])),
    closeConnection: (id) => service.closeConnection(id),
  };
}

export function commandExecSchemas(): { requests: typeof CommandExecRequests; notifications: typeof CommandExecNotifications } {
  return { requests: CommandExecRequests, notifications: CommandExecNotifications };
}
