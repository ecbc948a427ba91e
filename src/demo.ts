// A short, honest demonstration of the process manager: run a command in the foreground, leave one running in
// the background, list both with live figures, stop the background one and show how it ended.
import { ProcessManager, corralHome, findLeftovers, installHostShutdown, shortId } from './exec/index.js';

export async function runDemo(): Promise<void> {
  const home = corralHome();
  for (const left of findLeftovers(home)) {
    console.log(`A previous corral (pid ${left.hostPid}) left ${left.alive.length} process(es) running:`);
    for (const p of left.alive) console.log(`  pid ${p.osPid}  ${p.command}`);
  }
  const manager = new ProcessManager({ home });
  installHostShutdown(manager);

  const quick = await manager.exec({ command: 'echo hello from $SHELL; uname -sr', tty: true, profile: 'user' });
  console.log(`• Ran echo (exit ${quick.exitCode}, ${quick.wallTimeMs} ms)\n${quick.output.trimEnd()}`);

  const bg = await manager.exec({
    command: 'for i in $(seq 1 1000); do echo "tick $i"; sleep 0.2; done',
    tty: true,
    yieldMs: 1000,
  });
  console.log(`• Still running in the background as [${shortId(bg.processId)}]`);

  const page = await manager.list();
  for (const r of page.data) {
    const proc = manager.get(r.processId);
    const last = proc?.screen.lines(1)[0]?.text ?? '';
    console.log(`  • [${shortId(r.processId)}] ${r.command}`);
    console.log(`    pid ${r.osPid} · cpu ${r.cpuPercent ?? 0}% · rss ${Math.round((r.rssKb ?? 0) / 1024)} MB · last: ${last}`);
  }

  const stopped = await manager.terminate(bg.processId);
  if (stopped) {
    console.log(`Stopped [${stopped.processId}] (${stopped.endedBy}, ${(stopped.durationMs / 1000).toFixed(1)} s)`);
  }
  await manager.shutdown();
}
