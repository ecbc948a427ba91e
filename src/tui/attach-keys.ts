// What the keyboard means while a terminal is attached: bytes go to the process unchanged, except Ctrl+] (detach),
// PgUp/PgDn on the normal screen and the mouse wheel (scroll the view; over a full-screen program the wheel is
// arrow keys, as terminals do it for `less` or `man`). Pure: a chunk of input in, actions out.

export type AttachAction = { kind: 'detach' } | { kind: 'scroll'; rows: number } | { kind: 'send'; data: string };

export interface AttachKeyContext {
  /** Rows a page scrolls. */
  pageRows: number;
  /** A full-screen program runs: it has no scrollback to scroll, so PgUp/PgDn are its keys. */
  alternateScreen: boolean;
  /** The program asked for application cursor keys: arrows go as `ESC O A`, as a terminal in that mode sends them. */
  applicationCursorKeys: boolean;
}

const DETACH = '\x1d';
const PAGE_UP = '\x1b[5~';
const PAGE_DOWN = '\x1b[6~';
/** SGR mouse report: `ESC [ < button ; col ; row M|m`. */
// eslint-disable-next-line no-control-regex
const MOUSE = /\x1b\[<(\d+);\d+;\d+[Mm]/y;
const WHEEL_ROWS = 3;
// eslint-disable-next-line no-control-regex
const ARROW = /\x1b\[([ABCDHF])/g;

export function attachActions(input: string, ctx: AttachKeyContext): AttachAction[] {
  const actions: AttachAction[] = [];
  let pending = '';
  const send = (): void => {
    if (pending === '') return;
    const data = ctx.applicationCursorKeys ? pending.replace(ARROW, '\x1bO$1') : pending;
    actions.push({ kind: 'send', data });
    pending = '';
  };
  let i = 0;
  while (i < input.length) {
    if (input[i] === DETACH) {
      send();
      actions.push({ kind: 'detach' });
      return actions; // what follows was typed for corral, not for the process
    }
    if (!ctx.alternateScreen && (input.startsWith(PAGE_UP, i) || input.startsWith(PAGE_DOWN, i))) {
      send();
      actions.push({ kind: 'scroll', rows: input.startsWith(PAGE_UP, i) ? ctx.pageRows : -ctx.pageRows });
      i += PAGE_UP.length;
      continue;
    }
    MOUSE.lastIndex = i;
    const mouse = MOUSE.exec(input);
    if (mouse) {
      // Wheel up is button 64, down 65 (modifier bits added); clicks and drags are the view's, not the program's.
      const button = Number(mouse[1]);
      const up = (button & 1) === 0;
      if ((button & 64) !== 0 && !ctx.alternateScreen) {
        send();
        actions.push({ kind: 'scroll', rows: up ? WHEEL_ROWS : -WHEEL_ROWS });
      } else if ((button & 64) !== 0) pending += (up ? '\x1b[A' : '\x1b[B').repeat(WHEEL_ROWS);
      i += mouse[0].length;
      continue;
    }
    pending += input[i];
    i++;
  }
  send();
  return actions;
}
