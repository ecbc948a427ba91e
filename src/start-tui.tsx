// The composition root: builds the backend (process manager, session, in-process client), the TUI state and
// controller, and renders the Ink app. The only module that knows every layer.
import { render } from 'ink';
import React from 'react';
import { commands } from '../commands/registry.js';
import { App } from '../components/App.js';
import { loadConfig } from './core/config.js';
import { CorralSession } from './core/session.js';
import { ProcessManager, corralHome, findLeftovers, installHostShutdown } from './exec/index.js';
import { InProcessClient } from './protocol/client.js';
import { cellId } from './tui/cells.js';
import { TuiController } from './tui/controller.js';
import { commandTerminalSize } from './tui/layout.js';
import { TuiState } from './tui/state.js';
import { guardReflow } from './tui/reflow-guard.js';
import { readSize } from './tui/use-terminal-size.js';
import { wireNotifications } from './tui/wire-notifications.js';

function restoreTerminal(): void {
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdout.write('\x1b[?25h'); // show the cursor
}

export async function startTui(): Promise<void> {
  const home = corralHome();
  const { config, warnings } = loadConfig(home);
  const leftovers = findLeftovers(home);
  const manager = new ProcessManager({ home, graceMs: config.terminals.stop_grace_ms });
  const session = new CorralSession(manager, config);
  installHostShutdown(session.manager, { beforeExit: restoreTerminal });
  const client = new InProcessClient(session);
  const { thread } = await client.request('thread/start', {});
  const state = new TuiState(thread.id);
  wireNotifications(client, state);

  for (const warning of warnings) state.append({ kind: 'error', id: cellId('config'), text: warning });
  for (const left of leftovers) {
    const list = left.alive.map((p) => `pid ${p.osPid} (${p.command})`).join(', ');
    state.append({
      kind: 'error',
      id: cellId('leftover'),
      text: `A previous corral (pid ${left.hostPid}) ended without stopping ${left.alive.length} process(es): ${list}. They are not managed by this run; end them with kill.`,
    });
  }

  let quitting = false;
  const terminalSize = (): { rows: number; cols: number } => commandTerminalSize(readSize(process.stdout));
  const controller = new TuiController(client, state, commands, {
    terminalSize,
    quit: () => {
      if (quitting) return;
      quitting = true;
      state.setStatus({ quitting: true, quitArmed: false });
      void (async () => {
        await client.request('thread/backgroundTerminals/clean', { threadId: thread.id }).catch(() => undefined);
        await session.shutdown(); // foreground commands too
        state.setStatus({ quitting: false, done: true });
        // Let the last frame (without the composer) render before unmounting.
        setTimeout(() => app.unmount(), 50);
      })();
    },
  });

  // Created before Ink subscribes to resizes, so that it sees them first.
  const stdout = guardReflow(process.stdout);
  const app = render(<App state={state} controller={controller} />, { stdout, exitOnCtrlC: false, maxFps: 30 });
  // Running commands are shown at the terminal's width: keep their terminals that wide.
  process.stdout.on('resize', () => {
    void client.request('thread/terminals/resize', { threadId: thread.id, size: terminalSize() }).catch(() => undefined);
  });
  await app.waitUntilExit();
  controller.dispose();
  await session.shutdown();
  process.exit(0);
}
