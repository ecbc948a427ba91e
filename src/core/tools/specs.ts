// The tools the model is given: their names, what they are for, and their parameters (JSON Schema).
import type { ToolSpec } from '../model/types.js';

export const EXEC_COMMAND: ToolSpec = {
  name: 'exec_command',
  description:
    'Runs a shell command in the person\'s workspace and returns its output. A command still running after yield_time_ms keeps running as a background terminal: the result then says "Process running with session ID N"; read more of its output or send it input with write_stdin. Use a short yield_time_ms (1000-3000) for servers and watchers.',
  parameters: {
    type: 'object',
    properties: {
      cmd: { type: 'string', description: 'The shell command to run.' },
      workdir: { type: 'string', description: 'Working directory (relative to the conversation\'s); default the conversation\'s directory.' },
      tty: { type: 'boolean', description: 'Run under a terminal (for interactive programs); default false.' },
      yield_time_ms: {
        type: 'number',
        description: 'How long to wait, in milliseconds, for the command to finish before returning (250-30000); default 10000.',
      },
      max_output_tokens: { type: 'number', description: 'Most output tokens to return (head and tail are kept); default 10000.' },
      shell: { type: 'string', description: 'Shell to run the command with; default the person\'s shell.' },
      login: { type: 'boolean', description: 'Run the shell as a login shell; default true.' },
    },
    required: ['cmd'],
    additionalProperties: false,
  },
};

export const WRITE_STDIN: ToolSpec = {
  name: 'write_stdin',
  description:
    'Writes characters to a running command (its session ID from exec_command) and returns the output since the last read. Empty chars polls: it waits for new output or for the command to exit.',
  parameters: {
    type: 'object',
    properties: {
      // A number for the widest provider support (some reject type unions); a numeric string is accepted too.
      session_id: { type: 'number', description: 'The session ID exec_command returned ("Process running with session ID N").' },
      chars: { type: 'string', description: 'Characters to write (\\n is Enter, \\u0003 is Ctrl+C); empty to poll.' },
      yield_time_ms: {
        type: 'number',
        description: 'How long to wait for output, in milliseconds: 250-30000 when writing (default 250); 5000-300000 when polling (default 5000).',
      },
      max_output_tokens: { type: 'number', description: 'Most output tokens to return; default 10000.' },
    },
    required: ['session_id'],
    additionalProperties: false,
  },
};

export const TOOL_SPECS: ToolSpec[] = [EXEC_COMMAND, WRITE_STDIN];
