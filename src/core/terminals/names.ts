// Short labels a person gives background terminals (`/name 1003 web`), so `/stop web` reads better than an id.
// Names are unique among the terminals that have one; a name can never be mistaken for an id or a prefix of one.

const MAX_NAME_LENGTH = 32;

export class TerminalNameError extends Error {
  override name = 'TerminalNameError';
}

/** Why `name` cannot be a terminal's name, or null when it can. */
function invalidName(name: string): string | null {
  if (name.length === 0) return 'a name must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `a name has at most ${MAX_NAME_LENGTH} characters`;
  if (/\s/.test(name)) return 'a name must not contain spaces';
  // Ids are numbers, and `/stop 10` means every id starting with 10: a name of digits would be ambiguous.
  if (/^\d+$/.test(name)) return 'a name must not be a number (ids are numbers)';
  if (!/^[\p{L}\p{N}._:@+-]+$/u.test(name)) return 'a name may use letters, digits and . _ - : @ +';
  return null;
}

/**
 * Names by terminal key. The session keys them by item id, not process id: process ids are reused once a
 * terminal is gone, item ids never are.
 */
export class TerminalNames {
  private readonly byKey = new Map<string, string>();

  get(key: string): string | null {
    return this.byKey.get(key) ?? null;
  }

  /**
   * Names (or, with null, unnames) a terminal. `live` tells which keys still name a terminal (the names of
   * terminals that are gone are dropped first). Throws TerminalNameError for a bad or taken name.
   */
  set(key: string, name: string | null, live: (key: string) => boolean): void {
    for (const k of [...this.byKey.keys()]) if (!live(k)) this.byKey.delete(k);
    if (name === null) {
      this.byKey.delete(key);
      return;
    }
    const problem = invalidName(name);
    if (problem) throw new TerminalNameError(`invalid name "${name}": ${problem}`);
    const holder = this.holderOf(name);
    if (holder !== null && holder !== key) throw new TerminalNameError(`the name "${name}" is taken by another terminal`);
    this.byKey.set(key, name);
  }

  /** The key of the terminal that has this name, if any. */
  holderOf(name: string): string | null {
    for (const [key, n] of this.byKey) if (n === name) return key;
    return null;
  }

  /** A restarted terminal keeps its name. */
  move(from: string, to: string): void {
    const name = this.byKey.get(from);
    this.byKey.delete(from);
    if (name !== undefined) this.byKey.set(to, name);
  }
}
