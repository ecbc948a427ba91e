// The input line: what is typed, with the cursor.
import { Box, Text } from 'ink';
import React from 'react';
import type { TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function ComposerView({ text, cursor }: { text: string; cursor: number }): React.JSX.Element {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const first = segmenter.segment(after)[Symbol.iterator]().next();
  const atCursor = first.done ? ' ' : first.value.segment;
  const rest = first.done ? '' : after.slice(atCursor.length);
  return (
    <Box borderStyle="round" borderDimColor paddingX={1}>
      <Text wrap="wrap">
        <Text color="cyan">› </Text>
        {text === '' ? (
          <>
            <Text inverse> </Text>
            <Text dimColor>Type a message, !command, or / for commands</Text>
          </>
        ) : (
          <>
            {before}
            <Text inverse>{atCursor}</Text>
            {rest}
          </>
        )}
      </Text>
    </Box>
  );
}

export function Composer({ state }: { state: TuiState }): React.JSX.Element {
  const text = useStore(state.composer, (c) => c.text);
  const cursor = useStore(state.composer, (c) => c.cursor);
  return <ComposerView text={text} cursor={cursor} />;
}
