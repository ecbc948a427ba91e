// Pictures of the interactive /ps and of the attach view's bars, as a user sees them.
import React from 'react';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { AttachHint, AttachTitleBar, attachFrame } from '../../components/AttachScreen.js';
import { PsPickerBody } from '../../components/PsPickerView.js';
import type { AttachView } from '../../src/tui/attach-mode.js';
import type { PickerState } from '../../src/tui/state.js';
import type { TerminalReadData } from '../../src/protocol/terminal-shapes.js';
import { stringWidth } from '../../src/tui/text-width.js';
import { line, terminal } from './fixtures.js';
import { frame } from './render-frame.js';

const WIDTH = 80;


const picker = (over: Partial<PickerState>): PickerState => ({ open: true, terminals: [], selected: null, confirmStop: null, error: null, ...over });

const three = [
  terminal(),
  terminal({ processId: '51007', command: 'python3 -m http.server 8000', osPid: 91300, cpuPercent: 0, rssKb: 20_480, tty: false }),
  terminal({ processId: '60210', command: 'cargo build', status: 'exited', exitCode: 0, osPid: null, cpuPercent: null, rssKb: null }),
];

describe('interactive /ps', () => {
  it('lists the terminals with one selected', () => {
    const out = frame(<PsPickerBody picker={picker({ terminals: three, selected: '51007' })} width={WIDTH} />);
    expect(out.split('\n')[0]).toBe(' Background terminals · ↑↓ choose · Enter attach · s stop · Esc close');
    // At 80 columns the command gives way to the figures.
    expect(out).toContain(' › [51007] python3 -m http.se [...] · pid 91300 · cpu 0% · rss 20 MB · pipes, view only');
    expect(out).toContain('   [48213] npm run dev · pid 91234');
    expect(out).toMatchSnapshot();
  });

  it('marks a named terminal that waits for input, and the ports of another', () => {
    const terminals = [
      terminal({ processId: '48213', command: 'sudo apt upgrade', name: 'apt', waitingForInput: true }),
      terminal({ processId: '48214', command: 'vite', ports: [5173, 24678] }),
    ];
    const out = frame(<PsPickerBody picker={picker({ terminals, selected: '48213' })} width={WIDTH} />);
    expect(out).toContain(' › [48213] apt · sudo apt upgrade · waiting for input · pid 91234');
    expect(out).toContain('   [48214] vite · :5173, :24678 · pid 91234');
    expect(out).toMatchSnapshot();
  });

  it('asks before stopping', () => {
    const out = frame(<PsPickerBody picker={picker({ terminals: three, selected: '48213', confirmStop: '48213' })} width={WIDTH} />);
    expect(out.split('\n').at(-1)).toBe(' Stop [48213] npm run dev? y/n');
    expect(out).toMatchSnapshot();
  });

  it('says so when there are none', () => {
    expect(frame(<PsPickerBody picker={picker({})} width={WIDTH} />)).toMatchSnapshot();
  });
});

function read(over: Partial<TerminalReadData> = {}): TerminalReadData {
  return {
    rows: 4,
    cols: WIDTH,
    lines: [line('Password: '), line(''), line(''), line('')],
    scrollback: 0,
    scrollbackAvailable: 0,
    cursor: { row: 0, col: 10, visible: true },
    alternateScreen: false,
    applicationCursorKeys: false,
    revision: 3,
    changed: true,
    tty: true,
    writable: true,
    status: 'running',
    osPid: 91234,
    command: 'sudo apt-get update',
    ...over,
  };
}

const title = { processId: '48213', command: 'sudo apt-get update', osPid: 91234, cpuPercent: 0.4, rssKb: 6_144, status: 'running' };

describe('the attach view', () => {
  it('has a title bar with id, command, pid, cpu, rss and status across the screen', () => {
    const out = frame(<AttachTitleBar title={title} width={WIDTH} />);
    expect(stripAnsi(out)).toMatch(/^ \[48213\] sudo apt-get update +pid 91234 · cpu 0% · rss 6\.0 MB · running$/);
    // The last column, a blank, is padded by attachFrame (Ink drops trailing blanks).
    expect(stringWidth(stripAnsi(out))).toBe(WIDTH - 1);
    expect(out).toMatchSnapshot();
  });

  it('shows the name, the ports and the URL in the title once they are known', () => {
    const out = stripAnsi(frame(<AttachTitleBar title={{ ...title, command: 'vite', name: 'web', ports: [3000], url: 'http://a:3000/' }} width={100} />));
    expect(out).toMatch(/ \[48213\] web · vite +pid 91234 · cpu 0% · rss 6\.0 MB · listening :3000 · http:\/\/a:3000\/ · running$/);
  });

  it('says where the whole output is logged', () => {
    const logPath = '/l/1-2/48213.log';
    const out = stripAnsi(frame(<AttachHint view={{ screen: read(), scroll: 0, gone: false, title: { ...title, logPath } }} />));
    expect(out).toBe(` keys go to the process · Ctrl+] back · PgUp/PgDn scroll · log ${logPath}`);
  });

  it('hints the keys of a PTY terminal', () => {
    const out = frame(<AttachHint view={{ screen: read(), scroll: 0, gone: false }} />);
    expect(stripAnsi(out)).toBe(' keys go to the process · Ctrl+] back to the conversation · PgUp/PgDn, wheel scroll');
    expect(out).toMatchSnapshot();
  });

  it('says a pipe terminal is view-only', () => {
    const out = frame(<AttachHint view={{ screen: read({ tty: false, writable: false }), scroll: 12, gone: false }} />);
    expect(stripAnsi(out)).toBe(' view only (pipes, no input) · scrolled back 12 rows · Ctrl+], Esc or q back · PgUp/PgDn scroll');
    expect(out).toMatchSnapshot();
  });

  it('says when the model waits for an approval meanwhile', () => {
    const out = stripAnsi(frame(<AttachHint view={{ screen: read(), scroll: 0, gone: false, approvalWaiting: true }} />));
    expect(out).toBe(' The model is waiting for your approval · Ctrl+] back to the conversation to answer');
  });

  it('draws every row, then puts the cursor where the process has it', () => {
    const view: AttachView = { title, screen: read(), scroll: 0, gone: false };
    const out = attachFrame(view, { rows: 6, cols: WIDTH });
    // Row 1 the title, rows 2-5 the screen, row 6 the hint; the cursor after "Password: ".
    expect(out).toContain('\x1b[2;1H\x1b[0mPassword: \x1b[0m\x1b[K');
    expect(out).toContain('\x1b[6;1H');
    expect(out.endsWith('\x1b[2;11H\x1b[?25h')).toBe(true);
    // Scrolled back, the cursor is not shown.
    const history = read({ lines: [line('earlier'), ...read().lines], scrollback: 1, scrollbackAvailable: 5 });
    const back = attachFrame({ ...view, screen: history, scroll: 1 }, { rows: 6, cols: WIDTH });
    expect(back).toContain('\x1b[2;1H\x1b[0mearlier\x1b[0m\x1b[K');
    expect(back.endsWith('\x1b[?25l') || !back.includes('\x1b[?25h')).toBe(true);
  });
});
