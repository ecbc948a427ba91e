import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive, waitUntil } from '../helpers/os.js';
import { KEY, startApp } from './app-harness.js';

type App = Awaited<ReturnType<typeof startApp>>;
let app: App | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/**
 * Waits until the command's shell has become the program (`bash -lc` execs it): an interrupt sent while a busy
 * machine is still reading the login profile reaches the shell, not the command.
 */
async function execed(a: Awaited<ReturnType<typeof startApp>>, comm: string): Promise<void> {
  const ok = await waitUntil(() =>
    a.manager.keys().some((k) => {
      const pid = a.manager.info(k)?.osPid;
      try {
        return pid != null && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    }),
  );
  if (!ok) throw new Error(`no ${comm} started`);
}

describe('the composer', () => {
  it('shows what is typed and edits it', async () => {
    app = await startApp();
    await app.type('hello wrold');
    expect(await app.waitForComposer('› hello wrold')).toContain('› hello wrold');
    await app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await app.type('orld');
    expect(await app.waitForComposer('› hello world')).not.toContain('wrold');
    await app.press(KEY.ctrlU);
    expect(await app.waitForComposer('Type a message')).not.toContain('hello');
  });

  it('reads Enter inside a chunk as Enter (fast typing, pasted lines)', async () => {
    app = await startApp();
    await app.type('/help\r');
    await app.waitFor('Commands');
    expect(app.composer()).toContain('Type a message');
  });

  it('recalls earlier input with the up arrow', async () => {
    app = await startApp();
    await app.type('/help');
    await app.press(KEY.enter);
    await app.press(KEY.up);
    expect(await app.waitForComposer('› /help')).toContain('› /help');
  });
});

describe('slash commands', () => {
  it('opens a popup of commands on "/" and filters it as you type', async () => {
    app = await startApp();
    await app.type('/');
    let f = await app.waitFor('/ps');
    // The popup shows the first commands and counts the rest.
    for (const name of ['/ps', '/attach', '/stop', '/restart', '/help']) expect(f).toContain(name);
    expect(f).toMatch(/… \d+ more/);
    await app.type('cl');
    f = await app.waitFor(/› \/cl[\s\S]*\/clean/);
    expect(f).toContain('/clean');
    expect(f).toContain('/clear');
    expect(f).not.toContain('/ps ');
  });

  it('completes with Tab and runs with Enter', async () => {
    app = await startApp();
    await app.type('/st');
    await app.press(KEY.tab);
    expect(await app.waitForComposer('› /stop ')).toContain('› /stop ');
    await app.press(KEY.enter);
    await app.waitFor('No background terminals to stop.');
  });

  it('runs the selected command when Enter is pressed on a partial name', async () => {
    app = await startApp();
    await app.type('/he');
    await app.press(KEY.enter);
    await app.waitFor('Keys');
  });

  it('reports an unknown command as an error and sends nothing', async () => {
    app = await startApp();
    await app.type('/frobnicate');
    await app.press(KEY.enter);
    await app.waitFor('Unknown command: /frobnicate');
    expect(app.frame()).not.toContain('No model is configured');
  });

  it('clears the transcript with /clear', async () => {
    const a = (app = await startApp());
    await a.type('/help\r');
    await a.waitFor('Keys');
    const before = a.state.transcript.get().batch;
    await a.type('/clear\r');
    expect(await waitUntil(() => a.state.transcript.get().batch > before && !a.state.transcript.get().clearScreen)).toBe(true);
    expect(a.state.transcript.get().pending).toEqual([]);
  });

  it('prints the transcript only once when quitting finishes', async () => {
    app = await startApp();
    await app.type('/help\r');
    await app.waitFor('Keys');
    app.state.setStatus({ done: true });
    expect(await waitUntil(() => !app!.frame().includes('Type a message'), 5000)).toBe(true);
    const f = app.frame();
    expect(f.match(/^Commands$/gm)).toHaveLength(1);
    expect(f).not.toContain('Type a message');
  });

  it('says that messages go nowhere without a model', async () => {
    app = await startApp();
    await app.type('hi there\r');
    await app.waitFor('No model is configured');
    expect(app.frame()).toContain('› hi there');
  });
});

describe('! commands', () => {
  it('runs a command and shows how it ended with its output', async () => {
    app = await startApp();
    await app.type('!printf "alpha\\nbeta\\n"; exit 3\r');
    const f = await app.waitFor('• Ran printf');
    expect(f).toContain('exit 3');
    expect(f).toContain('alpha');
    expect(f).toContain('beta');
  });

  it('shows the live screen of a running command', async () => {
    app = await startApp();
    await app.type('!echo first-line; sleep 30\r');
    await app.waitFor(/• Running echo first-line[\s\S]*first-line/);
  });

  it('sends a running command to the background with Ctrl+B, then lists and stops it', async () => {
    app = await startApp();
    await app.type('!sleep 3001\r');
    await app.waitFor('• Running sleep 3001');
    await app.press(KEY.ctrlB);
    const f = await app.waitFor('still running in the background as [');
    const id = /background as \[(\d+)\]/.exec(f)![1]!;
    await app.waitFor('1 background terminal running');
    await app.type('/ps\r');
    await app.waitFor(`[${id}] sleep 3001`);
    const pid = Number(/pid (\d+) ·/.exec(app.frame())![1]);
    expect(pidAlive(pid)).toBe(true);
    await app.type('/stop ');
    // The ids are completed asynchronously (a list request): Tab means something once the popup is there.
    expect(await waitUntil(() => app!.state.composer.get().popup?.kind === 'args', 5000)).toBe(true);
    await app.press(KEY.tab);
    expect(await waitUntil(() => app!.composer().includes(`/stop ${id}`), 5000)).toBe(true);
    await app.press(KEY.enter);
    await app.waitFor(`Stopped [${id}] sleep 3001 (SIGTERM`);
    expect(pidAlive(pid)).toBe(false);
    await app.waitFor('! for shell commands');
  });

  it('makes a command that outlives the foreground window a background terminal', async () => {
    app = await startApp({ windowMs: 300 });
    await app.type('!sleep 3002\r');
    await app.waitFor('still running in the background as [');
  });
});

describe('Ctrl+C and Esc', () => {
  it('interrupts a running foreground command', async () => {
    app = await startApp();
    await app.type('!sleep 3003\r');
    await app.waitFor('• Running sleep 3003');
    await execed(app, 'sleep');
    await app.press(KEY.ctrlC);
    const f = await app.waitFor('• Ran sleep 3003');
    expect(f).toContain('SIGINT');
  });

  it('interrupts with Esc too', async () => {
    app = await startApp();
    await app.type('!sleep 3004\r');
    await app.waitFor('• Running sleep 3004');
    await execed(app, 'sleep');
    await app.press(KEY.escape);
    await app.waitFor('• Ran sleep 3004');
  });

  it('clears the composer, then asks, then quits; never stopping a background terminal', async () => {
    app = await startApp({ windowMs: 250 });
    await app.type('!sleep 3005\r');
    await app.waitFor('1 background terminal running');
    await app.type('draft');
    await app.waitForComposer('› draft');
    await app.press(KEY.ctrlC);
    expect(await app.waitForComposer('Type a message')).not.toContain('draft');
    await app.press(KEY.ctrlC);
    await app.waitFor('Press Ctrl+C again to quit (stops 1 background terminal)');
    expect(app.quits()).toBe(0);
    expect(app.state.status.get().backgroundRunning).toBe(1);
    await app.press(KEY.ctrlC);
    expect(await waitUntil(() => app!.quits() === 1, 5000)).toBe(true);
  });
});
