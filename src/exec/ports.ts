// The TCP ports a process tree listens on, from the kernel: the listening sockets of the tree's network
// namespace (`/proc/PID/net/tcp` and `tcp6`, state 0A) matched by inode to the sockets its members hold open
// (`/proc/PID/fd/N` -> `socket:[INODE]`). One scan of many trees reads each namespace's tables once.
import { readFile, readdir, readlink } from 'node:fs/promises';
import type { ProcessIdentity } from './proc.js';

const LISTEN = '0A';

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

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Listening sockets as the process `pid` sees them (its network namespace); corral's if it is gone. */
async function listeningSockets(pid: number | null): Promise<Map<string, number>> {
  const sockets = new Map<string, number>();
  for (const table of ['tcp', 'tcp6']) {
    const own = pid === null ? null : await readText(`/proc/${pid}/net/${table}`);
    const text = own ?? (await readText(`/proc/net/${table}`));
    if (text !== null) parseTcpTable(text, sockets);
  }
  return sockets;
}

/** The network namespace of the first of these processes still there, and a pid to read its tables through. */
async function netNamespace(pids: readonly number[]): Promise<{ ns: string; pid: number | null }> {
  for (const pid of pids) {
    try {
      return { ns: await readlink(`/proc/${pid}/ns/net`), pid };
    } catch {
      // gone: try the next
    }
  }
  return { ns: 'host', pid: null };
}

/** Inodes of the sockets one process holds open (none if it is gone or not ours to read). */
async function socketInodes(pid: number): Promise<string[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  const inodes: string[] = [];
  for (const link of links) if (link.startsWith('socket:[')) inodes.push(link.slice(8, -1));
  return inodes;
}

export interface PortTree {
  /** Live members, the leader first if it runs: the first one still there gives the tree's network namespace. */
  members: readonly ProcessIdentity[];
}

/** Sorted unique listening ports of each tree, in order. Never throws: what cannot be read has no ports. */
export async function scanPorts(trees: readonly PortTree[]): Promise<number[][]> {
  const namespaces = await Promise.all(trees.map((t) => netNamespace(t.members.slice(0, 3).map((m) => m.pid))));
  // One read of the tables per namespace, through a live process in it.
  const tables = new Map<string, Promise<Map<string, number>>>();
  for (const { ns, pid } of namespaces) if (!tables.has(ns)) tables.set(ns, listeningSockets(pid));
  return Promise.all(
    trees.map(async (t, i) => {
      if (t.members.length === 0) return [];
      const table = await tables.get(namespaces[i]!.ns)!;
      if (table.size === 0) return [];
      const held = await Promise.all(t.members.map((m) => socketInodes(m.pid)));
      const ports = new Set<number>();
      for (const inodes of held) for (const inode of inodes) {
        const port = table.get(inode);
        if (port !== undefined) ports.add(port);
      }
      return [...ports].sort((a, b) => a - b);
    }),
  );
}
