// What a /restart did, both halves: `Restarted [1003] → [1007] web · npm run dev (SIGTERM, 0.3 s)`.
import { Text } from 'ink';
import React from 'react';
import type { RestartCell } from '../src/tui/cells.js';
import { ending, seconds } from '../src/tui/format.js';
import { commandLine } from '../src/tui/text-width.js';

export function RestartCellView({ cell, width }: { cell: RestartCell; width: number }): React.JSX.Element {
  const r = cell.report;
  const how = r.wasRunning ? `${r.endedBy === 'exited' ? ending(r.exitCode, r.signal) : r.endedBy}, ${seconds(r.durationMs)}` : `had exited: ${ending(r.exitCode, r.signal)}`;
  const label = cell.name ? `${cell.name} · ` : '';
  const from = `[${r.processId}]`;
  if (r.wasRunning && !r.terminated) {
    return (
      <Text color="red" wrap="wrap">
        Could not restart {from} {label}
        {commandLine(cell.command, 40)}: {cell.error ?? `pid ${r.survivors.join(', ')} still running`}
      </Text>
    );
  }
  if (cell.error !== null || cell.newProcessId === null) {
    return (
      <Text color="red" wrap="wrap">
        Stopped {from} {label}
        {commandLine(cell.command, 40)} ({how}) but it is not running again: {cell.error ?? 'unknown reason'}
      </Text>
    );
  }
  const to = `[${cell.newProcessId}]`;
  const tail = ` (${how})`;
  return (
    <Text wrap="truncate-end">
      Restarted <Text color="cyan">{from}</Text> → <Text color="cyan">{to}</Text> {label}
      {commandLine(cell.command, Math.max(8, width - 18 - from.length - to.length - label.length - tail.length))}
      <Text dimColor>{tail}</Text>
    </Text>
  );
}
