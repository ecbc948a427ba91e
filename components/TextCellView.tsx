// A line typed by the user, a piece of information, or an error. Text is shown without control characters.
import React from 'react';
import type { TextCell } from '../src/tui/cells.js';
import type { Line, Span } from '../src/tui/markdown/spans.js';
import { wrapSpans } from '../src/tui/markdown/wrap.js';
import { sanitize } from '../src/tui/sanitize.js';
import { LinesView } from './LinesView.js';

function spans(cell: TextCell, text: string): Span[] {
  switch (cell.kind) {
    case 'user':
      return [
        { text: '›', style: { color: 'cyan' } },
        { text: ` ${text}`, style: {} },
      ];
    case 'info':
      return [{ text: `• ${text}`, style: { dimColor: true } }];
    case 'error':
      return [{ text: `■ ${text}`, style: { color: 'red' } }];
  }
}

/** The cell's rows at `width` (also printed as text by the transcript). */
export function textCellLines(cell: TextCell, width: number): Line[] {
  return wrapSpans(spans(cell, sanitize(cell.text)), width);
}

export function TextCellView({ cell, width }: { cell: TextCell; width: number }): React.JSX.Element {
  return <LinesView lines={textCellLines(cell, width)} />;
}
