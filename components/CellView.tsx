// Picks the component for a transcript cell.
import { Box } from 'ink';
import React from 'react';
import type { Cell } from '../src/tui/cells.js';
import { ExecCellView } from './ExecCellView.js';
import { ExitedCellView } from './ExitedCellView.js';
import { HelpCellView } from './HelpCellView.js';
import { PsCellView } from './PsCellView.js';
import { StopCellView } from './StopCellView.js';
import { TextCellView } from './TextCellView.js';

function Body({ cell, width }: { cell: Cell; width: number }): React.JSX.Element {
  switch (cell.kind) {
    case 'exec':
      return <ExecCellView cell={cell} width={width} />;
    case 'ps':
      return <PsCellView cell={cell} width={width} />;
    case 'stop':
      return <StopCellView cell={cell} width={width} />;
    case 'help':
      return <HelpCellView cell={cell} />;
    case 'exited':
      return <ExitedCellView cell={cell} width={width} />;
    case 'user':
    case 'info':
    case 'error':
      return <TextCellView cell={cell} />;
  }
}

/** A transcript cell with a blank line above it. */
export function CellView({ cell, width }: { cell: Cell; width: number }): React.JSX.Element {
  return (
    <Box flexDirection="column" marginTop={1} width={width}>
      <Body cell={cell} width={width} />
    </Box>
  );
}
