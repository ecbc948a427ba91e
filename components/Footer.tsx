// The status line: that the model is working, what Ctrl+C will do next, or background terminals and hints,
// with the model's name.
import { Text } from 'ink';
import React, { useEffect, useState } from 'react';
import { sanitize } from '../src/tui/sanitize.js';
import type { StatusState, TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';

export function terminalsPhrase(n: number): string {
  return `${n} background terminal${n === 1 ? '' : 's'}`;
}

/** Elapsed time as the status line shows it: 7s, 2m 05s, 1h 02m 09s. */
function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${two(Math.floor(s / 60) % 60)}m ${two(s % 60)}s`;
}

export function WorkingStatusView({ elapsedMs, backgroundRunning }: { elapsedMs: number; backgroundRunning: number }): React.JSX.Element {
  return (
    <Text wrap="truncate-end">
      {'  '}
      <Text color="cyan" bold>
        Working
      </Text>
      <Text dimColor>
        {` (${elapsed(elapsedMs)} • esc to interrupt)`}
        {backgroundRunning > 0 ? ` · ${terminalsPhrase(backgroundRunning)}` : ''}
      </Text>
    </Text>
  );
}

/** The working line, ticking once a second while it is shown. */
export function WorkingStatus({ startedAt, backgroundRunning }: { startedAt: number; backgroundRunning: number }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <WorkingStatusView elapsedMs={now - startedAt} backgroundRunning={backgroundRunning} />;
}

type FooterStatus = Pick<StatusState, 'backgroundRunning' | 'quitArmed' | 'quitting'> & Partial<Pick<StatusState, 'turn' | 'model' | 'waiting'>>;

/** `[1003] waits for input · /attach 1003`: the person may be the only one who can unblock it. */
function WaitingNote({ waiting }: { waiting: string[] }): React.JSX.Element | null {
  if (waiting.length === 0) return null;
  const first = waiting[0]!;
  const who = waiting.length === 1 ? `[${first}] waits` : `${waiting.length} terminals wait`;
  return <Text color="yellow">{`  ${who} for input · /attach ${first} ·`}</Text>;
}

export function FooterView({ status }: { status: FooterStatus }): React.JSX.Element {
  const n = status.backgroundRunning;
  if (status.quitting) return <Text color="yellow" wrap="truncate-end">  Stopping {n > 0 ? terminalsPhrase(n) : 'background terminals'} and quitting…</Text>;
  if (status.quitArmed) {
    return (
      <Text color="yellow" wrap="truncate-end">
        {'  '}Press Ctrl+C again to quit{n > 0 ? ` (stops ${terminalsPhrase(n)})` : ''}
      </Text>
    );
  }
  const waiting = <WaitingNote waiting={status.waiting ?? []} />;
  if (status.turn) {
    return (
      <Text wrap="truncate-end">
        {waiting}
        <WorkingStatus key={status.turn.id} startedAt={status.turn.startedAt} backgroundRunning={n} />
      </Text>
    );
  }
  const hints = n > 0 ? `${terminalsPhrase(n)} running · /ps to view · /stop to close` : '! for shell commands · / for commands · /help';
  return (
    <Text wrap="truncate-end">
      {waiting}
      <Text dimColor>
        {(status.waiting ?? []).length > 0 ? ' ' : '  '}
        {hints}
        {status.model ? ` · ${sanitize(status.model)}` : ''}
      </Text>
    </Text>
  );
}

export function Footer({ state }: { state: TuiState }): React.JSX.Element {
  const status = useStore(state.status, (s) => s);
  return <FooterView status={status} />;
}
