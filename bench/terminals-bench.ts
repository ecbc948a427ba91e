// What one /ps listing costs with 64 live PTY terminals: the process-table walk, CPU and memory, listening ports
// and the waiting-for-input check for every one (all quiet for 3 s, so every check runs), plus the port scan
// alone per terminal. Logs are on, as in corral.
//   npm run bench:terminals [-- --runs N] [-- --servers N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessManager } from '../src/exec/index.js';
import { scanPorts } from '../src/exec/ports.js';
import { arg, median, percentile, sleep } from './bench-util.js';

const TERMINALS = 64;
const RUNS = arg('runs', 20);
const SERVERS = arg('servers', 8);

async function until(ok: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`terminals-bench: timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'corral-terminals-bench-'));
  const manager = new ProcessManager({ home, guardian: null });
  const started = new AbortController();
  started.abort(); // return at once: every command stays running in the background
  try {
    const ids = await Promise.all(
      Array.from({ length: TERMINALS }, (_, i) =>
        manager
          .exec({
            command: i < SERVERS ? 'python3 -m http.server 0 --bind 127.0.0.1' : 'sleep 600',
            tty: true,
            login: false,
            background: started.signal,
          })
          .then((r) => r.processId),
      ),
    );
    await until(
      async () => (await manager.list({ limit: TERMINALS })).data.filter((r) => r.ports.length > 0).length === SERVERS,
      30_000,
      'the servers to listen',
    );
    // Quiet for 3 s: the waiting check now reads the kernel for every terminal.
    await sleep(3_200);

    const listMs: number[] = [];
    let ports = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const page = await manager.list({ limit: TERMINALS });
      listMs.push(performance.now() - t0);
      if (page.data.length !== TERMINALS) throw new Error(`terminals-bench: listed ${page.data.length} terminals`);
      ports = page.data.reduce((n, r) => n + r.ports.length, 0);
    }
    const trees = ids.map((id) => ({ members: manager.get(id)!.members() }));
    const scanMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await scanPorts(trees);
      scanMs.push(performance.now() - t0);
    }
    const perTerminal = median(scanMs) / TERMINALS;
    console.log(`${TERMINALS} PTY terminals (${SERVERS} http servers, ${ports} listening ports), ${RUNS} runs each`);
    console.log(
      `  list(64): median ${median(listMs).toFixed(1)} ms, p95 ${percentile(listMs, 0.95).toFixed(1)} ms, min ${Math.min(...listMs).toFixed(1)} ms`,
    );
    console.log(`  port scan of 64 trees: median ${median(scanMs).toFixed(1)} ms (${perTerminal.toFixed(2)} ms per terminal)`);
    const results = await manager.shutdown();
    const survivors = results.reduce((n, r) => n + r.survivors.length, 0);
    if (survivors > 0) throw new Error(`terminals-bench: ${survivors} processes survived the shutdown`);
    console.log(`terminals-bench: ps64-ms=${median(listMs).toFixed(0)} ports-ms=${perTerminal.toFixed(2)}`);
  } finally {
    await manager.shutdown();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
