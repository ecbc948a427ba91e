// /ps: one entry per running background terminal (id, command, live figures, last screen lines), then the
// ones that exited since the last /stop, then what an earlier corral run left running (stopped only by pid).
import { Box, Text } from 'ink';
import React from 'react';
import type { LeftoverData } from '../src/protocol/leftover-shapes.js';
import type { BackgroundTerminalData } from '../src/protocol/shapes.js';
import type { PsCell } from '../src/tui/cells.js';
import { compactDuration, ending, megabytes, percent } from '../src/tui/format.js';
import { commandLine } from '../src/tui/text-width.js';
import { ScreenRowsView } from './ScreenRowsView.js';

/** Entries listed at most; the rest are counted. */
export const PS_MAX_ENTRIES = 16;
const RECENT_PREFIX = '    ↳ ';
const recentPrefix = (): string => RECENT_PREFIX;

function figures(t: BackgroundTerminalData, at: number): string {
  return [
    ...(t.stopping ? ['stopping'] : []),
    `pid ${t.osPid ?? '?'}`,
    `cpu ${t.cpuPercent === null ? 'n/a' : percent(t.cpuPercent)}`,
    `rss ${t.rssKb === null ? 'n/a' : megabytes(t.rssKb)}`,
    `up ${compactDuration(at - t.startedAtMs)}`,
    t.lastOutputAtMs === null ? 'no output yet' : `last output ${compactDuration(at - t.lastOutputAtMs)} ago`,
  ].join(' · ');
}

/** The two rows every entry starts with: its label and command, then its details, dim. */
function EntryHead({ label, color, command, detail, width }: { label: string; color: string; command: string; detail: string; width: number }): React.JSX.Element {
  return (
    <>
      <Text wrap="truncate-end">
        {'  • '}
        <Text color={color}>{label}</Text>
        {commandLine(command, width - 4 - label.length)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {'    '}
        {detail}
      </Text>
    </>
  );
}

/** `listening :5173, :24678 · http://localhost:5173/`, or null when it listens on nothing and printed no URL. */
function network(t: BackgroundTerminalData): string | null {
  const parts = [...((t.ports ?? []).length > 0 ? [`listening ${(t.ports ?? []).map((p) => `:${p}`).join(', ')}`] : []), ...(t.url ? [t.url] : [])];
  return parts.length > 0 ? parts.join(' · ') : null;
}

function Entry({ t, at, width }: { t: BackgroundTerminalData; at: number; width: number }): React.JSX.Element {
  const net = network(t);
  return (
    <Box flexDirection="column">
      <EntryHead label={`[${t.processId}] ${t.name ? `${t.name} · ` : ''}`} color="cyan" command={t.command} detail={figures(t, at)} width={width} />
      {(net || t.waitingForInput) && (
        <Text wrap="truncate-end">
          {'    '}
          {t.waitingForInput && <Text color="yellow">waiting for input{net ? ' · ' : ''}</Text>}
          {net && <Text color="green">{net}</Text>}
        </Text>
      )}
      {t.logPath && (
        <Text dimColor wrap="truncate-middle">
          {'    log '}
          {t.logPath}
        </Text>
      )}
      <ScreenRowsView rows={t.recentLines.map((line) => ({ line }))} width={width} prefix={recentPrefix} />
    </Box>
  );
}

function ExitedEntry({ t, width }: { t: BackgroundTerminalData; width: number }): React.JSX.Element {
  const id = `[${t.processId}] `;
  const still = t.liveProcesses > 0 ? ` · ${t.liveProcesses} process${t.liveProcesses === 1 ? '' : 'es'} still running` : '';
  const outcome = ` · ${ending(t.exitCode, t.signal)}${still}`;
  return (
    <Text wrap="truncate-end">
      {'  • '}
      <Text color={t.exitCode === 0 ? 'green' : 'red'}>{id}</Text>
      {commandLine(t.command, Math.max(8, width - 4 - id.length - outcome.length))}
      <Text dimColor>{outcome}</Text>
    </Text>
  );
}

function LeftoverEntry({ l, at, width }: { l: LeftoverData; at: number; width: number }): React.JSX.Element {
  const detail = `in ${l.cwd} · up ${compactDuration(at - l.startedAtMs)}`;
  return (
    <Box flexDirection="column">
      <EntryHead label={`pid ${l.osPid} `} color="yellow" command={l.command} detail={detail} width={width} />
    </Box>
  );
}

export function PsCellView({ cell, width }: { cell: PsCell; width: number }): React.JSX.Element {
  const shown = cell.running.slice(0, PS_MAX_ENTRIES);
  const more = cell.running.length - shown.length;
  return (
    <Box flexDirection="column">
      <Text bold>Background terminals</Text>
      {shown.length === 0 && <Text dimColor>  • No background terminals running.</Text>}
      {shown.map((t) => (
        <Entry key={t.processId} t={t} at={cell.at} width={width} />
      ))}
      {more > 0 && <Text dimColor>  • ... and {more} more running</Text>}
      {cell.exited.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Recently exited</Text>
          {cell.exited.map((t) => (
            <ExitedEntry key={t.processId} t={t} width={width} />
          ))}
        </Box>
      )}
      {cell.leftovers && cell.leftovers.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Left by an earlier run</Text>
          {cell.leftovers.slice(0, PS_MAX_ENTRIES).map((l) => (
            <LeftoverEntry key={l.osPid} l={l} at={cell.at} width={width} />
          ))}
          {cell.leftovers.length > PS_MAX_ENTRIES && (
            <Text dimColor>  • ... and {cell.leftovers.length - PS_MAX_ENTRIES} more</Text>
          )}
          <Text dimColor>{'  Not managed by this run; stop one with /stop <pid>.'}</Text>
        </Box>
      )}
    </Box>
  );
}
