// Every slash command, in the order /help and the popup list them.
import type { SlashCommand } from '../src/tui/command-types.js';
import { attach } from './attach.js';
import { clear } from './clear.js';
import { help } from './help.js';
import { name } from './name.js';
import { newThread } from './new.js';
import { ps } from './ps.js';
import { quit } from './quit.js';
import { restart } from './restart.js';
import { resume } from './resume.js';
import { stop } from './stop.js';

export const commands: readonly SlashCommand[] = [ps, attach, stop, restart, name, newThread, resume, help, clear, quit];
