// Finished cells: printed once into the terminal's own scrollback, above the live region, and never redrawn.
//
// In the terminal they are printed as text through a PrintChannel (src/tui/print-channel.ts): <Static> gets
// a one-line placeholder and the text takes its place on the way out, so Ink never lays the text out. Agent
// messages (nearly all of it), typed messages, notes and thinking lines go from their styled lines straight
// to escape sequences; other cells are rendered by their components with renderToString, which runs outside
// React's own work (in a microtask after the change).
import { Static, Text, renderToString } from 'ink';
import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Cell } from '../src/tui/cells.js';
import { linesToAnsi } from '../src/tui/markdown/ansi.js';
import type { PrintChannel } from '../src/tui/print-channel.js';
import type { TuiState } from '../src/tui/state.js';
import { createStore, useStore } from '../src/tui/store.js';
import { messageLines } from './AgentMessageCellView.js';
import { CellView } from './CellView.js';
import { thinkingText } from './ReasoningCellView.js';
import { textCellLines } from './TextCellView.js';

/** Home, erase the screen, erase the scrollback. */
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/** A cell as CellView shows it (a blank row, then the cell), ending with a newline. */
export function cellText(cell: Cell, width: number): string {
  switch (cell.kind) {
    case 'agent':
      return `\n${linesToAnsi(messageLines(cell, width))}`;
    case 'user':
    case 'info':
    case 'error':
      return `\n${linesToAnsi(textCellLines(cell, width))}`;
    case 'reasoning':
      return `\n${linesToAnsi([[{ text: thinkingText(cell.summary, width), style: { dimColor: true, italic: true } }]])}`;
  }
  return `${renderToString(<CellView cell={cell} width={width} />, { columns: width })}\n`;
}

function PrintedTranscript({ state, width, channel }: { state: TuiState; width: number; channel: PrintChannel }): React.JSX.Element {
  const widthRef = useRef(width);
  widthRef.current = width;
  // Placeholders not yet printed; each batch gets a fresh <Static>, so nothing is kept once printed.
  const [out] = useState(() => createStore({ held: [] as string[], batch: 0 }));

  useEffect(() => {
    let scheduled = false;
    const take = (): void => {
      scheduled = false;
      // A terminal is attached (the alternate screen is showing): cells wait, and go out on detach.
      if (state.status.get().attached !== null) return;
      const t = state.transcript.get();
      if (t.pending.length === 0 && !t.clearScreen) return;
      let text = t.clearScreen ? CLEAR_SCREEN : '';
      for (const cell of t.pending) text += cellText(cell, widthRef.current);
      state.printed(t.pending.length, t.clearScreen);
      const token = channel.hold(text.endsWith('\n') ? text.slice(0, -1) : text);
      out.set((o) => ({ ...o, held: [...o.held, token] }));
    };
    const schedule = (): void => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(take);
    };
    schedule();
    const offs = [state.transcript.subscribe(schedule), state.status.subscribe(schedule)];
    return () => offs.forEach((off) => off());
  }, [state, out, channel]);

  const { held, batch } = useStore(out, (o) => o);
  useLayoutEffect(() => {
    // Ink printed them when it rendered this commit.
    if (held.length > 0) out.set((o) => ({ held: o.held.slice(held.length), batch: o.batch + 1 }));
  }, [held, out]);
  return (
    <Static key={batch} items={held}>
      {(token) => <Text key={token}>{token}</Text>}
    </Static>
  );
}

/** Every cell kept in Ink's tree, for ink-testing-library, whose frames hold only what Ink itself drew. */
function InkTranscript({ state, width }: { state: TuiState; width: number }): React.JSX.Element {
  const t = useStore(state.transcript, (s) => s);
  useLayoutEffect(() => {
    // The cells were written when this commit was rendered; a clear only forgets what was pending.
    if (t.pending.length > 0 || t.clearScreen) state.printed(t.pending.length, t.clearScreen);
  }, [t, state]);
  return (
    <Static key={t.batch} items={t.pending}>
      {(cell) => <CellView key={cell.id} cell={cell} width={width} />}
    </Static>
  );
}

/** With a channel (the terminal), cells are printed as text; without one, Ink draws them. */
export function Transcript({ state, width, channel }: { state: TuiState; width: number; channel?: PrintChannel }): React.JSX.Element {
  return channel ? <PrintedTranscript state={state} width={width} channel={channel} /> : <InkTranscript state={state} width={width} />;
}
