import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTcpTable, scanPorts } from '../../src/exec/ports.js';
import type { ExecEvents } from '../../src/exec/index.js';
import { useManager } from '../helpers/manager.js';
import { waitUntil } from '../helpers/os.js';
import { readProcStatSync } from '../../src/exec/proc.js';

const manager = useManager();

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0
   2: 0100007F:8AE2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 4244 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0
`;

describe('parseTcpTable', () => {
  it('maps the inodes of listening sockets (state 0A) to their local ports, IPv4 and IPv6', () => {
    const sockets = parseTcpTable(TCP6, parseTcpTable(TCP));
    expect([...sockets]).toEqual([
      ['4242', 8080],
      ['4243', 631],
      ['5555', 80],
    ]);
  });

  it('skips a header-only or damaged table', () => {
    expect(parseTcpTable('  sl  local_address\n').size).toBe(0);
    expect(parseTcpTable('header\n   0: garbage\n\n').size).toBe(0);
  });
});

/** A listener started by the test itself, outside any managed tree; killed after the test. */
const outside: ChildProcess[] = [];
afterEach(() => {
  for (const c of outside.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function listenOutside(): Promise<{ port: number; pid: number }> {
  const child = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen()\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  outside.push(child);
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve({ port: Number(d.toString().trim()), pid: child.pid! }));
    child.once('error', reject);
  });
}

describe('listening ports of a terminal', () => {
  it('reports the port a python3 -m http.server 0 tree listens on, and not a listener outside the tree', async () => {
    const other = await listenOutside();
    const m = manager();
    const events: ExecEvents['listening'][] = [];
    m.events.on('listening', (e) => events.push(e));
    // The shell stays as the leader and python runs as its child: ports come from the members, not the leader.
    const r = await m.exec({ command: 'python3 -u -m http.server 0 --bind 127.0.0.1; true', tty: true, yieldMs: 250 });
    let port = 0;
    expect(
      await waitUntil(async () => {
        const rec = (await m.list()).data.find((d) => d.processId === r.processId)!;
        port = Number(/port (\d+)/.exec(m.get(r.processId)!.screen.lines().map((l) => l.text).join('\n'))?.[1] ?? 0);
        return port > 0 && rec.ports.length > 0;
      }, 10_000, 100),
    ).toBe(true);
    const rec = (await m.list()).data.find((d) => d.processId === r.processId)!;
    expect(rec.ports).toEqual([port]);
    expect(rec.ports).not.toContain(other.port);
    expect(m.info(r.processId)!.ports).toEqual([port]);
    // One notice for the new port, with the URL it printed once the screen shows it.
    expect(events.filter((e) => e.processId === r.processId).map((e) => e.newPorts)).toEqual([[port]]);
    expect(await waitUntil(() => m.info(r.processId)!.url === `http://127.0.0.1:${port}/`, 3000)).toBe(true);
  });

  it('scans many trees in one go, and a tree whose processes are gone has none', async () => {
    const other = await listenOutside();
    const start = readProcStatSync(other.pid)!.startTime;
    const [mine, gone, empty] = await scanPorts([
      { members: [{ pid: other.pid, startTime: start }] },
      { members: [{ pid: 999_999, startTime: 1 }] },
      { members: [] },
    ]);
    expect(mine).toEqual([other.port]);
    expect(gone).toEqual([]);
    expect(empty).toEqual([]);
  });
});
