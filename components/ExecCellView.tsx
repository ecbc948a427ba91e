// A shell command: `• Running cmd` with the last lines of its screen, then `• Ran cmd` with how it ended and a
// head+tail preview, or the line that says it carries on in the background; `• Declined cmd` when the person
// said no to the model running it.
import { Box, Text } from 'ink';
import React from 'react';
import type { ExecCell } from '../src/tui/cells.js';
import { ending, runTime } from '../src/tui/format.js';
import { SCREEN_INDENT } from '../src/tui/layout.js';
import { commandLine } from '../src/tui/text-width.js';
import { type ScreenRow, ScreenRowsView } from './ScreenRowsView.js';

const PREVIEW_HEAD = 3;
const PREVIEW_TAIL = 2;

/**
 * Head and tail of a finished command's screen, with a marker for the lines in between. When the screen no longer
 * held every line (a flood), the marker says how many it kept and how much was printed: a count of the kept lines
 * alone would understate the output.
 */
export function previewRows(preview: NonNullable<ExecCell['preview']>): ScreenRow[] {
  const known = [...preview.head, ...preview.tail];
  const lost = preview.linesLost ? { linesLost: true, outputBytes: preview.outputBytes } : {};
  if (known.length === preview.totalLines && known.length <= PREVIEW_HEAD + PREVIEW_TAIL + 1) {
    // All it kept fits; what it did not keep came before.
    return [...(preview.linesLost ? [{ omitted: 0, ...lost }] : []), ...known.map((line) => ({ line }))];
  }
  const head = preview.head.slice(0, PREVIEW_HEAD);
  const tailSource = preview.tail.length > 0 ? preview.tail : preview.head.slice(PREVIEW_HEAD);
  const tail = tailSource.slice(-PREVIEW_TAIL);
  return [...head.map((line) => ({ line })), { omitted: preview.totalLines - head.length - tail.length, ...lost }, ...tail.map((line) => ({ line }))];
}

const rowPrefix = (i: number): string => (i === 0 ? '  └ ' : ' '.repeat(SCREEN_INDENT));

/** `already running as [1003] · listening :8765`: started anyway, as asked, but the person should know. */
function DuplicateNote({ dup }: { dup: NonNullable<ExecCell['duplicateOf']> }): React.JSX.Element {
  const ports = dup.ports.length > 0 ? ` · listening ${dup.ports.map((p) => `:${p}`).join(', ')}` : '';
  return (
    <Text color="yellow" wrap="truncate-end">
      {'  ! already running as '}[{dup.processId}]{ports}
    </Text>
  );
}

/** `! port :8765 is held by [1003] python3 -m http.server 8765 · /restart 1003 or /stop 1003` */
function PortHeldNote({ held, width }: { held: NonNullable<ExecCell['portHeldBy']>; width: number }): React.JSX.Element {
  const who = `[${held.processId}] ${held.name ? `${held.name} · ` : ''}`;
  const hint = ` · /restart ${held.processId} or /stop ${held.processId}`;
  return (
    <Text color="yellow" wrap="truncate-end">
      {`  ! port :${held.port} is held by ${who}`}
      {commandLine(held.command, Math.max(8, width - 26 - who.length - hint.length))}
      <Text dimColor>{hint}</Text>
    </Text>
  );
}

function Declined({ cell, width }: { cell: ExecCell; width: number }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="red">•</Text> <Text bold>Declined</Text> {commandLine(cell.command, Math.max(8, width - 11))}
      </Text>
      <Text dimColor>  └ the command was not run</Text>
    </Box>
  );
}

export function ExecCellView({ cell, width, maxLines }: { cell: ExecCell; width: number; maxLines?: number }): React.JSX.Element {
  const finished = cell.status === 'completed' || cell.status === 'failed';
  if (cell.status === 'declined') return <Declined cell={cell} width={width} />;
  const bulletColor = cell.status === 'completed' ? 'green' : cell.status === 'failed' ? 'red' : cell.status === 'background' ? 'yellow' : 'cyan';
  const verb = finished ? 'Ran' : 'Running';
  const outcome = finished ? ` · ${ending(cell.exitCode, cell.signal)}${cell.durationMs !== null ? ` · ${runTime(cell.durationMs)}` : ''}` : '';
  const room = Math.max(8, width - 4 - verb.length - outcome.length);

  let rows: ScreenRow[];
  if (finished && cell.preview) rows = previewRows(cell.preview);
  else {
    const limit = maxLines ?? (cell.status === 'background' ? 3 : cell.lines.length);
    rows = limit > 0 ? cell.lines.slice(-limit).map((line) => ({ line })) : [];
  }

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color={bulletColor}>•</Text> <Text bold>{verb}</Text> {commandLine(cell.command, room)}
        {outcome && <Text dimColor>{outcome}</Text>}
      </Text>
      {cell.duplicateOf && <DuplicateNote dup={cell.duplicateOf} />}
      {cell.portHeldBy && <PortHeldNote held={cell.portHeldBy} width={width} />}
      {finished && rows.length === 0 ? (
        <Text dimColor>  └ (no output)</Text>
      ) : (
        <ScreenRowsView rows={rows} width={width} prefix={rowPrefix} />
      )}
      {cell.status === 'background' && cell.processId && (
        <Text dimColor wrap="truncate-end">
          {'  ↳ still running in the background as '}
          <Text color="yellow">[{cell.processId}]</Text>
          {` · /ps to view · /stop ${cell.stopHint ?? cell.processId} to stop`}
        </Text>
      )}
    </Box>
  );
}
