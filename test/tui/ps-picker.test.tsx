// The interactive /ps over a real backend: Ctrl+T and /ps -i open it, s + y stops the selected terminal with the
// verified report, Esc closes it; Enter without a terminal to take over says so.
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../helpers/os.js';
import { KEY, startApp } from './app-harness.js';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

const CTRL_T = '\x14';

describe('the interactive /ps', () => {
  it('opens with Ctrl+T, stops the selected terminal after y, and closes with Esc', async () => {
    const app = await startApp({ windowMs: 200 });
    close = () => app.close();
    await app.type('!sleep 3061');
    await app.press(KEY.enter);
    const screen = await app.waitFor(/still running in the background as \[(\d+)\]/);
    const id = /still running in the background as \[(\d+)\]/.exec(screen)![1]!;
    const pid = app.manager.info(id)!.osPid!;

    await app.press(CTRL_T);
    await app.waitFor(` › [${id}] sleep 3061 · pid ${pid}`);
    await app.press('s');
    await app.waitFor(`Stop [${id}] sleep 3061? y/n`);
    await app.press('y');
    await app.waitFor(new RegExp(`Stopped \\[${id}\\] sleep 3061 \\(SIGTERM`));
    expect(pidAlive(pid)).toBe(false);
    await app.waitFor('No background terminals.');
    // Keys went to the list, not the composer.
    expect(app.composer()).not.toMatch(/[sy]$/);
    await app.press(KEY.escape);
    await app.waitFor(/^(?![\s\S]*↑↓ choose)/);
  });

  it('opens with /ps -i, and Enter needs a terminal to take over', async () => {
    const app = await startApp({ windowMs: 200 });
    close = () => app.close();
    await app.type('!sleep 3062');
    await app.press(KEY.enter);
    await app.waitFor(/still running in the background as \[(\d+)\]/);
    await app.type('/ps -i');
    await app.press(KEY.enter);
    await app.waitFor(' › [');
    await app.press(KEY.enter);
    await app.waitFor('Attaching needs corral running in a terminal.');
    expect(app.frame()).not.toContain('↑↓ choose');
  });
});
