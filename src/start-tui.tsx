// The composition root of the TUI. It draws the first frame with only the UI loaded, then loads the backend
// (process manager, session, protocol, model) and connects the two. The only module that knows every layer.
import { render } from 'ink';
import React from 'react';
import { commands } from '../commands/registry.js';
import { openThread } from '../commands/resume.js';
import { App } from '../components/App.js';
import { attachFrame } from '../components/AttachScreen.js';
import type { Backend } from './backend.js';
import { ATTACH_LEAVE, AttachMode } from './tui/attach-mode.js';
import { cellId } from './tui/cells.js';
import { TuiController } from './tui/controller.js';
import { DeferredClient } from './tui/deferred-client.js';
import { turnsToCells } from './tui/history-cells.js';
import { commandTerminalSize } from './tui/layout.js';
import { loadMarkdown } from './tui/markdown/load.js';
import { OutputHold } from './tui/output-hold.js';
import { PrintChannel } from './tui/print-channel.js';
import { guardReflow } from './tui/reflow-guard.js';
import { TuiState } from './tui/state.js';
import { StdinGate } from './tui/stdin-gate.js';
import { readSize } from './tui/use-terminal-size.js';
import { wireAgent } from './tui/wire-agent.js';
import { wireNotifications } from './tui/wire-notifications.js';
import { createAlert } from './tui/alert.js';
import { VERSION } from './version.js';

export interface TuiOptions {
  /** `-c key=value` overrides, -m and --provider included. */
  configOverrides?: string[];
  /** `corral resume`: the newest thread, a given one, or (neither) the picker. */
  resume?: { last: boolean; threadId?: string };
}

function restoreTerminal(): void {
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdout.write('\x1b[?25h'); // show the cursor
}

export async function startTui(opts: TuiOptions = {}): Promise<void> {
  let resolveBackend!: (b: Backend) => void;
  const backendReady = new Promise<Backend>((resolve) => (resolveBackend = resolve));
  const client = new DeferredClient(backendReady.then((b) => b.client));
  const state = new TuiState(''); // the thread id arrives with the backend
  // Notices may ring or notify once the backend (and its [notify] settings) is there.
  const alert: { ring?: (message: string) => void } = {};
  wireNotifications(client, state, (n) => alert.ring?.(n));

  let quitting = false;
  const terminalSize = (): { rows: number; cols: number } => commandTerminalSize(readSize(process.stdout));
  // Attach takes the keyboard from Ink and the screen from everything else until Ctrl+].
  const hold = new OutputHold();
  const stdinGate = new StdinGate(process.stdin);
  const attach = new AttachMode(client, state, {
    write: (data) => void process.stdout.write(data),
    size: () => readSize(process.stdout),
    hold,
    stdin: stdinGate,
    frame: attachFrame,
    terminalSize,
  });
  const controller = new TuiController(client, state, commands, {
    terminalSize,
    attach: (processId) => attach.attach(processId),
    ready: backendReady.then(() => undefined),
    quit: () => {
      if (quitting) return;
      quitting = true;
      attach.detach();
      state.setStatus({ quitting: true, quitArmed: false });
      void (async () => {
        const backend = await backendReady;
        controller.conversation.interrupt();
        await client.request('thread/backgroundTerminals/clean', { threadId: state.status.get().threadId }).catch(() => undefined);
        await backend.shutdown(); // foreground commands and every thread's terminals too
        state.setStatus({ quitting: false, done: true });
        // Let the last frame (without the composer) render before unmounting.
        setTimeout(() => app.unmount(), 50);
      })();
    },
  });
  wireAgent(client, state, {
    onTurnEnded: () => controller.turnEnded(),
    onApproval: (ask) => controller.conversation.ask(ask),
  });

  // Created before Ink subscribes to resizes, so that it sees them first.
  const printChannel = new PrintChannel();
  const stdout = guardReflow(process.stdout, printChannel, hold);
  const app = render(<App state={state} controller={controller} printChannel={printChannel} />, {
    stdout,
    stdin: stdinGate.stdin,
    exitOnCtrlC: false,
    maxFps: 30,
  });

  const { startBackend } = await import('./backend.js');
  const backend = await startBackend({
    beforeExit: () => {
      // Killed while attached: the person's terminal must not stay on the alternate screen with the mouse captured.
      if (attach.active) process.stdout.write(ATTACH_LEAVE);
      restoreTerminal();
    },
    configOverrides: opts.configOverrides,
    cliVersion: VERSION,
    source: 'cli',
    terminalSize,
  });
  state.setStatus({ threadId: backend.threadId, model: backend.model });
  alert.ring = createAlert(process.stdout, backend.notify);
  resolveBackend(backend);
  void loadMarkdown();
  for (const warning of backend.warnings) state.append({ kind: 'error', id: cellId('config'), text: warning });
  // Only a pointer: /ps lists them under "Left by an earlier run", and /stop <pid> stops one when asked.
  const leftovers = backend.leftovers.reduce((n, left) => n + left.alive.length, 0);
  if (leftovers > 0) {
    state.append({
      kind: 'info',
      id: cellId('leftover'),
      text: `${leftovers} process${leftovers === 1 ? '' : 'es'} left running by an earlier corral: see /ps.`,
    });
  }
  if (opts.resume) await resumeAtStart(opts.resume, controller, state, client);
  // Running commands are shown at the terminal's width: keep their terminals that wide.
  // An attached one then gets the size of its view instead (requests are handled in order).
  process.stdout.on('resize', () => {
    void client.request('thread/terminals/resize', { threadId: state.status.get().threadId, size: terminalSize() }).catch(() => undefined);
    attach.onResize();
  });

  await app.waitUntilExit();
  attach.detach();
  controller.dispose();
  await backend.shutdown();
  process.exit(0);
}

async function resumeAtStart(resume: NonNullable<TuiOptions['resume']>, controller: TuiController, state: TuiState, client: DeferredClient): Promise<void> {
  let threadId = resume.threadId;
  if (resume.last) threadId = (await client.request('thread/list', { limit: 1 })).data[0]?.id;
  if (!threadId) {
    if (resume.last) state.append({ kind: 'info', id: cellId('resume'), text: 'No earlier conversation to resume; this is a new one.' });
    else controller.prefill('/resume ');
    return;
  }
  try {
    const ctx = {
      client,
      state,
      commands,
      get threadId() {
        return state.status.get().threadId;
      },
    };
    const opened = await openThread(ctx, threadId);
    state.append({ kind: 'info', id: cellId('resume'), text: `Resumed the conversation in ${opened.thread.cwd}.` }, ...turnsToCells(opened.thread.turns));
  } catch (err) {
    state.append({ kind: 'error', id: cellId('resume'), text: `Could not resume ${threadId}: ${(err as Error).message}` });
  }
}
