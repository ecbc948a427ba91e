import { describe, expect, it } from 'vitest';
import { attachActions } from '../../src/tui/attach-keys.js';
import { attachWindow } from '../../src/tui/attach-window.js';
import type { TerminalReadData } from '../../src/protocol/terminal-shapes.js';

const ctx = { pageRows: 20, alternateScreen: false, applicationCursorKeys: false };

describe('keys while attached', () => {
  it('sends everything to the process unchanged: Ctrl+C, arrows, function keys, text', () => {
    const input = 'ab\x03\x1b[A\x1b[B\x1bOP\x1b[15~é\r';
    expect(attachActions(input, ctx)).toEqual([{ kind: 'send', data: input }]);
  });

  it('detaches on Ctrl+], sending what came before and dropping what came after', () => {
    expect(attachActions('ls\r\x1dxyz', ctx)).toEqual([{ kind: 'send', data: 'ls\r' }, { kind: 'detach' }]);
  });

  it('scrolls on PgUp/PgDn and the wheel on the normal screen', () => {
    expect(attachActions('\x1b[5~\x1b[6~\x1b[<64;10;5M\x1b[<65;10;5M', ctx)).toEqual([
      { kind: 'scroll', rows: 20 },
      { kind: 'scroll', rows: -20 },
      { kind: 'scroll', rows: 3 },
      { kind: 'scroll', rows: -3 },
    ]);
    // Clicks are the view's own; nothing reaches the process.
    expect(attachActions('\x1b[<0;10;5M\x1b[<0;10;5m', ctx)).toEqual([]);
  });

  it('gives PgUp/PgDn to a full-screen program, and its arrows in application mode', () => {
    const full = { ...ctx, alternateScreen: true, applicationCursorKeys: true };
    expect(attachActions('\x1b[5~\x1b[A\x1b[D', full)).toEqual([{ kind: 'send', data: '\x1b[5~\x1bOA\x1bOD' }]);
  });

  it('turns the wheel over a full-screen program into arrow keys, in the mode it asked for', () => {
    const full = { ...ctx, alternateScreen: true };
    expect(attachActions('\x1b[<64;10;5M', full)).toEqual([{ kind: 'send', data: '\x1b[A\x1b[A\x1b[A' }]);
    expect(attachActions('q\x1b[<65;10;5M', { ...full, applicationCursorKeys: true })).toEqual([{ kind: 'send', data: 'q\x1bOB\x1bOB\x1bOB' }]);
    // Clicks still reach nothing.
    expect(attachActions('\x1b[<0;10;5M', full)).toEqual([]);
  });
});

function screen(lines: string[], over: Partial<TerminalReadData> = {}): TerminalReadData {
  return {
    rows: 4,
    cols: 20,
    lines: lines.map((text) => ({ text, spans: text ? [{ text, style: {} }] : [] })),
    scrollback: 0,
    scrollbackAvailable: 0,
    cursor: { row: 3, col: 0, visible: true },
    alternateScreen: false,
    applicationCursorKeys: false,
    revision: 1,
    changed: true,
    tty: true,
    writable: true,
    status: 'running',
    osPid: 1,
    command: 'x',
    ...over,
  };
}

describe('the rows in view', () => {
  it('ends with the screen, and scrolls back into history', () => {
    const s = screen(['h1', 'h2', 'a', 'b', 'c', ''], { scrollback: 2, scrollbackAvailable: 2 });
    expect(attachWindow(s, 4, 0)).toMatchObject({ cursorRow: 3, maxScroll: 2 });
    expect(attachWindow(s, 4, 0).lines.map((l) => l.text)).toEqual(['a', 'b', 'c', '']);
    const back = attachWindow(s, 4, 2);
    expect(back.lines.map((l) => l.text)).toEqual(['h1', 'h2', 'a', 'b']);
    expect(back.cursorRow).toBeNull();
  });

  it('shows the used top of a screen taller than the view (a pipe, which is not resized)', () => {
    const s = screen(['one', 'two', '', '', '', ''], { rows: 6, cursor: { row: 2, col: 0, visible: true } });
    const w = attachWindow(s, 4, 0);
    expect(w.lines.map((l) => l.text)).toEqual(['one', 'two', '', '']);
    expect(w.cursorRow).toBe(2);
  });
});
