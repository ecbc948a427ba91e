// What is happening now, above the composer: commands running in the foreground, the model's thinking line,
// the newest rows of the message it is writing, an approval prompt, and the messages queued for after the
// turn. Together they stay shorter than the terminal (see agentLiveLayout): the prompt comes first, the
// streamed message gets what is left.
import { Box, Text } from 'ink';
import React, { useMemo } from 'react';
import { agentLiveLayout, liveRows } from '../src/tui/layout.js';
import type { TuiState } from '../src/tui/state.js';
import { useStore } from '../src/tui/store.js';
import { streamingLines } from './AgentMessageCellView.js';
import { APPROVAL_FRAME_ROWS, ApprovalPromptView, approvalLines, approvalWidth } from './ApprovalPromptView.js';
import { ExecCellView } from './ExecCellView.js';
import { LinesView, useRendered } from './LinesView.js';
import { QueuedMessagesView } from './QueuedMessagesView.js';
import { ThinkingLine } from './ReasoningCellView.js';

const NO_MESSAGE = { markdown: '', first: false };

export function LiveRegion({ state, width, rows, reservedRows }: { state: TuiState; width: number; rows: number; reservedRows: number }): React.JSX.Element {
  const running = useStore(state.live, (l) => l.running);
  const streaming = useStore(state.live, (l) => l.streaming);
  const thinking = useStore(state.live, (l) => l.thinking);
  const approval = useStore(state.live, (l) => l.approval);
  const queued = useStore(state.composer, (c) => c.queued);

  const prompt = useMemo(
    () => (approval ? approvalLines(approval, approvalWidth(width), liveRows(rows, reservedRows) - 1 - APPROVAL_FRAME_ROWS) : null),
    [approval, width, rows, reservedRows],
  );
  const message = useRendered(streamingLines, streaming ?? NO_MESSAGE, width);
  const layout = agentLiveLayout({
    rows,
    reservedRows,
    approvalRows: prompt ? 1 + APPROVAL_FRAME_ROWS + prompt.length : 0,
    queued: queued.length,
    thinking: thinking !== null,
    running: running.map((c) => c.lines.length),
    streaming: message.length > 0,
  });
  const shown = layout.running.visible > 0 ? running.slice(-layout.running.visible) : [];
  const messageRows = layout.streamingRows > 0 ? message.slice(-layout.streamingRows) : [];

  return (
    <Box flexDirection="column">
      {layout.running.summary && (
        <Text dimColor>
          {'  '}… {layout.running.hidden} more command{layout.running.hidden === 1 ? '' : 's'} running (the terminal is too short to show them)
        </Text>
      )}
      {shown.map((cell) => (
        <Box key={cell.id} marginTop={1}>
          <ExecCellView cell={cell} width={width} maxLines={layout.running.linesEach} />
        </Box>
      ))}
      {layout.thinking && thinking && (
        <Box marginTop={1}>
          <ThinkingLine summary={thinking.summary} width={width} />
        </Box>
      )}
      {messageRows.length > 0 && (
        <Box marginTop={1}>
          <LinesView lines={messageRows} />
        </Box>
      )}
      {prompt && (
        <Box marginTop={1}>
          <ApprovalPromptView lines={prompt} width={width} />
        </Box>
      )}
      {(layout.queuedShown > 0 || layout.queuedMore) && (
        <Box marginTop={1}>
          <QueuedMessagesView queued={queued} shown={layout.queuedShown} more={layout.queuedMore} />
        </Box>
      )}
    </Box>
  );
}
