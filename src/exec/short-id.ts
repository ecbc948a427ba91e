// Short ids and id-or-prefix resolution for commands like `/stop 482`. Pure functions over process keys.

const SHORT_ID_GRAPHEMES = 6;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first six graphemes of a process key. */
export function shortId(key: string): string {
  let out = '';
  let n = 0;
  for (const { segment } of segmenter.segment(key)) {
    if (n++ === SHORT_ID_GRAPHEMES) break;
    out += segment;
  }
  return out;
}

export type Resolution =
  | { kind: 'unique'; key: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'not-found'; query: string }
  | { kind: 'invalid' };

/**
 * Resolves what a user typed against the known keys. An exact key wins over longer keys that start with it;
 * otherwise a prefix must match exactly one key.
 */
export function resolveProcessArg(arg: string, keys: Iterable<string>): Resolution {
  const query = arg.trim();
  if (query === '') return { kind: 'invalid' };
  const matches: string[] = [];
  for (const key of keys) {
    if (key === query) return { kind: 'unique', key };
    if (key.startsWith(query)) matches.push(key);
  }
  if (matches.length === 1) return { kind: 'unique', key: matches[0]! };
  if (matches.length === 0) return { kind: 'not-found', query };
  return { kind: 'ambiguous', candidates: matches.sort(compareKeys) };
}

/** Numeric keys sort by value; anything else falls back to string order. */
export function compareKeys(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
