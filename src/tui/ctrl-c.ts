// What Ctrl+C does, in order of precedence. It never stops a background terminal.

export type CtrlCAction = 'interrupt' | 'clear' | 'interrupt-turn' | 'arm-quit' | 'quit';

export function decideCtrlC(s: { foregroundRunning: boolean; composerText: string; turnRunning?: boolean; quitArmed: boolean }): CtrlCAction {
  if (s.foregroundRunning) return 'interrupt';
  if (s.composerText !== '') return 'clear';
  if (s.turnRunning) return 'interrupt-turn';
  return s.quitArmed ? 'quit' : 'arm-quit';
}

/** How long the "press Ctrl+C again" prompt waits for the second press. */
export const QUIT_ARM_MS = 2000;
