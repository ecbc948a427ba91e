// /help: the commands and the keys.
import { cellId } from '../src/tui/cells.js';
import type { SlashCommand } from '../src/tui/command-types.js';

export const KEYS = [
  { key: '!cmd', description: 'run a shell command (it becomes a background terminal if it keeps running)' },
  { key: 'Ctrl+B', description: 'send the running command to the background now' },
  { key: 'Ctrl+C', description: 'interrupt the running command; else clear the input; twice to quit' },
  { key: 'Esc', description: 'interrupt the running command' },
  { key: 'Tab', description: 'complete a command or a process id' },
  { key: '↑ ↓', description: 'choose in the popup, or recall earlier input' },
];

export const help: SlashCommand = {
  name: 'help',
  description: 'show commands and keys',
  usage: '/help',
  run: (ctx) => ({
    cells: [
      {
        kind: 'help',
        id: cellId('help'),
        commands: ctx.commands.map((c) => ({
          usage: [c.usage, ...(c.aliases ?? []).map((a) => `/${a}`)].join(', '),
          description: c.description,
        })),
        keys: KEYS,
      },
    ],
  }),
};
