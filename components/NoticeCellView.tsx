// A notice about a terminal, one line: `• [1003] npm run dev is listening on :5173 (http://localhost:5173/)`.
import { Text } from 'ink';
import React from 'react';
import type { NoticeCell } from '../src/tui/cells.js';
import { sanitize } from '../src/tui/sanitize.js';

const COLOR: Record<NoticeCell['notice']['kind'], string> = {
  listening: 'green',
  waitingForInput: 'yellow',
  inputResumed: 'gray',
  logStopped: 'yellow',
};

export function NoticeCellView({ cell }: { cell: NoticeCell }): React.JSX.Element {
  const n = cell.notice;
  const hint = n.kind === 'waitingForInput' && n.processId ? ` · /attach ${n.processId} to type into it` : '';
  return (
    <Text wrap="wrap">
      <Text color={COLOR[n.kind]}>•</Text> {sanitize(n.message)}
      {hint && <Text dimColor>{hint}</Text>}
    </Text>
  );
}
