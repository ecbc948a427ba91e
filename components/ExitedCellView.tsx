// A background terminal that ended on its own.
import { Text } from 'ink';
import React from 'react';
import type { ExitedCell } from '../src/tui/cells.js';
import { ending, runTime } from '../src/tui/format.js';
import { commandLine } from '../src/tui/text-width.js';

export function ExitedCellView({ cell, width }: { cell: ExitedCell; width: number }): React.JSX.Element {
  const id = `[${cell.processId}] `;
  const tail = ` exited · ${ending(cell.exitCode, cell.signal)}${cell.durationMs === null ? '' : ` · ran ${runTime(cell.durationMs)}`}`;
  return (
    <Text wrap="truncate-end">
      <Text color={cell.exitCode === 0 ? 'green' : 'red'}>•</Text> Background terminal <Text color="cyan">{id}</Text>
      {commandLine(cell.command, Math.max(8, width - 24 - id.length - tail.length))}
      <Text dimColor>{tail}</Text>
    </Text>
  );
}
