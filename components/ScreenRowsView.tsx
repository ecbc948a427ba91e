// Rows of a command's screen after a dim prefix column (`  └ `, `    ↳ `), with their colours, cut to the width,
// drawn as one text. A running command's screen changes up to ten times a second in a flood; with a text node
// per row and per coloured span, Ink laid out, measured and wrote each of them for every frame (a 20-row
// screen's frame: ~4.5 ms as nodes, ~3.5 as one text).
import chalk from 'chalk';
import { Text } from 'ink';
import React from 'react';
import type { ScreenLine } from '../src/tui/cells.js';
import { byteSize } from '../src/tui/format.js';
import { screenLineToAnsi } from '../src/tui/screen-ansi.js';
import { stringWidth } from '../src/tui/text-width.js';

/** A screen row, or the marker for the rows left out between a preview's head and tail (`outputBytes`: the screen
 * kept only some of the output, this much in all). */
export type ScreenRow = { line: ScreenLine } | { omitted: number; outputBytes?: number };

function omittedText(row: { omitted: number; outputBytes?: number }): string {
  if (row.outputBytes === undefined) return `… +${row.omitted} lines`;
  const printed = `${byteSize(row.outputBytes)} printed`;
  return row.omitted > 0 ? `… +${row.omitted} lines kept of ${printed}` : `… earlier lines of ${printed} not kept`;
}

function screenRowsText(rows: readonly ScreenRow[], width: number, prefix: (i: number) => string): string {
  return rows
    .map((row, i) => {
      const lead = prefix(i);
      const body = 'line' in row ? screenLineToAnsi(row.line, Math.max(0, width - stringWidth(lead))) : chalk.dim(omittedText(row));
      return chalk.dim(lead) + body;
    })
    .join('\n');
}

export function ScreenRowsView({ rows, width, prefix }: { rows: readonly ScreenRow[]; width: number; prefix: (i: number) => string }): React.JSX.Element | null {
  if (rows.length === 0) return null;
  return <Text>{screenRowsText(rows, width, prefix)}</Text>;
}
