// The command line: `corral [OPTIONS]`, `corral exec`, `corral resume`, `corral app-server`, read with
// node:util parseArgs. `-m` and `--provider` become the config overrides `model=...` and `model_provider=...`
// (after the `-c` ones, so they win); every `-c` is checked here so that a malformed one exits with 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseOverride } from '../core/config-overrides.js';
import { VERSION } from '../version.js';
import { HELP } from './help.js';

export interface ExecOptions {
  /** The prompt, or `-` to read it from stdin. */
  prompt: string;
  json: boolean;
  /** Run commands without asking (approval_policy = "never"). */
  fullAuto: boolean;
  /** `-C/--cd`: the directory to work in. */
  cwd?: string;
  /** `-c key=value` overrides, `-m` and `--provider` included. */
  configOverrides: string[];
}

export interface ChatOptions {
  configOverrides: string[];
  /** `corral resume`: the newest thread, a given one, or (neither) the picker. */
  resume?: { last: boolean; threadId?: string };
}

export interface AppServerOptions {
  /** `stdio://` (default) or `ws://HOST:PORT`. */
  listen: string;
  /** `generate-json-schema --out DIR`: write the schemas and exit. */
  generateSchemaOut?: string;
  configOverrides: string[];
}

export type CliCommand =
  | { command: 'tui'; options: ChatOptions }
  | { command: 'resume'; options: ChatOptions }
  | { command: 'exec'; options: ExecOptions }
  | { command: 'app-server'; options: AppServerOptions };

/** Nothing to run: print and exit (help, version, a usage error). */
export interface CliExit {
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

type CommandName = CliCommand['command'];
type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const CONFIG = { config: { type: 'string', short: 'c', multiple: true } } as const;
const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
const MODEL = { model: { type: 'string', short: 'm' }, provider: { type: 'string' } } as const;

const OPTIONS = {
  tui: { ...MODEL, ...CONFIG, ...HELP_FLAG, version: { type: 'boolean', short: 'V' } },
  exec: { ...MODEL, ...CONFIG, ...HELP_FLAG, json: { type: 'boolean' }, 'full-auto': { type: 'boolean' }, cd: { type: 'string', short: 'C' } },
  resume: { ...MODEL, ...CONFIG, ...HELP_FLAG, last: { type: 'boolean' } },
  'app-server': { ...CONFIG, ...HELP_FLAG, listen: { type: 'string' }, out: { type: 'string' } },
} satisfies Record<CommandName, OptionsConfig>;

const SUBCOMMANDS = ['exec', 'resume', 'app-server'] as const;
const ALL_OPTIONS: OptionsConfig = { ...OPTIONS.tui, ...OPTIONS.exec, ...OPTIONS.resume, ...OPTIONS['app-server'] };

function usageError(command: CommandName, message: string): CliExit {
  const help = command === 'tui' ? 'corral --help' : `corral ${command} --help`;
  return { exitCode: 2, stderr: `corral: ${message}\nRun '${help}' for usage.\n` };
}

/** parseArgs' message without its advice about `--` (a flag here is never meant as a positional). */
function parseError(err: unknown): string {
  const message = (err as Error).message.split('. ')[0]!;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * A first, tolerant pass that knows every command's options (so that option values are skipped): where the
 * subcommand is (options may come before it, as in `corral -m x exec ...`) and whether `-p` was given.
 */
function scan(argv: string[]): { command: CommandName; args: string[] } | CliExit {
  const { tokens } = parseArgs({ args: argv, options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const end = tokens.findIndex((t) => t.kind === 'option-terminator');
  const options = end < 0 ? tokens : tokens.slice(0, end);
  const refused = options.find((t) => t.kind === 'option' && ['p', 'profile', 'print'].includes(t.name));
  if (refused?.kind === 'option') {
    return usageError('tui', `there is no ${refused.rawName} option (Codex uses it for profiles, Claude Code for print mode); to run one prompt without the chat, use corral exec "PROMPT"`);
  }
  const first = options.find((t) => t.kind === 'positional');
  if (first?.kind === 'positional') {
    const command = SUBCOMMANDS.find((c) => c === first.value);
    if (!command) return usageError('tui', `unknown command '${first.value}'`);
    return { command, args: argv.filter((_, i) => i !== first.index) };
  }
  return { command: 'tui', args: argv };
}

function overridesOf(values: { config?: string[]; model?: string; provider?: string }): string[] | { error: string } {
  const overrides = [...(values.config ?? [])];
  for (const text of overrides) {
    const parsed = parseOverride(text);
    if (!parsed.ok) return { error: parsed.error };
  }
  // JSON strings are TOML basic strings: the name stays a string whatever it looks like (`-m 1.5`).
  if (values.model !== undefined) overrides.push(`model=${JSON.stringify(values.model)}`);
  if (values.provider !== undefined) overrides.push(`model_provider=${JSON.stringify(values.provider)}`);
  return overrides;
}

export function parseCli(argv: string[]): CliCommand | CliExit {
  const scanned = scan(argv);
  if ('exitCode' in scanned) return scanned;
  const { command, args } = scanned;
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS[command], strict: true, allowPositionals: true });
  } catch (err) {
    return usageError(command, parseError(err));
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const positionals = parsed.positionals;
  if (values.help) return { exitCode: 0, stdout: HELP[command] };
  if (values.version) return { exitCode: 0, stdout: `corral ${VERSION}\n` };
  const configOverrides = overridesOf(values);
  if ('error' in configOverrides) return usageError(command, configOverrides.error);

  switch (command) {
    case 'tui':
      // scan() has turned any positional into an unknown command.
      return { command, options: { configOverrides } };
    case 'exec': {
      if (positionals.length === 0) return usageError(command, 'corral exec needs a PROMPT (or - to read it from stdin)');
      if (positionals.length > 1) return usageError(command, `corral exec takes one PROMPT; quote it (got ${positionals.length} arguments)`);
      const cwd = values.cd as string | undefined;
      return {
        command,
        options: { prompt: positionals[0]!, json: values.json === true, fullAuto: values['full-auto'] === true, ...(cwd !== undefined && { cwd }), configOverrides },
      };
    }
    case 'resume': {
      if (positionals.length > 1) return usageError(command, 'corral resume takes at most one THREAD_ID');
      const last = values.last === true;
      const threadId = positionals[0];
      if (last && threadId !== undefined) return usageError(command, 'give either --last or a THREAD_ID, not both');
      return { command, options: { configOverrides, resume: { last, ...(threadId !== undefined && { threadId }) } } };
    }
    case 'app-server': {
      const listen = (values.listen as string | undefined) ?? 'stdio://';
      if (positionals[0] === 'generate-json-schema') {
        const out = values.out as string | undefined;
        if (!out) return usageError(command, 'generate-json-schema needs --out DIR');
        return { command, options: { listen, configOverrides, generateSchemaOut: out } };
      }
      if (positionals.length > 0) return usageError(command, `unexpected argument '${positionals[0]}'`);
      return { command, options: { listen, configOverrides } };
    }
  }
}
