// Rows of styled spans (rendered Markdown, prompts), and the hook that renders them once, and again when the
// Markdown modules finish loading.
import { Box, Text } from 'ink';
import React, { useMemo, useSyncExternalStore } from 'react';
import { markdownModules, onMarkdownLoaded } from '../src/tui/markdown/load.js';
import type { Line } from '../src/tui/markdown/spans.js';

export function LinesView({ lines }: { lines: Line[] }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((span, j) => (
                <Text key={j} {...span.style}>
                  {span.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}

/** `render(input, width)`, recomputed only when its inputs change or the Markdown modules arrive. */
export function useRendered<A>(render: (input: A, width: number) => Line[], input: A, width: number): Line[] {
  const ready = useSyncExternalStore(onMarkdownLoaded, () => markdownModules() !== null);
  return useMemo(() => render(input, width), [render, input, width, ready]);
}
