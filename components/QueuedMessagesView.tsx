// Messages typed while the model works, sent in order when the turn ends: one dim row each, newest last.
import { Box, Text } from 'ink';
import React from 'react';
import { firstLine } from '../src/tui/text-width.js';

export function QueuedMessagesView({ queued, shown, more }: { queued: string[]; shown: number; more: boolean }): React.JSX.Element {
  const listed = shown > 0 ? queued.slice(0, shown) : [];
  const left = queued.length - listed.length;
  return (
    <Box flexDirection="column">
      {listed.map((text, i) => {
        const { text: line, more: cut } = firstLine(text);
        return (
          <Text key={i} dimColor wrap="truncate-end">
            {'  ↳ queued: '}
            {line}
            {cut ? ' …' : ''}
          </Text>
        );
      })}
      {more && left > 0 && (
        <Text dimColor wrap="truncate-end">
          {listed.length > 0 ? `  ↳ … and ${left} more queued` : `  ↳ ${left} message${left === 1 ? '' : 's'} queued`}
        </Text>
      )}
    </Box>
  );
}
