// A line typed by the user, a piece of information, or an error. Text is shown without control characters.
import { Text } from 'ink';
import React from 'react';
import type { TextCell } from '../src/tui/cells.js';
import { sanitize } from '../src/tui/sanitize.js';

export function TextCellView({ cell }: { cell: TextCell }): React.JSX.Element {
  const text = sanitize(cell.text);
  switch (cell.kind) {
    case 'user':
      return (
        <Text>
          <Text color="cyan">›</Text> {text}
        </Text>
      );
    case 'info':
      return <Text dimColor>• {text}</Text>;
    case 'error':
      return <Text color="red">■ {text}</Text>;
  }
}
