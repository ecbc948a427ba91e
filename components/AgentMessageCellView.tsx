// A part of the agent's message: `•` before the first part, then the rendered Markdown indented two columns.
import React from 'react';
import type { AgentMessageCell } from '../src/tui/cells.js';
import { renderMarkdown } from '../src/tui/markdown/render.js';
import { type Line, prefixLines } from '../src/tui/markdown/spans.js';
import { wrapText } from '../src/tui/markdown/wrap.js';
import { sanitize } from '../src/tui/sanitize.js';
import { LinesView, useRendered } from './LinesView.js';

const INDENT = 2;
/** An open block longer than this is shown as plain text while it streams: lexing it 30 times a second would stall the screen. */
const LIVE_MARKDOWN_LIMIT = 16 * 1024;
/** How much of such a block's end is wrapped for the screen (far more than any terminal shows). */
const PLAIN_TAIL_CHARS = 16 * 1024;

type Part = Pick<AgentMessageCell, 'markdown' | 'first'>;

function withBullet(lines: Line[], first: boolean): Line[] {
  const indent: Line = [{ text: ' '.repeat(INDENT), style: {} }];
  return prefixLines(lines, first ? [{ text: '• ', style: {} }] : indent, indent);
}

export function messageLines(part: Part, width: number): Line[] {
  return withBullet(renderMarkdown(part.markdown, width - INDENT), part.first);
}

/** The open part of a message being streamed; the live region shows its last rows. */
export function streamingLines(part: Part, width: number): Line[] {
  if (part.markdown.length <= LIVE_MARKDOWN_LIMIT) return messageLines(part, width);
  const tail = sanitize(part.markdown.slice(-PLAIN_TAIL_CHARS));
  return withBullet(wrapText(tail.slice(tail.indexOf('\n') + 1), width - INDENT), false);
}

export function AgentMessageCellView({ cell, width }: { cell: Part; width: number }): React.JSX.Element {
  return <LinesView lines={useRendered(messageLines, cell, width)} />;
}
