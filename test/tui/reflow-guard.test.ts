import { describe, expect, it } from 'vitest';
import { FrameTracker, eraseLines, reflowExtraRows, splitErase } from '../../src/tui/reflow-guard.js';

describe('the reflow guard', () => {
  it('reads the erase prefix Ink writes before a frame', () => {
    expect(splitErase(`${eraseLines(3)}frame\n`)).toEqual({ erased: 3, rest: 'frame\n' });
    expect(splitErase('plain\n')).toEqual({ erased: 0, rest: 'plain\n' });
    expect(eraseLines(0)).toBe('');
  });

  it('counts the rows lines gain when re-wrapped narrower', () => {
    expect(reflowExtraRows(['x'.repeat(120), 'short', '\x1b[31m' + 'y'.repeat(81) + '\x1b[0m'], 80)).toBe(2);
    expect(reflowExtraRows(['日'.repeat(50)], 80)).toBe(1); // 100 cells
    expect(reflowExtraRows(['x'.repeat(80)], 80)).toBe(0);
  });

  it('widens the clear after the terminal narrowed, by what the frame gained', () => {
    const t = new FrameTracker();
    const box = '─'.repeat(120);
    expect(t.write(`${box}\n│ › hi\n${box}\n  footer\n`)).toBe(`${box}\n│ › hi\n${box}\n  footer\n`);
    t.write(`${eraseLines(5)}${box}\n│ › hi!\n${box}\n  footer\n`);
    t.narrowed(80); // the two 120-wide lines now take 2 rows each
    expect(t.write(eraseLines(5))).toBe(eraseLines(7));
    // Only once.
    t.write(`${box.slice(0, 80)}\n`);
    expect(t.write(eraseLines(2))).toBe(eraseLines(2));
  });

  it('takes the last write after a clear as the frame (static output comes first)', () => {
    const t = new FrameTracker();
    t.write('frame one\n');
    t.write(eraseLines(2)); // clear
    t.write(`${'s'.repeat(200)}\n`); // static transcript output, never erased
    t.write('\x1b[?2026l'); // control only: not a frame
    t.write('small frame\n');
    t.narrowed(80);
    expect(t.write(eraseLines(2))).toBe(eraseLines(2)); // the static line does not count
  });
});
