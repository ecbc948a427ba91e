import { describe, expect, it } from 'vitest';
import { compactDuration, ending, megabytes, runTime, seconds } from '../../src/tui/format.js';
import { liveLayout } from '../../src/tui/layout.js';
import { sanitize } from '../../src/tui/sanitize.js';
import { commandLine, cutToWidth, stringWidth } from '../../src/tui/text-width.js';

describe('cutting to a width', () => {
  it('leaves text that fits alone', () => {
    expect(cutToWidth('npm run dev', 11)).toBe('npm run dev');
  });

  it('cuts with the marker, measured in terminal cells', () => {
    expect(cutToWidth('npm run dev --port 3000', 16)).toBe('npm run de [...]');
    const cjk = cutToWidth('日本語のコマンドです', 12);
    expect(cjk).toBe('日本語 [...]');
    expect(stringWidth(cjk)).toBeLessThanOrEqual(12);
    expect(stringWidth(cutToWidth('🎉🎉🎉🎉🎉🎉', 9))).toBeLessThanOrEqual(9);
  });

  it('shows the first line of a multi-line command, marked as cut', () => {
    expect(commandLine('for x in a b\ndo echo $x\ndone', 40)).toBe('for x in a b [...]');
    expect(commandLine('for x in a b\ndo echo $x', 10)).toBe('for [...]');
  });
});

describe('sanitizing text', () => {
  it('removes escape sequences and control characters', () => {
    expect(sanitize('a\x1b]0;title\x07b\x1b[31mc\x1b[0m\x00\x08\x7fd\x9b2Je')).toBe('abcde');
    expect(sanitize('one\ntwo\tthree')).toBe('one\ntwo    three');
  });
});

describe('figures', () => {
  it('formats durations, sizes and endings', () => {
    expect(compactDuration(2_400)).toBe('2s');
    expect(compactDuration(312_000)).toBe('5m12s');
    expect(compactDuration(3_780_000)).toBe('1h03m');
    expect(seconds(230)).toBe('0.2 s');
    expect(runTime(1_340)).toBe('1.3s');
    expect(megabytes(43_008)).toBe('42 MB');
    expect(megabytes(4_710)).toBe('4.6 MB');
    expect(ending(0, null)).toBe('exit 0');
    expect(ending(143, 'SIGTERM')).toBe('SIGTERM');
  });
});

describe('the live region layout', () => {
  it('always stays shorter than the terminal', () => {
    for (const rows of [6, 10, 24, 40]) {
      for (const count of [1, 2, 5, 20]) {
        const reserved = 5;
        const l = liveLayout(rows, reserved, count);
        const height = reserved + l.visible * (2 + l.linesEach) + (l.summary ? 1 : 0);
        expect(height).toBeLessThan(rows);
        expect(l.visible + l.hidden).toBe(count);
      }
    }
  });

  it('gives each command up to 10 lines when there is room', () => {
    expect(liveLayout(100, 6, 1)).toEqual({ visible: 1, linesEach: 10, hidden: 0, summary: false });
    expect(liveLayout(20, 6, 2)).toEqual({ visible: 2, linesEach: 4, hidden: 0, summary: false });
    expect(liveLayout(10, 6, 3)).toEqual({ visible: 1, linesEach: 0, hidden: 2, summary: true });
  });
});

describe('commands shown on screen', () => {
  it('never carry control characters', () => {
    expect(commandLine('printf "\x1b]0;pwned\x07hi"\nsecond', 80)).toBe('printf "hi" [...]');
  });
});
