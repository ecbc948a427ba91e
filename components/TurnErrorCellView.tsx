// A turn that failed: the provider's error in red, wrapped under its marker.
import { Box, Text } from 'ink';
import React from 'react';
import type { TurnErrorCell } from '../src/tui/cells.js';
import { sanitize } from '../src/tui/sanitize.js';

export function TurnErrorCellView({ cell, width }: { cell: TurnErrorCell; width: number }): React.JSX.Element {
  return (
    <Box width={width}>
      <Text color="red">■ </Text>
      <Box flexGrow={1} flexShrink={1}>
        <Text color="red" wrap="wrap">
          {sanitize(cell.message)}
        </Text>
      </Box>
    </Box>
  );
}
