// The TCP ports a process tree listens on, from the kernel: the listening sockets of the tree's network
// namespace (`/proc/PID/net/tcp` and `tcp6`, state 0A) matched by inode to the sockets its members hold open
// (`/proc/PID/fd/N` -> `socket:[INODE]`). One scan of many trees reads each namespace's tables once, and only
// if some member holds a socket: the kernel walks its whole connection hash table to write them (about 4 ms
// each on a large machine, with two lines in them), while a tree's fd links cost microseconds.
//
// The reads are synchronous: an fs.promises call costs a trip through libuv's four-thread pool; with 64
// terminals the async version took ~10 times as long. The event loop gets a turn between trees (yieldEvery).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { ProcessIdentity } from './proc.js';
import { yieldEvery } from './yield-every.js';

const LISTEN = '0A';
const TREES_PER_TURN = 16;

/**
 * Listening sockets in the text of a /proc/net/tcp or tcp6 table: socket inode -> local port. The first line
 * is the header; columns are `sl local_address rem_address st ... uid timeout inode ...`, the local address
 * written as hex `ADDRESS:PORT`.
 */
export function parseTcpTable(text: string, into = new Map<string, number>()): Map<string, number> {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = lines[i]!.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== LISTEN) continue;
    const local = cols[1]!;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = cols[9]!;
    if (Number.isInteger(port) && port > 0 && inode !== '0') into.set(inode, port);
  }
  return into;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Listening sockets as the process `pid` sees them (its network namespace); corral's if it is gone. */
function listeningSockets(pid: number | null): Map<string, number> {
  const sockets = new Map<string, number>();
  for (const table of ['tcp', 'tcp6']) {
    const own = pid === null ? null : readText(`/proc/${pid}/net/${table}`);
    const text = own ?? readText(`/proc/net/${table}`);
    if (text !== null) parseTcpTable(text, sockets);
  }
  return sockets;
}

/** The network namespace of the first of these processes still there, and a pid to read its tables through. */
function netNamespace(pids: readonly number[]): { ns: string; pid: number | null } {
  for (const pid of pids) {
    try {
      return { ns: readlinkSync(`/proc/${pid}/ns/net`), pid };
    } catch {
      // gone: try the next
    }
  }
  return { ns: 'host', pid: null };
}

/** Inodes of the sockets one process holds open (none if it is gone or not ours to read). */
function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: string[] = [];
  for (const fd of fds) {
    let link: string;
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (link.startsWith('socket:[')) inodes.push(link.slice(8, -1));
  }
  return inodes;
}

export interface PortTree {
  /** Live members, the leader first if it runs: the first one still there gives the tree's network namespace. */
  members: readonly ProcessIdentity[];
}

/** Sorted unique listening ports of each tree, in order. Never throws: what cannot be read has no ports. */
export async function scanPorts(trees: readonly PortTree[]): Promise<number[][]> {
  // One read of the tables per namespace, through a live process in it.
  const tables = new Map<string, Map<string, number>>();
  const turn = yieldEvery(TREES_PER_TURN);
  const out: number[][] = [];
  for (const t of trees) {
    await turn();
    if (t.members.length === 0) {
      out.push([]);
      continue;
    }
    const inodes = t.members.flatMap((m) => socketInodes(m.pid));
    if (inodes.length === 0) {
      out.push([]);
      continue;
    }
    const { ns, pid } = netNamespace(t.members.slice(0, 3).map((m) => m.pid));
    let table = tables.get(ns);
    if (!table) tables.set(ns, (table = listeningSockets(pid)));
    const ports = new Set<number>();
    for (const inode of inodes) {
      const port = table.get(inode);
      if (port !== undefined) ports.add(port);
    }
    out.push([...ports].sort((a, b) => a - b));
  }
  return out;
}
