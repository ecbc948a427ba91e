// The model asks to run a command: a box with the command, where it runs, why, and the three answers. Its
// rows are measured before drawing so the live region can give it priority and keep under the terminal height.
import { Box } from 'ink';
import React from 'react';
import type { ApprovalPrompt } from '../src/tui/cells.js';
import { type Line, type SpanStyle, prefixLines } from '../src/tui/markdown/spans.js';
import { wrapText } from '../src/tui/markdown/wrap.js';
import { sanitize } from '../src/tui/sanitize.js';
import { LinesView } from './LinesView.js';

/** Rows and columns the box itself takes: the round border and one column of padding each side. */
export const APPROVAL_FRAME_ROWS = 2;
const FRAME_COLS = 4;

const DIM: SpanStyle = { dimColor: true };

function choice(key: string, color: string, text: string, width: number): Line[] {
  return prefixLines(wrapText(text, width - 3), [{ text: `${key}  `, style: { color, bold: true } }], [{ text: '   ', style: {} }]);
}

/** The prompt's rows inside the box, at most `maxRows`: blank rows go first, then the reason, then command lines. */
export function approvalLines(prompt: ApprovalPrompt, width: number, maxRows = Number.POSITIVE_INFINITY): Line[] {
  const prefix = sanitize(prompt.prefix || (prompt.command.trim().split(/\s+/)[0] ?? ''));
  const title: Line[] = [[{ text: 'Run this command?', style: { bold: true, color: 'yellow' } }]];
  let command = prefixLines(wrapText(sanitize(prompt.command).replace(/\n+$/, ''), width - 2, { bold: true }), [{ text: '$ ', style: DIM }], [
    { text: '  ', style: {} },
  ]);
  const cwd = prompt.cwd ? wrapText(`in ${sanitize(prompt.cwd)}`, width, DIM) : [];
  let reason = prompt.reason ? wrapText(sanitize(prompt.reason), width, { italic: true }) : [];
  const choices = [
    ...choice('y', 'green', 'run once', width),
    ...choice('a', 'cyan', `always run commands starting with "${prefix}" this session`, width),
    ...choice('n', 'red', 'decline (esc)', width),
  ];
  const room = maxRows - title.length - cwd.length - choices.length;
  const blank = command.length + reason.length + 2 <= room;
  if (command.length + reason.length > room) reason = [];
  if (command.length > room) {
    const keep = Math.max(1, room - 1);
    command = [...command.slice(0, keep), [{ text: `  … +${command.length - keep} more lines (the terminal is too short to show them)`, style: DIM }]];
  }
  const gap: Line[] = blank ? [[]] : [];
  return [...title, ...gap, ...command, ...cwd, ...reason, ...gap, ...choices];
}

/** Content width inside the box for a screen `width` columns wide. */
export function approvalWidth(width: number): number {
  return Math.max(10, width - FRAME_COLS);
}

export function ApprovalPromptView({ lines, width }: { lines: Line[]; width: number }): React.JSX.Element {
  return (
    <Box borderStyle="round" borderColor="yellow" paddingX={1} width={width} flexDirection="column">
      <LinesView lines={lines} />
    </Box>
  );
}
