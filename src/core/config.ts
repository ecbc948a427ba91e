// corral's settings: $CORRAL_HOME/config.toml with Codex's key names, so a Codex config.toml works unchanged.
// Each setting is validated on its own: a bad value costs that setting only (a warning names it), keys corral
// does not know are ignored with one warning, and a file that is not TOML gives a warning and the defaults.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';
import { applyOverrides, type ConfigOverride, isTable, newTable, parseOverride } from './config-overrides.js';
import type { ProviderConfig } from './model/types.js';

const MAX_FILE_BYTES = 1024 * 1024;

const TERMINAL_FIELDS = {
  /** How long a `!` command runs in the foreground before it becomes a background terminal. */
  foreground_window_ms: z.number().int().min(250).max(30_000).default(10_000),
  /** Time between SIGTERM and SIGKILL when a terminal is stopped. */
  stop_grace_ms: z.number().int().min(0).max(60_000).default(2_000),
  /** Each terminal's full output is kept in $CORRAL_HOME/logs, capped per terminal (first MiB and newest data). */
  log_max_mb: z.number().int().min(2).max(4096).default(64),
  /** All terminals' logs together, oldest removed first. */
  logs_total_mb: z.number().int().min(16).max(1_048_576).default(1024),
  /** Logs of runs older than this are removed at start. */
  log_max_age_days: z.number().int().min(1).max(3650).default(7),
};

/** `[notify]`: how notices (a terminal listening, waiting for input, exiting) reach the person beyond the transcript. */
const NOTIFY_FIELDS = {
  /** Ring the terminal's bell. */
  bell: z.boolean().default(false),
  /** A desktop notification through the terminal (OSC 9: iTerm2, WezTerm, kitty, Windows Terminal, ...). */
  osc9: z.boolean().default(false),
};

const TOP_FIELDS = {
  model: z.string().trim().min(1).max(256).optional(),
  model_provider: z.string().trim().min(1).max(256).default('openai'),
  // Codex's `untrusted` and `on-failure` ask at least as often as corral's `on-request`.
  approval_policy: z
    .enum(['on-request', 'never', 'untrusted', 'on-failure'])
    .transform((p) => (p === 'never' ? 'never' : 'on-request'))
    .default('on-request'),
};

/** `[model_providers.NAME]`; an unset field takes the built-in provider's value or the default. */
const PROVIDER_FIELDS = {
  name: z.string().min(1).max(256).optional(),
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  env_key: z.string().min(1).max(256).optional(),
  wire_api: z.enum(['responses', 'chat']).optional(),
  query_params: z.record(z.string(), z.string()).optional(),
  http_headers: z.record(z.string(), z.string()).optional(),
  request_max_retries: z.number().int().min(0).max(100).optional(),
  stream_idle_timeout_ms: z.number().int().min(1).max(86_400_000).optional(),
};

/** Fields whose values may hold secrets: a warning never repeats them. */
const SECRET_FIELDS = new Set(['http_headers', 'query_params']);

type Fields = Record<string, z.ZodType>;
type Values<F extends Fields> = { -readonly [K in keyof F]: z.output<F[K]> };

export type ProviderSettings = Values<typeof PROVIDER_FIELDS>;

export interface Config {
  model: string | null;
  model_provider: string;
  approval_policy: 'on-request' | 'never';
  /** The user's provider tables, validated; merged with the built-ins by `resolveModel`. */
  model_providers: Record<string, ProviderSettings>;
  terminals: Values<typeof TERMINAL_FIELDS>;
  notify: Values<typeof NOTIFY_FIELDS>;
}

export interface LoadedConfig {
  config: Config;
  /** Problems found; the defaults are used where the file was wrong. */
  warnings: string[];
}

interface Reading {
  warnings: string[];
  /** Dotted keys corral does not use. */
  unknown: string[];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function readFields<F extends Fields>(table: Record<string, unknown>, prefix: string, fields: F, r: Reading): Values<F> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const value = table[key];
    const result = schema.safeParse(value);
    if (result.success) {
      out[key] = result.data;
      continue;
    }
    const issue = result.error.issues[0]!;
    const where = [prefix + key, ...issue.path.map(String)].join('.');
    const shown = SECRET_FIELDS.has(key) || isTable(value) ? '' : ` = ${show(value)}`;
    const fallback: unknown = schema.parse(undefined);
    r.warnings.push(`config: ${where}${shown}: ${issue.message}; using ${fallback === undefined ? 'the default' : show(fallback)}`);
    out[key] = fallback;
  }
  for (const key of Object.keys(table)) if (!Object.hasOwn(fields, key)) r.unknown.push(prefix + key);
  return out as Values<F>;
}

/** The table at `key`, or an empty one (with a warning when something else is there). */
function tableAt(doc: Record<string, unknown>, key: string, r: Reading): Record<string, unknown> {
  const value = doc[key];
  if (value === undefined) return newTable();
  if (isTable(value)) return value;
  r.warnings.push(`config: ${key} must be a table ([${key}]); ignored`);
  return {};
}

/** `[notify]`; Codex's `notify = ["program", ...]` (a program it runs) is a setting corral does not use. */
function notifyTable(doc: Record<string, unknown>, r: Reading): Record<string, unknown> {
  if (!Array.isArray(doc.notify)) return tableAt(doc, 'notify', r);
  r.unknown.push('notify');
  return newTable();
}

function readProviders(doc: Record<string, unknown>, r: Reading): Record<string, ProviderSettings> {
  const providers = newTable() as Record<string, ProviderSettings>;
  for (const [id, table] of Object.entries(tableAt(doc, 'model_providers', r))) {
    if (!isTable(table)) {
      r.warnings.push(`config: model_providers.${id} must be a table ([model_providers.${id}]); ignored`);
      continue;
    }
    providers[id] = readFields(table, `model_providers.${id}.`, PROVIDER_FIELDS, r);
  }
  return providers;
}

function validate(doc: Record<string, unknown>, r: Reading): Config {
  const top = readFields(doc, '', { ...TOP_FIELDS, model_providers: z.unknown(), terminals: z.unknown(), notify: z.unknown() }, r);
  return {
    model: top.model ?? null,
    model_provider: top.model_provider,
    approval_policy: top.approval_policy,
    model_providers: readProviders(doc, r),
    terminals: readFields(tableAt(doc, 'terminals', r), 'terminals.', TERMINAL_FIELDS, r),
    notify: readFields(notifyTable(doc, r), 'notify.', NOTIFY_FIELDS, r),
  };
}

export const DEFAULT_CONFIG: Config = validate({}, { warnings: [], unknown: [] });

/** The parsed file, or an empty table with a warning saying why not. */
function readDocument(path: string, warnings: string[]): Record<string, unknown> {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) {
      warnings.push(`${path}: larger than ${MAX_FILE_BYTES / 1024} KiB; using the defaults`);
      return newTable();
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${path}: cannot read it (${(err as Error).message}); using the defaults`);
    return newTable();
  }
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // Only the first line: the rest quotes the file, which may hold a secret.
    const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    warnings.push(`${path}: not valid TOML at line ${err.line}, column ${err.column}: ${reason}; using the defaults`);
    return newTable();
  }
}

/**
 * Reads `home/config.toml` and applies `-c key=value` overrides (the CLI passes `-m` and `--provider` as
 * `model=...` and `model_provider=...` overrides). Never throws for bad input: problems become warnings.
 */
export function loadConfig(home: string, overrides: string[] = []): LoadedConfig {
  const warnings: string[] = [];
  const doc = readDocument(join(home, 'config.toml'), warnings);
  const parsed: ConfigOverride[] = [];
  for (const text of overrides) {
    const result = parseOverride(text);
    if (result.ok) parsed.push(result.override);
    else warnings.push(result.error);
  }
  applyOverrides(doc, parsed);
  const reading: Reading = { warnings, unknown: [] };
  const config = validate(doc, reading);
  if (reading.unknown.length > 0) warnings.push(`config: ignoring settings corral does not use: ${reading.unknown.join(', ')}`);
  return { config, warnings };
}

function builtinProviders(env: NodeJS.ProcessEnv): Record<string, Partial<ProviderSettings>> {
  return {
    openai: { name: 'OpenAI', base_url: env.OPENAI_BASE_URL || 'https://api.openai.com/v1', env_key: 'OPENAI_API_KEY', wire_api: 'responses' },
    ollama: { name: 'Ollama', base_url: 'http://localhost:11434/v1', wire_api: 'chat' },
    lmstudio: { name: 'LM Studio', base_url: 'http://localhost:1234/v1', wire_api: 'chat' },
  };
}

/** Shown when no provider is usable: enough config.toml to get going. */
export const CONFIG_EXAMPLE = [
  'model = "qwen3:8b"          # a model your provider serves, e.g. "gpt-5" for openai',
  'model_provider = "ollama"   # or "lmstudio", or "openai" (its API key is read from $OPENAI_API_KEY)',
  '# any OpenAI-compatible server: [model_providers.NAME] with base_url and wire_api = "chat"',
].join('\n');

export type ResolvedModel = { ok: true; model: string; provider: ProviderConfig } | { ok: false; reason: string };

/** The model and its provider (the built-in of that name, with the user's table on top), if usable. */
export function resolveModel(config: Config, env: NodeJS.ProcessEnv): ResolvedModel {
  if (config.model === null) return { ok: false, reason: 'model is not set in config.toml or with -m' };
  const id = config.model_provider;
  const builtins = builtinProviders(env);
  const builtin = Object.hasOwn(builtins, id) ? builtins[id] : undefined;
  const user = Object.hasOwn(config.model_providers, id) ? config.model_providers[id] : undefined;
  if (!builtin && !user) {
    const known = [...new Set([...Object.keys(builtins), ...Object.keys(config.model_providers)])].join(', ');
    return { ok: false, reason: `model_provider "${id}" is not defined (known: ${known}); add a [model_providers.${id}] table with base_url` };
  }
  const s: Partial<ProviderSettings> = { ...builtin };
  for (const [key, value] of Object.entries(user ?? {})) if (value !== undefined) (s as Record<string, unknown>)[key] = value;
  if (!s.base_url) return { ok: false, reason: `[model_providers.${id}] has no base_url` };
  const envKey = s.env_key ?? null;
  if (envKey !== null && !env[envKey]) return { ok: false, reason: `$${envKey} is not set; provider "${id}" reads its API key from it` };
  return {
    ok: true,
    model: config.model,
    provider: {
      id,
      name: s.name ?? id,
      baseUrl: s.base_url,
      envKey,
      wireApi: s.wire_api ?? 'responses',
      queryParams: s.query_params ?? {},
      httpHeaders: s.http_headers ?? {},
      requestMaxRetries: s.request_max_retries ?? 4,
      streamIdleTimeoutMs: s.stream_idle_timeout_ms ?? 300_000,
    },
  };
}
