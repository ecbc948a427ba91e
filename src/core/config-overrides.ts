// `-c key=value` overrides with Codex's semantics: the key is a dotted TOML key, the value a TOML value or, when
// it is not valid TOML, a plain string (`-c model=gpt-5` needs no quotes). Both are read by smol-toml.
import { parse } from 'smol-toml';

export interface ConfigOverride {
  /** The key's parts: `model_providers."a.b".base_url` is ['model_providers', 'a.b', 'base_url']. */
  path: string[];
  value: unknown;
}

export type OverrideParse = { ok: true; override: ConfigOverride } | { ok: false; error: string };

type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads the path of a TOML key by parsing `KEY = 0` and following the one-key tables it makes. */
function keyPath(key: string): string[] | null {
  let doc: unknown;
  try {
    doc = parse(`${key} = 0`);
  } catch {
    return null;
  }
  const path: string[] = [];
  while (isTable(doc)) {
    const keys = Object.keys(doc);
    if (keys.length !== 1) return null;
    path.push(keys[0]!);
    doc = doc[keys[0]!];
  }
  return path.length > 0 ? path : null;
}

function tomlValue(text: string): unknown {
  try {
    const doc = parse(`x = ${text}`);
    // More than one key means the text went on past the value (a newline): it is not one value.
    if (Object.keys(doc).length === 1) return doc.x;
  } catch {
    // not TOML: a plain string
  }
  return text;
}

export function parseOverride(text: string): OverrideParse {
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, error: `-c ${text}: expected key=value` };
  const key = text.slice(0, eq).trim();
  const path = keyPath(key);
  if (!path) return { ok: false, error: `-c ${text}: "${key}" is not a valid key (use a dotted key such as model_providers.local.base_url)` };
  return { ok: true, override: { path, value: tomlValue(text.slice(eq + 1).trim()) } };
}

/** A table without a prototype, as smol-toml makes them: a key such as `__proto__` is then just a key. */
export function newTable(): Table {
  return Object.create(null) as Table;
}

/** Sets each override in `doc` (a parsed config.toml), creating tables on the way and replacing non-tables. */
export function applyOverrides(doc: Table, overrides: ConfigOverride[]): void {
  for (const { path, value } of overrides) {
    let table = doc;
    for (const part of path.slice(0, -1)) {
      const next = table[part];
      if (isTable(next)) table = next;
      else table = table[part] = newTable();
    }
    table[path[path.length - 1]!] = value;
  }
}
