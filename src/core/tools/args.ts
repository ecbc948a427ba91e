// The model's tool arguments, checked: anything malformed becomes a message the model can read and act on.
import { z } from 'zod';

const ExecCommandArgs = z.object({
  cmd: z.union([z.string(), z.array(z.string())]),
  workdir: z.string().optional(),
  tty: z.boolean().optional(),
  yield_time_ms: z.number().finite().nonnegative().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  shell: z.string().optional(),
  login: z.boolean().optional(),
});

const WriteStdinArgs = z.object({
  session_id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'a number')]),
  chars: z.string().optional(),
  yield_time_ms: z.number().finite().nonnegative().optional(),
  max_output_tokens: z.number().int().positive().optional(),
});

export interface ExecCommandArgs extends Omit<z.infer<typeof ExecCommandArgs>, 'cmd'> {
  cmd: string;
}

export interface WriteStdinArgs extends Omit<z.infer<typeof WriteStdinArgs>, 'session_id'> {
  session_id: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** An argv word as the shell would read it back. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function parse<S extends z.ZodType>(tool: string, schema: S, raw: string): Parsed<z.infer<S>> {
  let json: unknown;
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (err) {
    return { ok: false, error: `${tool}: the arguments are not valid JSON (${(err as Error).message}); send a JSON object` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
  return { ok: false, error: `invalid arguments for ${tool}: ${problems.join('; ')}` };
}

export function parseExecCommandArgs(raw: string): Parsed<ExecCommandArgs> {
  const r = parse('exec_command', ExecCommandArgs, raw);
  if (!r.ok) return r;
  const cmd = Array.isArray(r.value.cmd) ? r.value.cmd.map(shellQuote).join(' ') : r.value.cmd;
  if (cmd.trim() === '') return { ok: false, error: 'invalid arguments for exec_command: cmd is empty' };
  return { ok: true, value: { ...r.value, cmd } };
}

export function parseWriteStdinArgs(raw: string): Parsed<WriteStdinArgs> {
  const r = parse('write_stdin', WriteStdinArgs, raw);
  if (!r.ok) return r;
  return { ok: true, value: { ...r.value, session_id: String(Number(r.value.session_id)) } };
}
