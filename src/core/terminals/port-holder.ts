// A command that failed because its port is taken: which of corral's terminals holds that port, if one does.
// The ports come from the kernel (the manager's last scan); the failure from the command's own output.

export interface PortHolder {
  processId: string;
  port: number;
  command: string;
  name: string | null;
}

const IN_USE = /address already in use|EADDRINUSE|port \d+ is (?:already )?in use|address in use/i;
// `:8765`, `port 8765`, `port: 8765`, `[::]:8765`, `0.0.0.0:8765`
const PORT = /(?::|\bport[:= ]\s*)(\d{2,5})\b/gi;

// Numbers on the command line: `python3 -m http.server 8765` fails with a message that names no port.
const NUMBER = /\b(\d{2,5})\b/g;

/**
 * Ports that an "address already in use" failure may be about: those its output names, and the numbers of its
 * command line. Empty when the output says nothing of the kind.
 */
export function portsInUseError(output: string, command = ''): number[] {
  if (!IN_USE.test(output)) return [];
  const ports = new Set<number>();
  for (const m of [...output.matchAll(PORT), ...command.matchAll(NUMBER)]) {
    const port = Number(m[1]);
    if (port > 0 && port < 65536) ports.add(port);
  }
  return [...ports];
}

/** The terminal among `terminals` listening on a port the failure names. */
export function findPortHolder(
  output: string,
  command: string,
  terminals: Iterable<{ processId: string; ports: readonly number[]; command: string; name: string | null }>,
): PortHolder | null {
  const named = portsInUseError(output, command);
  if (named.length === 0) return null;
  for (const t of terminals) {
    const port = named.find((p) => t.ports.includes(p));
    if (port !== undefined) return { processId: t.processId, port, command: t.command, name: t.name };
  }
  return null;
}
