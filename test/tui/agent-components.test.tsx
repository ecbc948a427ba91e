// Pictures of the agent's parts of the screen: messages rendered from Markdown, reasoning, approval prompts,
// failed turns, queued messages, the working status line, and the live region at a small height. Review
// snapshot diffs as screens.
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentMessageCellView } from '../../components/AgentMessageCellView.js';
import { ApprovalPromptView, approvalLines, approvalWidth } from '../../components/ApprovalPromptView.js';
import { CellView } from '../../components/CellView.js';
import { ExecCellView } from '../../components/ExecCellView.js';
import { FooterView, WorkingStatus, WorkingStatusView } from '../../components/Footer.js';
import { LiveRegion } from '../../components/LiveRegion.js';
import { QueuedMessagesView } from '../../components/QueuedMessagesView.js';
import { ReasoningCellView, ThinkingLine } from '../../components/ReasoningCellView.js';
import { TurnErrorCellView } from '../../components/TurnErrorCellView.js';
import type { AgentMessageCell, ApprovalPrompt, Cell } from '../../src/tui/cells.js';
import { loadMarkdown } from '../../src/tui/markdown/load.js';
import { splitStreaming } from '../../src/tui/markdown/split-streaming.js';
import { TuiState } from '../../src/tui/state.js';
import { stringWidth } from '../../src/tui/text-width.js';
import { exec, line } from './fixtures.js';

beforeAll(() => loadMarkdown());

/** The screen at `columns` columns. */
function frame(node: React.ReactElement, columns = 80): string {
  return renderToString(node, { columns });
}

function fits(out: string, width: number): void {
  for (const l of out.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(width);
}

const agent = (markdown: string, first = true): AgentMessageCell => ({ kind: 'agent', id: 'a', markdown, first });

const SAMPLE = [
  '# Fixing the flaky test',
  '',
  'The test waits with a **fixed sleep**, which is *too short* on a busy machine; see `test/server.test.ts` and',
  'the [vitest docs](https://vitest.dev/api/vi.html#vi-waitfor) or <https://vitest.dev>. ~~Retry it~~.',
  '',
  '## Steps',
  '',
  '1. Replace the sleep with `vi.waitFor`',
  '2. Check the port is free:',
  '   - on Linux with `ss -ltn`',
  '   - elsewhere with `lsof -i`',
  '3. Run it 100 times',
  '',
  '- [x] reproduce',
  '- [ ] fix',
  '',
  '```ts',
  "import { vi } from 'vitest';",
  '',
  '// Wait for the server instead of sleeping.',
  'await vi.waitFor(() => expect(server.listening).toBe(true), { timeout: 5_000 });',
  'const answer: number = 42;',
  '```',
  '',
  '```python',
  'def retry(times: int = 3) -> None:',
  '    """Run it again."""',
  '    for i in range(times):',
  '        print(f"attempt {i}")',
  '```',
  '',
  '| Run | Result | Time |',
  '|-----|:------:|-----:|',
  '| before | 3 of 100 failed | 41 s |',
  '| after | all passed | 38 s |',
  '',
  '> The sleep was added in 2021',
  '> when the server started faster.',
  '',
  '---',
  '',
  'Escaped \\*stars\\* and <b>html</b> stay as text.',
].join('\n');

describe('agent message', () => {
  for (const width of [80, 120]) {
    it(`renders each Markdown element at ${width} columns`, () => {
      const out = frame(<AgentMessageCellView cell={agent(SAMPLE)} width={width} />, width);
      fits(out, width);
      expect(out).toMatchSnapshot();
    });
  }
});

/** The parts the TUI moves to the transcript while `text` streams in chunks of `size`, then what is left. */
function streamedParts(text: string, size: number): Cell[] {
  const cells: Cell[] = [];
  let rest = '';
  let first = true;
  for (let i = 0; i < text.length; i += size) {
    const split = splitStreaming(rest + text.slice(i, i + size));
    if (split.done !== '') {
      cells.push({ kind: 'agent', id: `a${cells.length}`, markdown: split.done, first });
      first = false;
    }
    rest = split.rest;
  }
  return [...cells, { kind: 'agent', id: 'last', markdown: rest, first }];
}

describe('a message streamed in parts', () => {
  it('reads exactly as the whole message', () => {
    const parts = streamedParts(SAMPLE, 5);
    expect(parts.length).toBeGreaterThan(5);
    const whole = frame(<CellView cell={agent(SAMPLE)} width={80} />);
    const inParts = frame(
      <>
        {parts.map((cell) => (
          <CellView key={cell.id} cell={cell} width={80} />
        ))}
      </>,
    );
    expect(inParts).toBe(whole);
  });

  it('draws the bullet only on the first part', () => {
    const out = frame(
      <>
        <CellView cell={agent('First paragraph.\n\n')} width={80} />
        <CellView cell={agent('Second paragraph, a continuation.', false)} width={80} />
      </>,
    );
    expect(out).toBe('\n• First paragraph.\n\n  Second paragraph, a continuation.');
  });
});

describe('reasoning', () => {
  it('is one dim line, cut to the width', () => {
    const out = frame(<ReasoningCellView cell={{ kind: 'reasoning', id: 'r', summary: 'Looking at the test that fails\nand why it is ' + 'slow '.repeat(20) }} width={60} />);
    expect(out).toBe('Thinking… Looking at the test that fails and why it is slow…');
    expect(frame(<ThinkingLine summary="" width={60} />)).toBe('Thinking…');
  });
});

describe('failed turn', () => {
  it('shows the error in red, wrapped under its marker', () => {
    const out = frame(
      <TurnErrorCellView
        cell={{ kind: 'turnError', id: 'e', message: 'The model provider refused the request (401 Unauthorized): check OPENAI_API_KEY, or set [model] api_key_env in config.toml.' }}
        width={80}
      />,
    );
    expect(out.split('\n')[1]).toMatch(/^ {2}\S/);
    fits(out, 80);
    expect(out).toMatchSnapshot();
  });
});

const prompt = (over: Partial<ApprovalPrompt> = {}): ApprovalPrompt => ({
  requestId: 'req-1',
  itemId: 'item-1',
  command: 'npm run build',
  cwd: '/home/dev/app',
  reason: null,
  prefix: 'npm run',
  ...over,
});

function approval(p: ApprovalPrompt, width: number, maxRows?: number): string {
  return frame(<ApprovalPromptView lines={approvalLines(p, approvalWidth(width), maxRows)} width={width} />, width);
}

describe('approval prompt', () => {
  it('asks about a short command', () => {
    const out = approval(prompt({ reason: 'The build output is needed to run the tests.' }), 80);
    expect(out).toContain('$ npm run build');
    expect(out).toContain('a  always run commands starting with "npm run" this session');
    expect(out).toMatchSnapshot();
  });

  it('wraps a long command and keeps it in the box', () => {
    const command = `docker run --rm -v "$PWD:/src" -w /src node:20 sh -c 'npm ci && npm test -- --reporter=verbose ${'--flag '.repeat(10)}'\necho done`;
    for (const width of [80, 120]) {
      const out = approval(prompt({ command, prefix: '' }), width);
      fits(out, width);
      expect(out).toContain('always run commands starting with "docker" this session');
      expect(out).toMatchSnapshot();
    }
  });

  it('gives up blank rows, the reason, then command lines when the screen is short', () => {
    const command = Array.from({ length: 30 }, (_, i) => `echo line ${i}`).join('\n');
    const lines = approvalLines(prompt({ command, reason: 'why' }), 76, 12);
    expect(lines).toHaveLength(12);
    const out = approval(prompt({ command, reason: 'why' }), 80, 12);
    expect(out).toContain('… +24 more lines');
    expect(out).not.toContain('why');
    expect(out).toContain('n  decline (esc)');
    expect(out).toMatchSnapshot();
  });

  it('sanitizes the command', () => {
    const out = approval(prompt({ command: 'echo \u001b[2Jhi\u0007' }), 80);
    expect(out).toContain('$ echo hi');
    expect(out).not.toContain('\u001b');
  });
});

describe('queued messages', () => {
  it('lists them dim, one row each, and counts the rest', () => {
    expect(frame(<QueuedMessagesView queued={['also fix the lint errors', 'then commit\nwith a message']} shown={2} more={false} />)).toMatchSnapshot();
    const out = frame(<QueuedMessagesView queued={['one', 'two', 'three', 'four', 'five']} shown={3} more />);
    expect(out).toBe('  ↳ queued: one\n  ↳ queued: two\n  ↳ queued: three\n  ↳ … and 2 more queued');
  });
});

describe('status line', () => {
  it('shows how long the model has been working', () => {
    expect(frame(<WorkingStatusView elapsedMs={12_400} backgroundRunning={0} />)).toBe('  Working (12s • esc to interrupt)');
    const out = frame(<WorkingStatusView elapsedMs={125_000} backgroundRunning={2} />);
    expect(out).toBe('  Working (2m 05s • esc to interrupt) · 2 background terminals');
    expect(out).toMatchSnapshot();
  });

  it('ticks once a second', async () => {
    const { lastFrame, unmount } = render(<WorkingStatus startedAt={Date.now() - 1_500} backgroundRunning={0} />);
    expect(lastFrame()).toMatch(/Working \(1s/);
    await vi.waitFor(() => expect(lastFrame()).toMatch(/Working \(2s/), { timeout: 5_000, interval: 50 });
    unmount();
  });

  it('shows the model after the hints, and working while a turn runs', () => {
    const base = { backgroundRunning: 0, quitArmed: false, quitting: false, turn: null, model: 'gpt-5' };
    const out = frame(<FooterView status={base} />);
    expect(out).toBe('  ! for shell commands · / for commands · /help · gpt-5');
    expect(frame(<FooterView status={{ ...base, backgroundRunning: 1 }} />)).toMatchSnapshot();
    expect(frame(<FooterView status={{ ...base, model: null }} />)).toBe('  ! for shell commands · / for commands · /help');
    expect(frame(<FooterView status={{ ...base, turn: { id: 't', startedAt: Date.now() } }} />)).toMatch(/^ {2}Working \(0s • esc to interrupt\)$/);
  });
});

describe('declined command', () => {
  it('says it was not run', () => {
    const out = frame(<ExecCellView cell={exec({ status: 'declined', command: 'rm -rf build' })} width={80} />);
    expect(out).toBe('• Declined rm -rf build\n  └ the command was not run');
  });
});

describe('live region', () => {
  const rowsOf = (out: string): number => out.split('\n').length;

  function live(setup: (state: TuiState) => void, rows: number, reservedRows = 5, width = 80): string {
    const state = new TuiState('thread');
    setup(state);
    return frame(<LiveRegion state={state} width={width} rows={rows} reservedRows={reservedRows} />, width);
  }

  it('shows only the newest rows of a long streamed message', () => {
    const markdown = Array.from({ length: 40 }, (_, i) => `- step ${i + 1}`).join('\n');
    const out = live((s) => s.live.set((l) => ({ ...l, streaming: { itemId: 'm', markdown, first: true } })), 16);
    expect(rowsOf(out)).toBeLessThanOrEqual(16 - 5 - 1);
    expect(out).toContain('- step 40');
    expect(out).not.toContain('- step 31\n');
    expect(out).toMatchSnapshot();
  });

  it('puts running commands, thinking, the message, the prompt and queued messages in order within the budget', () => {
    const out = live((s) => {
      s.startExec(exec({ lines: [line('> vitest run'), line(' ✓ test/a.test.ts (3 tests)')] }));
      s.live.set((l) => ({
        ...l,
        thinking: { itemId: 'r', summary: 'Checking whether the port is free' },
        streaming: { itemId: 'm', markdown: 'I will run the tests again.\n\n' + 'More words. '.repeat(60), first: true },
        approval: prompt(),
      }));
      s.composer.set((c) => ({ ...c, queued: ['and then push'] }));
    }, 30);
    expect(rowsOf(out)).toBeLessThanOrEqual(30 - 5 - 1);
    const order = ['Running npm test', 'Thinking… Checking', 'More words', 'Run this command?', '↳ queued: and then push'].map((t) => out.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatchSnapshot();
  });

  it('gives the approval prompt priority on a short screen', () => {
    const out = live((s) => {
      s.live.set((l) => ({ ...l, streaming: { itemId: 'm', markdown: 'Words. '.repeat(300), first: true }, approval: prompt() }));
    }, 16);
    expect(rowsOf(out)).toBeLessThanOrEqual(16 - 5 - 1);
    expect(out).toContain('n  decline (esc)');
    expect(out).not.toContain('Words.');
  });

  it('shows a huge open block as plain text, newest rows only', () => {
    const markdown = '```\n' + Array.from({ length: 5_000 }, (_, i) => `line ${i}`).join('\n');
    const out = live((s) => s.live.set((l) => ({ ...l, streaming: { itemId: 'm', markdown, first: true } })), 12);
    expect(out.split('\n').at(-1)).toBe('  line 4999');
    expect(rowsOf(out)).toBeLessThanOrEqual(12 - 5 - 1);
  });
});
