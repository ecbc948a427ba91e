// The status line: background terminals, or what Ctrl+C will do next.
import { Text } from 'ink';
import React from 'react';
import type { StatusState, TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';

export function terminalsPhrase(n: number): string {
  return `${n} background terminal${n === 1 ? '' : 's'}`;
}

export function FooterView({ status }: { status: Pick<StatusState, 'backgroundRunning' | 'quitArmed' | 'quitting'> }): React.JSX.Element {
  const n = status.backgroundRunning;
  if (status.quitting) return <Text color="yellow" wrap="truncate-end">  Stopping {n > 0 ? terminalsPhrase(n) : 'background terminals'} and quitting…</Text>;
  if (status.quitArmed) {
    return (
      <Text color="yellow" wrap="truncate-end">
        {'  '}Press Ctrl+C again to quit{n > 0 ? ` (stops ${terminalsPhrase(n)})` : ''}
      </Text>
    );
  }
  if (n > 0) return <Text dimColor wrap="truncate-end">  {terminalsPhrase(n)} running · /ps to view · /stop to close</Text>;
  return <Text dimColor wrap="truncate-end">  ! for shell commands · / for commands · /help</Text>;
}

export function Footer({ state }: { state: TuiState }): React.JSX.Element {
  const status = useStore(state.status, (s) => s);
  return <FooterView status={status} />;
}
