import { describe, expect, it } from 'vitest';
import { decideCtrlC } from '../../src/tui/ctrl-c.js';

describe('Ctrl+C', () => {
  it('interrupts a foreground command before anything else', () => {
    expect(decideCtrlC({ foregroundRunning: true, composerText: 'typed', quitArmed: true })).toBe('interrupt');
  });
  it('clears a non-empty composer next', () => {
    expect(decideCtrlC({ foregroundRunning: false, composerText: 'typed', quitArmed: true })).toBe('clear');
  });
  it('asks for a second press, then quits', () => {
    expect(decideCtrlC({ foregroundRunning: false, composerText: '', quitArmed: false })).toBe('arm-quit');
    expect(decideCtrlC({ foregroundRunning: false, composerText: '', quitArmed: true })).toBe('quit');
  });
});
