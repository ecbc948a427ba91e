// Commands running in the foreground, each showing as many of its last lines as the height budget allows.
import { Box, Text } from 'ink';
import React from 'react';
import { liveLayout } from '../src/tui/layout.js';
import type { TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { ExecCellView } from './ExecCellView.js';

export function LiveRegion({ state, width, rows, reservedRows }: { state: TuiState; width: number; rows: number; reservedRows: number }): React.JSX.Element {
  const running = useStore(state.live, (l) => l.running);
  const layout = liveLayout(rows, reservedRows, running.length);
  const shown = layout.visible > 0 ? running.slice(-layout.visible) : [];
  return (
    <Box flexDirection="column">
      {layout.summary && (
        <Text dimColor>
          {'  '}… {layout.hidden} more command{layout.hidden === 1 ? '' : 's'} running (the terminal is too short to show them)
        </Text>
      )}
      {shown.map((cell) => (
        <Box key={cell.id} marginTop={1}>
          <ExecCellView cell={cell} width={width} maxLines={layout.linesEach} />
        </Box>
      ))}
    </Box>
  );
}
