// What a /stop did, one honest line per terminal.
import { Box, Text } from 'ink';
import React from 'react';
import { leftoverNote } from '../commands/stop-leftovers.js';
import type { LeftoverStopData } from '../src/protocol/leftover-shapes.js';
import type { TerminationReportData } from '../src/protocol/shapes.js';
import type { StopCell, StopLine } from '../src/tui/cells.js';
import { ending, seconds } from '../src/tui/format.js';
import { commandLine } from '../src/tui/text-width.js';

function how(r: TerminationReportData): string {
  return r.endedBy === 'exited' ? ending(r.exitCode, r.signal) : r.endedBy;
}

function escapedNote(n: number): string {
  return n > 0 ? `, ${n} had left its tree` : '';
}

/** An earlier run's process, stopped by its pid. */
function LeftoverLine({ r, width }: { r: LeftoverStopData; width: number }): React.JSX.Element {
  const id = `pid ${r.osPid} (earlier run)`;
  if (!r.wasRunning) return <Text dimColor>{id} had already exited; nothing was stopped.</Text>;
  if (!r.terminated) {
    return (
      <Text color="red" wrap="wrap">
        Could not stop {id} {commandLine(r.command, 40)}: pid {r.survivors.join(', ')} still running
      </Text>
    );
  }
  const tail = ` (${r.endedBy}, ${seconds(r.durationMs)}${escapedNote(r.escaped)})`;
  return (
    <Text wrap="truncate-end">
      Stopped <Text color="yellow">{id}</Text> {commandLine(r.command, Math.max(8, width - id.length - tail.length - 9))}
      <Text dimColor>{tail}</Text>
    </Text>
  );
}

function StoppedLine({ r, width }: { r: TerminationReportData; width: number }): React.JSX.Element {
  const id = `[${r.processId}]`;
  if (!r.wasRunning) {
    const tail = ` had already exited (${ending(r.exitCode, r.signal)})`;
    return (
      <Text wrap="truncate-end">
        <Text color="cyan">{id}</Text> {commandLine(r.command, Math.max(8, width - id.length - tail.length - 5))}
        <Text dimColor>{tail}</Text>
      </Text>
    );
  }
  if (!r.terminated) {
    const n = r.survivors.length;
    return (
      <Text color="red" wrap="wrap">
        Could not stop {id} {commandLine(r.command, 40)}: {n} process{n === 1 ? '' : 'es'} still running (pid{' '}
        {r.survivors.join(', ')})
      </Text>
    );
  }
  const tail = ` (${how(r)}, ${seconds(r.durationMs)}${escapedNote(r.escaped ?? 0)})`;
  return (
    <Text wrap="truncate-end">
      Stopped <Text color="cyan">{id}</Text> {commandLine(r.command, Math.max(8, width - id.length - tail.length - 13))}
      <Text dimColor>{tail}</Text>
    </Text>
  );
}

function Line({ line, width }: { line: StopLine; width: number }): React.JSX.Element {
  switch (line.kind) {
    case 'stopped':
      return <StoppedLine r={line.report} width={width} />;
    case 'leftover-stopped':
      return <LeftoverLine r={line.report} width={width} />;
    case 'not-found':
      return <Text color="red">No background terminal matches "{line.query}"; nothing stopped.</Text>;
    case 'already-stopping':
      return (
        <Text wrap="truncate-end">
          <Text color="cyan">[{line.processId}]</Text> {commandLine(line.command, Math.max(8, width - line.processId.length - 28))}
          <Text dimColor> is already being stopped</Text>
        </Text>
      );
    case 'ambiguous':
      return (
        <Box flexDirection="column">
          <Text color="yellow">
            "{line.query}" matches {line.candidates.length} background terminals, so none was stopped:
          </Text>
          {line.candidates.map((c) => (
            <Text key={c.processId} wrap="truncate-end">
              {'  • '}
              <Text color="cyan">[{c.processId}]</Text> {commandLine(c.command, width - 6 - c.processId.length - 3)}
            </Text>
          ))}
        </Box>
      );
  }
}

export function StopCellView({ cell, width }: { cell: StopCell; width: number }): React.JSX.Element {
  if (!cell.all) {
    return (
      <Box flexDirection="column">
        {cell.lines.map((line, i) => (
          <Line key={i} line={line} width={width} />
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>Stopping all background terminals.</Text>
      {cell.lines.map((line, i) => (
        <Box key={i}>
          <Text>{'  • '}</Text>
          <Line line={line} width={width - 4} />
        </Box>
      ))}
      {(cell.leftoversRemaining ?? 0) > 0 && <Text color="yellow">{leftoverNote(cell.leftoversRemaining ?? 0)}</Text>}
    </Box>
  );
}
