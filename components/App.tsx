// The whole screen: the printed transcript, then the live region, composer, popup and status line, which
// together always stay shorter than the terminal. The live part takes its width from Ink's layout, never from
// React state: on a resize Ink redraws before React has seen the new size, and a frame drawn at the old width
// would wrap in the narrower terminal and leave rows behind that no later frame erases.
import { Box, useInput } from 'ink';
import React from 'react';
import type { TuiController } from '../src/tui/controller.js';
import { composerRows, pickerRows, popupRows } from '../src/tui/layout.js';
import type { PrintChannel } from '../src/tui/print-channel.js';
import type { TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { stringWidth } from '../src/tui/text-width.js';
import { useTerminalSize } from '../src/tui/use-terminal-size.js';
import { Composer } from './Composer.js';
import { Footer } from './Footer.js';
import { LiveRegion } from './LiveRegion.js';
import { PsPicker } from './PsPickerView.js';
import { SlashPopup } from './SlashPopup.js';
import { Transcript } from './Transcript.js';

// Each subscribes to its own slice of state; memo keeps a re-render of App (a resize, the composer growing a
// row) from re-rendering a flooding command's screen lines along with it.
const LiveRegionMemo = React.memo(LiveRegion);
const TranscriptMemo = React.memo(Transcript);
const FooterMemo = React.memo(Footer);

/** `printChannel`: the one the stdout given to Ink substitutes (see Transcript); without it Ink draws every cell. */
export function App({ state, controller, printChannel }: { state: TuiState; controller: TuiController; printChannel?: PrintChannel }): React.JSX.Element {
  useInput((input, key) => controller.handleKey(input, key));
  const { rows, cols } = useTerminalSize();
  // The composer's rows, not its text: App re-renders only when they change, not for every key.
  const composer = useStore(state.composer, (c) => composerRows(stringWidth(c.text), cols));
  const popupEntries = useStore(state.composer, (c) => c.popup?.entries.length ?? 0);
  const done = useStore(state.status, (s) => s.done);
  // While a terminal is attached its view has the screen (the alternate one): the main screen keeps only the
  // transcript, and nothing of the live region is drawn until detach.
  const attached = useStore(state.status, (s) => s.attached !== null);
  const picker = useStore(state.picker, pickerRows);
  // The composer's margin, the composer, the popup, the interactive /ps and the status line.
  const reserved = 1 + composer + popupRows(popupEntries) + picker + 1;
  return (
    <Box flexDirection="column">
      {/* The transcript keeps its place in the tree: a remounted <Static> would print everything again. */}
      <TranscriptMemo state={state} width={cols} channel={printChannel} />
      {!done && !attached && (
        <>
          <LiveRegionMemo state={state} width={cols} rows={rows} reservedRows={reserved} />
          <Box marginTop={1} flexDirection="column">
            <Composer state={state} />
            <SlashPopup state={state} width={cols} />
            <PsPicker state={state} width={cols} />
            <FooterMemo state={state} />
          </Box>
        </>
      )}
    </Box>
  );
}
