// The app-server on stdin/stdout: one JSON message per line each way. A slow reader is waited for (its
// messages are never dropped); producers that can pause (command/exec output) wait for the drain.
import { createInterface } from 'node:readline';
import type { AppServer } from './app-server.js';

export function serveStdio(server: AppServer, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const client = server.connect({
    send: (text) => output.write(`${text}\n`),
    drained: () => new Promise((resolve) => output.once('drain', () => resolve())),
    close: () => undefined,
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => client.receive(line));
  return new Promise((resolve) => {
    lines.on('close', () => {
      client.disconnect();
      resolve();
    });
  });
}
