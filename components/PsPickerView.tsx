// The interactive /ps: the thread's terminals, the selected one marked, the keys, and the stop confirmation.
import { Box, Text } from 'ink';
import React from 'react';
import type { BackgroundTerminalData } from '../src/protocol/shapes.js';
import { ending, megabytes, percent } from '../src/tui/format.js';
import { PICKER_ROWS } from '../src/tui/layout.js';
import type { PickerState, TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { commandLine, firstLine } from '../src/tui/text-width.js';

function detail(t: BackgroundTerminalData): string {
  if (t.status === 'exited') return ending(t.exitCode, t.signal);
  return [
    ...(t.stopping ? ['stopping'] : []),
    ...(t.waitingForInput ? ['waiting for input'] : []),
    ...((t.ports ?? []).length > 0 ? [(t.ports ?? []).map((p) => `:${p}`).join(', ')] : []),
    `pid ${t.osPid ?? '?'}`,
    `cpu ${t.cpuPercent === null ? 'n/a' : percent(t.cpuPercent)}`,
    `rss ${t.rssKb === null ? 'n/a' : megabytes(t.rssKb)}`,
    ...(t.tty ? [] : ['pipes, view only']),
  ].join(' · ');
}

function Entry({ t, selected, width }: { t: BackgroundTerminalData; selected: boolean; width: number }): React.JSX.Element {
  const id = `[${t.processId}] ${t.name ? `${t.name} · ` : ''}`;
  const tail = ` · ${detail(t)}`;
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{selected ? '› ' : '  '}</Text>
      <Text color={t.status === 'running' ? 'cyan' : t.exitCode === 0 ? 'green' : 'red'} bold={selected}>
        {id}
      </Text>
      <Text bold={selected}>{commandLine(t.command, Math.max(24, width - 4 - id.length - tail.length))}</Text>
      <Text dimColor>{tail}</Text>
    </Text>
  );
}

export function PsPickerBody({ picker, width }: { picker: PickerState; width: number }): React.JSX.Element {
  const at = Math.max(0, picker.terminals.findIndex((t) => t.processId === picker.selected));
  // A window of entries that keeps the selection visible.
  const start = Math.max(0, Math.min(at - PICKER_ROWS + 1, picker.terminals.length - PICKER_ROWS));
  const shown = picker.terminals.slice(start, start + PICKER_ROWS);
  const asking = picker.terminals.find((t) => t.processId === picker.confirmStop);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text>
        <Text bold>Background terminals</Text>
        <Text dimColor> · ↑↓ choose · Enter attach · s stop · Esc close</Text>
      </Text>
      {picker.error !== null && <Text color="red">{picker.error}</Text>}
      {picker.error === null && shown.length === 0 && <Text dimColor>  No background terminals.</Text>}
      {shown.map((t) => (
        <Entry key={t.processId} t={t} selected={t.processId === picker.selected} width={width - 2} />
      ))}
      {picker.terminals.length > PICKER_ROWS && <Text dimColor>  … {picker.terminals.length} in all</Text>}
      {asking && (
        <Text color="yellow" wrap="truncate-end">
          Stop [{asking.processId}] {firstLine(asking.command).text}? y/n
        </Text>
      )}
    </Box>
  );
}

export function PsPicker({ state, width }: { state: TuiState; width: number }): React.JSX.Element | null {
  const picker = useStore(state.picker, (p) => p);
  return picker.open ? <PsPickerBody picker={picker} width={width} /> : null;
}
