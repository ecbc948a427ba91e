// corral's settings: $CORRAL_HOME/config.toml, validated; a missing file means the defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';

const TerminalsSchema = z
  .object({
    /** How long a `!` command runs in the foreground before it becomes a background terminal. */
    foreground_window_ms: z.number().int().min(250).max(30_000).default(10_000),
    /** Time between SIGTERM and SIGKILL when a terminal is stopped. */
    stop_grace_ms: z.number().int().min(0).max(60_000).default(2_000),
  })
  .strict();

const ConfigSchema = z
  .object({
    terminals: TerminalsSchema.default(TerminalsSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

export interface LoadedConfig {
  config: Config;
  /** Problems found; the defaults are used where the file was wrong. */
  warnings: string[];
}

export function loadConfig(home: string): LoadedConfig {
  const path = join(home, 'config.toml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { config: DEFAULT_CONFIG, warnings: [] };
  }
  try {
    const result = ConfigSchema.safeParse(parse(text));
    if (result.success) return { config: result.data, warnings: [] };
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    return { config: DEFAULT_CONFIG, warnings: [`${path}: ${issues.join('; ')}; using defaults`] };
  } catch (err) {
    return { config: DEFAULT_CONFIG, warnings: [`${path}: ${(err as Error).message}; using defaults`] };
  }
}
