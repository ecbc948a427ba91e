// /quit (alias /exit): stop every background terminal and leave.
import type { SlashCommand } from '../src/tui/command-types.js';

export const quit: SlashCommand = {
  name: 'quit',
  aliases: ['exit'],
  description: 'stop all background terminals and quit',
  usage: '/quit',
  run: () => ({ cells: [], effect: 'quit' }),
};
