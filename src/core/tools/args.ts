// The model's tool arguments, checked: anything malformed becomes a message the model can read and act on.
import { z } from 'zod';

/** What a wrong value was, in the model's terms (JSON types). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** zod's error option: "X is required (kind)" when absent, "X must be kind, not <type>" when wrong. */
const expect = (name: string, kind: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? `${name} is required (${kind})` : `${name} must be ${kind}, not ${jsonType(issue.input)}`,
});

const yieldTimeMs = z
  .number(expect('yield_time_ms', 'a number of milliseconds'))
  .nonnegative({ error: 'yield_time_ms must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'yield_time_ms is too large' })
  .optional();

const maxOutputTokens = z
  .number(expect('max_output_tokens', 'a whole number'))
  .int({ error: 'max_output_tokens must be a whole number' })
  .positive({ error: 'max_output_tokens must be at least 1' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'max_output_tokens is too large' })
  .optional();

const NOT_AN_OBJECT = { error: 'the arguments must be a JSON object' };

const ExecCommandSchema = z.object(
  {
    cmd: z.union([z.string(), z.array(z.string())], {
      error: (issue) => (Array.isArray(issue.input) ? 'cmd must be a string, or an array of strings (argv)' : expect('cmd', 'a string').error(issue)),
    }),
    workdir: z.string(expect('workdir', 'a string (a directory path)')).optional(),
    tty: z.boolean(expect('tty', 'true or false')).optional(),
    yield_time_ms: yieldTimeMs,
    max_output_tokens: maxOutputTokens,
    shell: z.string(expect('shell', 'a string (a shell program)')).optional(),
    login: z.boolean(expect('login', 'true or false')).optional(),
  },
  NOT_AN_OBJECT,
);

const WriteStdinSchema = z.object(
  {
    session_id: z.union([z.number(), z.string()], expect('session_id', 'the session ID exec_command returned')).transform((v, ctx) => {
      const n = typeof v === 'number' ? v : /^\d{1,15}$/.test(v.trim()) ? Number(v) : NaN;
      const id = Number.isSafeInteger(n) && n >= 0 ? String(n) : null;
      if (id !== null) return id;
      ctx.addIssue({ code: 'custom', message: `session_id must be the session ID exec_command returned (a whole number), not ${JSON.stringify(v)}` });
      return z.NEVER;
    }),
    chars: z.string(expect('chars', 'a string')).optional(),
    yield_time_ms: yieldTimeMs,
    max_output_tokens: maxOutputTokens,
  },
  NOT_AN_OBJECT,
);

export interface ExecCommandArgs extends Omit<z.infer<typeof ExecCommandSchema>, 'cmd'> {
  /** One shell command line (an argv array is joined into one). */
  cmd: string;
}

/** `session_id` is the decimal string, as the process manager names its processes. */
export type WriteStdinArgs = z.infer<typeof WriteStdinSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** An argv word as the shell reads it back. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Strict function calling sends `null` for every optional parameter left out; it means absent. */
function withoutNulls(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== null));
}

function parse<S extends z.ZodType>(tool: string, schema: S, raw: string): Parsed<z.output<S>> {
  let json: unknown;
  try {
    // Some models send no arguments at all for a call; that reads as `{}` and names what is missing.
    json = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `invalid arguments for ${tool}: arguments are not valid JSON: ${reason}. Send one JSON object.` };
  }
  const result = schema.safeParse(withoutNulls(json));
  if (result.success) return { ok: true, value: result.data };
  const problems = [...new Set(result.error.issues.map((i) => i.message))];
  return { ok: false, error: `invalid arguments for ${tool}: ${problems.join('; ')}` };
}

export function parseExecCommandArgs(raw: string): Parsed<ExecCommandArgs> {
  const r = parse('exec_command', ExecCommandSchema, raw);
  if (!r.ok) return r;
  const cmd = Array.isArray(r.value.cmd) ? r.value.cmd.map(shellQuote).join(' ') : r.value.cmd;
  if (cmd.trim() === '') return { ok: false, error: 'invalid arguments for exec_command: cmd is empty; give the command line to run' };
  return { ok: true, value: { ...r.value, cmd } };
}

export function parseWriteStdinArgs(raw: string): Parsed<WriteStdinArgs> {
  return parse('write_stdin', WriteStdinSchema, raw);
}
