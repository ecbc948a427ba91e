// Completions for a slash command or its argument; the selected one is highlighted.
import { Box, Text } from 'ink';
import React from 'react';
import { POPUP_ROWS } from '../src/tui/layout.js';
import type { Popup, TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { cutToWidth, stringWidth } from '../src/tui/text-width.js';

export function SlashPopupView({ popup, selected, width }: { popup: Popup; selected: number; width: number }): React.JSX.Element {
  // A window of entries that keeps the selection visible.
  const start = Math.max(0, Math.min(selected - POPUP_ROWS + 1, popup.entries.length - POPUP_ROWS));
  const shown = popup.entries.slice(Math.max(0, start), Math.max(0, start) + POPUP_ROWS);
  const labelWidth = Math.min(Math.max(...shown.map((e) => stringWidth(e.label))), Math.floor(width / 2));
  return (
    <Box flexDirection="column" paddingX={2}>
      {shown.map((e, i) => {
        const isSelected = i + Math.max(0, start) === selected;
        const label = cutToWidth(e.label, labelWidth, '…');
        return (
          <Text key={e.value} wrap="truncate-end">
            <Text color={isSelected ? 'cyan' : undefined} bold={isSelected}>
              {label}
            </Text>
            {e.description && (
              <Text dimColor>
                {' '.repeat(labelWidth - stringWidth(label) + 2)}
                {e.description}
              </Text>
            )}
          </Text>
        );
      })}
      {popup.entries.length > POPUP_ROWS && <Text dimColor>… {popup.entries.length - POPUP_ROWS} more</Text>}
    </Box>
  );
}

export function SlashPopup({ state, width }: { state: TuiState; width: number }): React.JSX.Element | null {
  const popup = useStore(state.composer, (c) => c.popup);
  const selected = useStore(state.composer, (c) => c.selected);
  return popup ? <SlashPopupView popup={popup} selected={selected} width={width} /> : null;
}
