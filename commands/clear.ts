// /clear: clear the screen's transcript (background terminals keep running).
import type { SlashCommand } from '../src/tui/command-types.js';

export const clear: SlashCommand = {
  name: 'clear',
  description: 'clear the transcript from the screen',
  usage: '/clear',
  run: () => ({ cells: [], effect: 'clear' }),
};
