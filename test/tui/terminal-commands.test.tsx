// /name and /restart in the whole TUI over a real backend, and the cells they print.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecCellView } from '../../components/ExecCellView.js';
import { FooterView } from '../../components/Footer.js';
import { NoticeCellView } from '../../components/NoticeCellView.js';
import { RestartCellView } from '../../components/RestartCellView.js';
import { createAlert } from '../../src/tui/alert.js';
import type { RestartCell } from '../../src/tui/cells.js';
import { pidAlive } from '../helpers/os.js';
import { KEY, startApp } from './app-harness.js';
import { exec, report } from './fixtures.js';
import { frame } from './render-frame.js';

const WIDTH = 96;


function restartCell(over: Partial<RestartCell> = {}): RestartCell {
  return { kind: 'restart', id: 'r-1', command: 'npm run dev', name: 'web', report: report(), newProcessId: '48220', error: null, ...over };
}

describe('cells', () => {
  it('reports a restart with both halves', () => {
    const out = frame(<RestartCellView cell={restartCell()} width={WIDTH} />);
    expect(out).toContain('Restarted [48213] → [48220] web · npm run dev (SIGTERM, 0.2 s)');
    expect(out).toMatchSnapshot();
  });

  it('says when the old terminal survived its stop, and that nothing was started', () => {
    const cell = restartCell({ report: report({ terminated: false, survivors: [4242] }), newProcessId: null, error: '1 process of it survived the stop (pid 4242), so it was not started again' });
    const out = frame(<RestartCellView cell={cell} width={WIDTH} />);
    expect(out).toContain('Could not restart [48213]');
    expect(out).toMatchSnapshot();
  });

  it('says when the command did not start again', () => {
    const out = frame(<RestartCellView cell={restartCell({ name: null, newProcessId: '48220', error: 'it exited at once (exit 1)' })} width={WIDTH} />);
    expect(out).toContain('not running again: it exited at once (exit 1)');
    expect(out).toMatchSnapshot();
  });

  it('warns in a `!` cell when the same command already runs', () => {
    const out = frame(<ExecCellView cell={exec({ command: 'npm run dev', duplicateOf: { processId: '48213', ports: [5173, 24678] } })} width={WIDTH} />);
    expect(out).toContain('already running as [48213] · listening :5173, :24678');
    expect(out).toMatchSnapshot();
  });
});

describe('/name and /restart', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('names a terminal, lists it by name, restarts and stops it by name', async () => {
    const app = await startApp({ windowMs: 250 });
    close = () => app.close();
    await app.type('!sleep 3131');
    await app.press(KEY.enter);
    await app.waitFor('still running in the background as [');
    const id = /background as \[(\d+)\]/.exec(app.frame())![1]!;
    const pid = app.manager.info(id)!.osPid!;

    await app.type(`/name ${id} web`);
    await app.press(KEY.enter);
    await app.waitFor(`[${id}] is now named web.`);
    await app.type('/ps');
    await app.press(KEY.enter);
    await app.waitFor(`[${id}] web · sleep 3131`);

    await app.type('/restart web');
    await app.press(KEY.enter);
    const shown = await app.waitFor(/Restarted \[\d+\] → \[\d+\] web · sleep 3131/);
    const fresh = /→ \[(\d+)\]/.exec(shown)![1]!;
    expect(fresh).not.toBe(id);
    expect(pidAlive(pid)).toBe(false);
    const freshPid = app.manager.info(fresh)!.osPid!;
    expect(pidAlive(freshPid)).toBe(true);

    await app.type('/stop web');
    await app.press(KEY.enter);
    await app.waitFor(`Stopped [${fresh}]`);
    expect(pidAlive(freshPid)).toBe(false);
  });

  it('explains a bad name and an unknown terminal', async () => {
    const app = await startApp({ windowMs: 250 });
    close = () => app.close();
    await app.type('!sleep 3132');
    await app.press(KEY.enter);
    await app.waitFor('still running in the background as [');
    const id = /background as \[(\d+)\]/.exec(app.frame())![1]!;
    await app.type(`/name ${id} 42`);
    await app.press(KEY.enter);
    await app.waitFor('must not be a number');
    await app.type('/restart nosuch');
    await app.press(KEY.enter);
    await app.waitFor('No background terminal matches "nosuch".');
  });
});

describe('notices', () => {
  const base = { processId: '48213', command: 'npm run dev', name: null, ports: [5173], newPorts: [5173], url: 'http://localhost:5173/' };

  it('says when a terminal starts listening, with its URL', () => {
    const out = frame(<NoticeCellView cell={{ kind: 'notice', id: 'n-1', notice: { ...base, kind: 'listening', message: '[48213] npm run dev is listening on :5173 (http://localhost:5173/)' } }} />);
    expect(out).toBe('• [48213] npm run dev is listening on :5173 (http://localhost:5173/)');
    expect(out).toMatchSnapshot();
  });

  it('says when a terminal waits for input, and how to answer it', () => {
    const out = frame(<NoticeCellView cell={{ kind: 'notice', id: 'n-2', notice: { ...base, kind: 'waitingForInput', message: '[48213] npm run dev is waiting for input' } }} />);
    expect(out).toContain('/attach 48213 to type into it');
    expect(out).toMatchSnapshot();
  });

  it('says once that logging stopped', () => {
    const notice = { processId: null, command: null, name: null, ports: [], newPorts: [], url: null, kind: 'logStopped' as const, message: 'terminal logs stopped: no space left on device (/home/dev/.corral/logs)' };
    expect(frame(<NoticeCellView cell={{ kind: 'notice', id: 'n-3', notice }} />)).toMatchSnapshot();
  });

  it('marks waiting terminals in the footer', () => {
    const status = { backgroundRunning: 2, quitArmed: false, quitting: false, turn: null, model: 'qwen3', waiting: ['48213'] };
    const out = frame(<FooterView status={status} />);
    expect(out).toContain('[48213] waits for input · /attach 48213');
    expect(out).toMatchSnapshot();
  });
});

describe('alerts', () => {
  it('rings the bell and sends an OSC 9 notification without control characters, only when asked', () => {
    const written: string[] = [];
    const out = { write: (s: string) => written.push(s) };
    expect(createAlert(out, { bell: false, osc9: false })).toBeUndefined();
    const alert = createAlert(out, { bell: true, osc9: true })!;
    alert('a\x1b]evil\x07b');
    expect(written).toEqual(['\x1b]9;corral: ab\x07\x07']);
  });
});
