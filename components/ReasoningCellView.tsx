// What the model thought, collapsed to one dim line; the same line shows while it is still thinking.
import { Text } from 'ink';
import React from 'react';
import type { ReasoningCell } from '../src/tui/cells.js';
import { sanitize } from '../src/tui/sanitize.js';
import { cutToWidth } from '../src/tui/text-width.js';

/** The line's text at `width`, dim and italic (also printed as text by the transcript). */
export function thinkingText(summary: string, width: number): string {
  const text = sanitize(summary).replace(/\s+/g, ' ').trim();
  return cutToWidth(text === '' ? 'Thinking…' : `Thinking… ${text}`, width, '…');
}

export function ThinkingLine({ summary, width }: { summary: string; width: number }): React.JSX.Element {
  return (
    <Text dimColor italic wrap="truncate-end">
      {thinkingText(summary, width)}
    </Text>
  );
}

export function ReasoningCellView({ cell, width }: { cell: ReasoningCell; width: number }): React.JSX.Element {
  return <ThinkingLine summary={cell.summary} width={width} />;
}
