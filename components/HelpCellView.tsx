// /help: the commands and the keys.
import { Box, Text } from 'ink';
import React from 'react';
import type { HelpCell } from '../src/tui/cells.js';
import { stringWidth } from '../src/tui/text-width.js';

function Table({ rows }: { rows: { left: string; right: string }[] }): React.JSX.Element {
  const col = Math.max(...rows.map((r) => stringWidth(r.left))) + 2;
  return (
    <Box flexDirection="column">
      {rows.map((r) => (
        <Text key={r.left}>
          {'  '}
          <Text color="cyan">{r.left}</Text>
          {' '.repeat(col - stringWidth(r.left))}
          <Text dimColor>{r.right}</Text>
        </Text>
      ))}
    </Box>
  );
}

export function HelpCellView({ cell }: { cell: HelpCell }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      <Text bold>Commands</Text>
      <Table rows={cell.commands.map((c) => ({ left: c.usage, right: c.description }))} />
      <Box marginTop={1}>
        <Text bold>Keys</Text>
      </Box>
      <Table rows={cell.keys.map((k) => ({ left: k.key, right: k.description }))} />
    </Box>
  );
}
