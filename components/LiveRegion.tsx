// Commands running in the foreground, each showing as many of its last lines as the height budget allows.
import { Box } from 'ink';
import React from 'react';
import { runningLineBudget } from '../src/tui/layout.js';
import type { TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { ExecCellView } from './ExecCellView.js';

export function LiveRegion({ state, width, rows, reservedRows }: { state: TuiState; width: number; rows: number; reservedRows: number }): React.JSX.Element {
  const running = useStore(state.live, (l) => l.running);
  const budget = runningLineBudget(rows, reservedRows, running.length);
  return (
    <Box flexDirection="column">
      {running.map((cell) => (
        <Box key={cell.id} marginTop={1}>
          <ExecCellView cell={cell} width={width} maxLines={budget} />
        </Box>
      ))}
    </Box>
  );
}
