// Pictures of the screen a user sees, per component and state. Review snapshot diffs as screens.
import React from 'react';
import { describe, expect, it } from 'vitest';
import { ExecCellView } from '../../components/ExecCellView.js';
import { FooterView } from '../../components/Footer.js';
import { PsCellView } from '../../components/PsCellView.js';
import { SlashPopupView } from '../../components/SlashPopup.js';
import { StopCellView } from '../../components/StopCellView.js';
import { ComposerView } from '../../components/Composer.js';
import type { PsCell, StopCell } from '../../src/tui/cells.js';
import { stringWidth } from '../../src/tui/text-width.js';
import { AT, exec, line, report, terminal } from './fixtures.js';
import { frame } from './render-frame.js';

const WIDTH = 80;


const ps = (over: Partial<PsCell>): PsCell => ({ kind: 'ps', id: 'ps', at: AT, running: [], exited: [], ...over });
const stop = (over: Partial<StopCell>): StopCell => ({ kind: 'stop', id: 'stop', all: false, lines: [], ...over });

describe('/ps', () => {
  it('says so when nothing runs', () => {
    expect(frame(<PsCellView cell={ps({})} width={WIDTH} />)).toMatchSnapshot();
  });

  it('shows one terminal with its figures and last lines', () => {
    const out = frame(<PsCellView cell={ps({ running: [terminal()] })} width={WIDTH} />);
    expect(out).toContain('  • [48213] npm run dev');
    expect(out).toContain('    pid 91234 · cpu 3% · rss 42 MB · up 5m12s · last output 2s ago');
    expect(out).toContain('    ↳ ready on http://localhost:3000');
    expect(out).toMatchSnapshot();
  });

  it('shows a name, the ports and URL from the kernel and the screen, an input wait and the log', () => {
    const t = terminal({ name: 'web', ports: [5173, 24678], url: 'http://localhost:5173/', waitingForInput: true, logPath: '/home/dev/.corral/logs/123-456/48213.log' });
    const out = frame(<PsCellView cell={ps({ running: [t, terminal({ processId: '48214', command: 'sleep 100', recentLines: [] })] })} width={WIDTH} />);
    expect(out).toContain('  • [48213] web · npm run dev');
    expect(out).toContain('    waiting for input · listening :5173, :24678 · http://localhost:5173/');
    expect(out).toContain('    log /home/dev/.corral/logs/123-456/48213.log');
    expect(out).toMatchSnapshot();
  });

  it('lists at most 16 and counts the rest', () => {
    const many = Array.from({ length: 19 }, (_, i) =>
      terminal({ processId: String(10_000 + i), command: `worker --shard ${i}`, recentLines: [], lastOutputAtMs: null }),
    );
    const out = frame(<PsCellView cell={ps({ running: many })} width={WIDTH} />);
    expect(out.match(/^ {2}• \[/gm)).toHaveLength(16);
    expect(out).toContain('  • ... and 3 more running');
    expect(out).toMatchSnapshot();
  });

  it('cuts long and multi-line commands to the width', () => {
    const out = frame(
      <PsCellView
        cell={ps({
          running: [
            terminal({ command: `node server.js ${'--flag value '.repeat(12)}`, recentLines: [line('x'.repeat(200))] }),
            terminal({ processId: '50001', command: 'while true; do\n  date\n  sleep 1\ndone', recentLines: [] }),
          ],
        })}
        width={WIDTH}
      />,
    );
    for (const l of out.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(WIDTH);
    expect(out).toContain('[50001] while true; do [...]');
    expect(out).toMatchSnapshot();
  });

  it('marks a terminal that is being stopped', () => {
    const out = frame(<PsCellView cell={ps({ running: [terminal({ stopping: true, recentLines: [] })] })} width={WIDTH} />);
    expect(out).toContain('    stopping · pid 91234 · cpu 3%');
    expect(out).toMatchSnapshot();
  });

  it('aligns wide characters', () => {
    const out = frame(
      <PsCellView
        cell={ps({ running: [terminal({ command: `echo 日本語のログを表示します 🎉🎉 ${'データ'.repeat(20)}`, recentLines: [line('完了しました ✅')] })] })}
        width={WIDTH}
      />,
    );
    for (const l of out.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(WIDTH);
    expect(out).toMatchSnapshot();
  });

  it('lists terminals that exited since the last /stop', () => {
    const out = frame(
      <PsCellView
        cell={ps({
          running: [terminal({ recentLines: [] })],
          exited: [
            terminal({ processId: '7001', command: 'npm run build', status: 'exited', exitCode: 0, liveProcesses: 0 }),
            terminal({ processId: '7002', command: 'tail -f app.log', status: 'exited', exitCode: 137, signal: 'SIGKILL', liveProcesses: 0 }),
            terminal({ processId: '7003', command: 'sh -c "serve &"', status: 'exited', exitCode: 0, liveProcesses: 1 }),
          ],
        })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('Recently exited');
    expect(out).toContain('[7002] tail -f app.log · SIGKILL');
    expect(out).toContain('1 process still running');
    expect(out).toMatchSnapshot();
  });
});

describe('/stop', () => {
  it('reports every terminal when stopping all', () => {
    const out = frame(
      <StopCellView
        cell={stop({
          all: true,
          lines: [
            { kind: 'stopped', report: report() },
            { kind: 'stopped', report: report({ processId: '50001', command: 'tail -f log', endedBy: 'SIGKILL', signal: 'SIGKILL', exitCode: 137, durationMs: 2_040 }) },
            { kind: 'stopped', report: report({ processId: '7001', command: 'npm run build', wasRunning: false, terminated: false, endedBy: 'exited', exitCode: 0, signal: null, durationMs: 1 }) },
          ],
        })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('Stopping all background terminals.');
    expect(out).toContain('  • Stopped [48213] npm run dev (SIGTERM, 0.2 s)');
    expect(out).toContain('(SIGKILL, 2.0 s)');
    expect(out).toMatchSnapshot();
  });

  it('reports one', () => {
    const out = frame(<StopCellView cell={stop({ lines: [{ kind: 'stopped', report: report() }] })} width={WIDTH} />);
    expect(out.trim()).toBe('Stopped [48213] npm run dev (SIGTERM, 0.2 s)');
    expect(out).toMatchSnapshot();
  });

  it('lists the candidates of an ambiguous prefix', () => {
    const out = frame(
      <StopCellView
        cell={stop({
          lines: [
            {
              kind: 'ambiguous',
              query: '48',
              candidates: [
                { processId: '48213', command: 'npm run dev' },
                { processId: '48999', command: 'tail -f log' },
              ],
            },
          ],
        })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('"48" matches 2 background terminals, so none was stopped:');
    expect(out).toMatchSnapshot();
  });

  it('says when a terminal is already being stopped', () => {
    const out = frame(<StopCellView cell={stop({ lines: [{ kind: 'already-stopping', processId: '48213', command: 'npm run dev' }] })} width={WIDTH} />);
    expect(out.trim()).toBe('[48213] npm run dev is already being stopped');
  });

  it('says when nothing matches', () => {
    const out = frame(<StopCellView cell={stop({ lines: [{ kind: 'not-found', query: '9' }] })} width={WIDTH} />);
    expect(out.trim()).toBe('No background terminal matches "9"; nothing stopped.');
    expect(out).toMatchSnapshot();
  });

  it('reports several, including one that could not be ended', () => {
    const out = frame(
      <StopCellView
        cell={stop({
          lines: [
            { kind: 'stopped', report: report() },
            { kind: 'not-found', query: '123' },
            { kind: 'stopped', report: report({ processId: '60606', command: 'stuck-in-d-state', terminated: false, endedBy: 'SIGKILL', survivors: [4242] }) },
          ],
        })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('Could not stop [60606] stuck-in-d-state: 1 process still running (pid 4242)');
    expect(out).toMatchSnapshot();
  });
});

describe('exec cells', () => {
  const lines = Array.from({ length: 14 }, (_, i) => line(`line ${i + 1}`));

  it('shows a running command with its last lines', () => {
    const out = frame(<ExecCellView cell={exec({ lines: lines.slice(0, 4) })} width={WIDTH} maxLines={3} />);
    expect(out).toContain('• Running npm test');
    expect(out).not.toContain('line 1\n');
    expect(out).toContain('line 4');
    expect(out).toMatchSnapshot();
  });

  it('shows a finished command with its outcome and output', () => {
    const out = frame(
      <ExecCellView
        cell={exec({ status: 'completed', exitCode: 0, durationMs: 1_340, preview: { head: lines.slice(0, 3), tail: [], totalLines: 3 } })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('• Ran npm test · exit 0 · 1.3s');
    expect(out).toMatchSnapshot();
  });

  it('shows a failed command', () => {
    const out = frame(
      <ExecCellView
        cell={exec({ status: 'failed', exitCode: 1, durationMs: 420, preview: { head: [line('Error: boom', { fg: { mode: 'palette', index: 1 } })], tail: [], totalLines: 1 } })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('• Ran npm test · exit 1 · 420ms');
    expect(out).toMatchSnapshot();
  });

  it('cuts a long output to its head and tail with a count', () => {
    const out = frame(
      <ExecCellView
        cell={exec({ status: 'completed', exitCode: 0, durationMs: 80, preview: { head: lines.slice(0, 10), tail: lines.slice(10), totalLines: 250 } })}
        width={WIDTH}
      />,
    );
    expect(out).toContain('… +245 lines');
    expect(out).toMatchSnapshot();
  });

  it('says how many lines a flood kept and how much it printed, not just the kept lines', () => {
    const preview = { head: lines.slice(0, 10), tail: lines.slice(10), totalLines: 2034, linesLost: true, outputBytes: 27_046_056 };
    const out = frame(<ExecCellView cell={exec({ status: 'completed', exitCode: 0, durationMs: 737, preview })} width={WIDTH} />);
    expect(out).toContain('… +2029 lines kept of 26 MB printed');
    expect(out).toMatchSnapshot();
  });

  it('says earlier lines were not kept when all a flood left on its screen fits the preview', () => {
    const preview = { head: [line('done')], tail: [], totalLines: 1, linesLost: true, outputBytes: 31_457_280 };
    const out = frame(<ExecCellView cell={exec({ status: 'completed', exitCode: 0, durationMs: 2_100, preview })} width={WIDTH} />);
    expect(out).toContain('└ … earlier lines not kept (30 MB printed)');
    expect(out.indexOf('not kept')).toBeLessThan(out.indexOf('done'));
  });

  it('says how to find and stop a command that went to the background', () => {
    const out = frame(<ExecCellView cell={exec({ status: 'background', lines: lines.slice(0, 2), stopHint: '482' })} width={WIDTH} />);
    expect(out).toContain('↳ still running in the background as [48213] · /ps to view · /stop 482 to stop');
    expect(out).toMatchSnapshot();
  });
});

describe('the footer', () => {
  it('counts background terminals, singular and plural', () => {
    const one = frame(<FooterView status={{ backgroundRunning: 1, quitArmed: false, quitting: false }} />);
    const two = frame(<FooterView status={{ backgroundRunning: 2, quitArmed: false, quitting: false }} />);
    expect(one.trim()).toBe('1 background terminal running · /ps to view · /stop to close');
    expect(two.trim()).toBe('2 background terminals running · /ps to view · /stop to close');
    expect({ one, two }).toMatchSnapshot();
  });

  it('names what a second Ctrl+C will stop', () => {
    const out = frame(<FooterView status={{ backgroundRunning: 3, quitArmed: true, quitting: false }} />);
    expect(out.trim()).toBe('Press Ctrl+C again to quit (stops 3 background terminals)');
  });
});

describe('the slash popup and composer', () => {
  it('lists commands with the selection highlighted', () => {
    const out = frame(
      <SlashPopupView
        popup={{
          kind: 'commands',
          replaceFrom: 0,
          entries: [
            { value: '/ps ', label: '/ps', description: 'list background terminals' },
            { value: '/stop ', label: '/stop', description: 'stop background terminals: all, or those named by id or prefix' },
          ],
        }}
        selected={1}
        width={WIDTH}
      />,
    );
    expect(out).toMatchSnapshot();
  });

  it('shows typed text with the cursor', () => {
    expect(frame(<ComposerView text="!npm run dev" cursor={4} />)).toMatchSnapshot();
  });
});
