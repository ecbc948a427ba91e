// The attach view: a title bar (id, command, pid, cpu, rss, ports, status), the terminal's rows, and a hint line
// for the keys. Drawn as one string straight to the alternate screen (src/tui/attach-mode.ts), the bars through
// Ink's renderToString, the rows from their styled cells.
import { Text, renderToString } from 'ink';
import React from 'react';
import stripAnsi from 'strip-ansi';
import { type AttachTitle, type AttachView, viewRows } from '../src/tui/attach-mode.js';
import { attachWindow } from '../src/tui/attach-window.js';
import { megabytes, percent } from '../src/tui/format.js';
import { screenLineToAnsi } from '../src/tui/screen-ansi.js';
import { commandLine, stringWidth } from '../src/tui/text-width.js';

function figures(t: AttachTitle): string {
  return [
    `pid ${t.osPid ?? '?'}`,
    `cpu ${t.cpuPercent === null ? 'n/a' : percent(t.cpuPercent)}`,
    `rss ${t.rssKb === null ? 'n/a' : megabytes(t.rssKb)}`,
    ...(t.ports && t.ports.length > 0 ? [`listening ${t.ports.map((p) => `:${p}`).join(', ')}`] : []),
    ...(t.url ? [t.url] : []),
    t.status,
  ].join(' · ');
}

/** One inverse row: the id, the command (cut to fit), then the figures (Ink drops the trailing blank; attachFrame pads). */
export function AttachTitleBar({ title, width }: { title: AttachTitle; width: number }): React.JSX.Element {
  const id = ` [${title.processId}] ${title.name ? `${title.name} · ` : ''}`;
  const tail = ` ${figures(title)} `;
  const command = commandLine(title.command, Math.max(8, width - id.length - tail.length));
  const pad = Math.max(0, width - id.length - stringWidth(command) - tail.length);
  return (
    <Text inverse wrap="truncate-end">
      <Text bold>{id}</Text>
      {command}
      {' '.repeat(pad)}
      {tail}
    </Text>
  );
}

/** What the keys do here, and whether the process takes them. */
/** ` · log ~/.corral/logs/…/1003.log`: where the whole output is, beyond the scrollback. */
function logNote(title: AttachTitle | undefined): string {
  const home = process.env.HOME;
  const path = title?.logPath;
  if (!path) return '';
  return ` · log ${home && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path}`;
}

export function AttachHint({ view }: { view: Pick<AttachView, 'screen' | 'scroll' | 'gone' | 'approvalWaiting'> & { title?: AttachTitle } }): React.JSX.Element {
  const { screen, scroll, gone } = view;
  if (view.approvalWaiting) {
    return (
      <Text wrap="truncate-end">
        <Text color="yellow" bold>{' The model is waiting for your approval'}</Text>
        <Text dimColor>{' · Ctrl+] back to the conversation to answer'}</Text>
      </Text>
    );
  }
  const scrolled = scroll > 0 ? `scrolled back ${scroll} row${scroll === 1 ? '' : 's'} · ` : '';
  if (gone) return <Text dimColor wrap="truncate-end">{` no longer running · ${scrolled}Ctrl+] back to the conversation`}</Text>;
  if (!screen.writable) {
    const why = screen.tty ? 'exited, view only' : 'view only (pipes, no input)';
    return (
      <Text wrap="truncate-end">
        <Text color="yellow">{` ${why}`}</Text>
        <Text dimColor>{` · ${scrolled}Ctrl+], Esc or q back · PgUp/PgDn scroll${logNote(view.title)}`}</Text>
      </Text>
    );
  }
  // With a log path to show, the hint is said in fewer words so that the path fits.
  const log = logNote(view.title);
  const scrollKeys = screen.alternateScreen ? '' : log ? ' · PgUp/PgDn scroll' : ' · PgUp/PgDn, wheel scroll';
  return (
    <Text dimColor wrap="truncate-end">
      {` ${scrolled}keys go to the process · `}
      <Text bold>Ctrl+]</Text>
      {` ${log ? 'back' : 'back to the conversation'}${scrollKeys}${log}`}
    </Text>
  );
}

const at = (row: number, col = 1): string => `\x1b[${row};${col}H`;

/** The whole view as terminal text: every row drawn and cleared to its end, then the cursor placed. */
export function attachFrame(view: AttachView, size: { rows: number; cols: number }): string {
  const rows = viewRows(size);
  const win = attachWindow(view.screen, rows, view.scroll);
  const title = renderToString(<AttachTitleBar title={view.title} width={size.cols} />, { columns: size.cols });
  const pad = Math.max(0, size.cols - stringWidth(stripAnsi(title)));
  let out = `\x1b[?25l${at(1)}\x1b[0m${title}\x1b[7m${' '.repeat(pad)}\x1b[0m\x1b[K`;
  win.lines.forEach((line, i) => {
    out += `${at(i + 2)}\x1b[0m${screenLineToAnsi(line, size.cols)}\x1b[0m\x1b[K`;
  });
  out += `${at(rows + 2)}${renderToString(<AttachHint view={view} />, { columns: size.cols })}\x1b[0m\x1b[K`;
  if (win.cursorRow !== null && !view.gone) out += `${at(win.cursorRow + 2, Math.min(win.cursorCol, size.cols - 1) + 1)}\x1b[?25h`;
  return out;
}
