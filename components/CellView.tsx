// Picks the component for a transcript cell.
import { Box } from 'ink';
import React from 'react';
import type { Cell } from '../src/tui/cells.js';
import { AgentMessageCellView } from './AgentMessageCellView.js';
import { ExecCellView } from './ExecCellView.js';
import { ExitedCellView } from './ExitedCellView.js';
import { HelpCellView } from './HelpCellView.js';
import { NoticeCellView } from './NoticeCellView.js';
import { PsCellView } from './PsCellView.js';
import { ReasoningCellView } from './ReasoningCellView.js';
import { RestartCellView } from './RestartCellView.js';
import { StopCellView } from './StopCellView.js';
import { TextCellView } from './TextCellView.js';
import { TurnErrorCellView } from './TurnErrorCellView.js';

function Body({ cell, width }: { cell: Cell; width: number }): React.JSX.Element {
  switch (cell.kind) {
    case 'exec':
      return <ExecCellView cell={cell} width={width} />;
    case 'ps':
      return <PsCellView cell={cell} width={width} />;
    case 'stop':
      return <StopCellView cell={cell} width={width} />;
    case 'notice':
      return <NoticeCellView cell={cell} />;
    case 'restart':
      return <RestartCellView cell={cell} width={width} />;
    case 'help':
      return <HelpCellView cell={cell} />;
    case 'exited':
      return <ExitedCellView cell={cell} width={width} />;
    case 'user':
    case 'info':
    case 'error':
      return <TextCellView cell={cell} width={width} />;
    case 'agent':
      return <AgentMessageCellView cell={cell} width={width} />;
    case 'reasoning':
      return <ReasoningCellView cell={cell} width={width} />;
    case 'turnError':
      return <TurnErrorCellView cell={cell} width={width} />;
  }
}

/**
 * A transcript cell with a blank line above it. The parts of one agent message keep that blank line too: a
 * message is split only between top-level blocks, and blocks are one blank line apart, so the parts read as
 * the whole message would.
 */
export function CellView({ cell, width }: { cell: Cell; width: number }): React.JSX.Element {
  return (
    <Box flexDirection="column" marginTop={1} width={width}>
      <Body cell={cell} width={width} />
    </Box>
  );
}
