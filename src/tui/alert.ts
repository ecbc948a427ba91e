// Notices beyond the transcript, as `[notify]` asks: the terminal's bell, and a desktop notification through the
// terminal (OSC 9). Both are zero-width for the terminal, so they never move the cursor or disturb typing.
import { sanitize } from './sanitize.js';

const MAX_OSC_TEXT = 200;

export function createAlert(out: { write(s: string): unknown }, notify: { bell: boolean; osc9: boolean }): ((message: string) => void) | undefined {
  if (!notify.bell && !notify.osc9) return undefined;
  return (message) => {
    let s = '';
    // Control characters would end the sequence early or reach the terminal as commands.
    if (notify.osc9) s += `\x1b]9;corral: ${sanitize(message).replace(/\n/g, ' ').slice(0, MAX_OSC_TEXT)}\x07`;
    if (notify.bell) s += '\x07';
    out.write(s);
  };
}
