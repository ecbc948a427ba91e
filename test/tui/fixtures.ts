// Sample data for component snapshots.
import type { BackgroundTerminalData, TerminationReportData } from '../../src/protocol/shapes.js';
import type { ExecCell, ScreenLine } from '../../src/tui/cells.js';

export const AT = 1_800_000_000_000;

export function line(text: string, style: ScreenLine['spans'][number]['style'] = {}): ScreenLine {
  return { text, spans: [{ text, style }] };
}

export function terminal(over: Partial<BackgroundTerminalData> = {}): BackgroundTerminalData {
  return {
    itemId: 'item-1',
    processId: '48213',
    command: 'npm run dev',
    cwd: '/home/dev/app',
    osPid: 91234,
    cpuPercent: 3.2,
    rssKb: 43_008,
    status: 'running',
    exitCode: null,
    signal: null,
    startedAtMs: AT - 312_000,
    lastOutputAtMs: AT - 2_000,
    liveProcesses: 2,
    stopping: false,
    tty: true,
    recentLines: [line('> app@1.0.0 dev'), line('ready on http://localhost:3000', { fg: { mode: 'palette', index: 2 } }), line('compiled successfully')],
    ...over,
  };
}

export function report(over: Partial<TerminationReportData> = {}): TerminationReportData {
  return {
    processId: '48213',
    itemId: 'item-1',
    command: 'npm run dev',
    terminated: true,
    wasRunning: true,
    endedBy: 'SIGTERM',
    exitCode: 143,
    signal: 'SIGTERM',
    durationMs: 230,
    survivors: [],
    ...over,
  };
}

export function exec(over: Partial<ExecCell> = {}): ExecCell {
  return {
    kind: 'exec',
    id: 'exec-1',
    command: 'npm test',
    processId: '48213',
    status: 'running',
    lines: [],
    exitCode: null,
    signal: null,
    durationMs: null,
    preview: null,
    ...over,
  };
}
