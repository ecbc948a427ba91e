// Cursor pagination over numeric process ids. A page starts after the cursor's value, not at its position, so a
// cursor stays valid after the process it names is gone.

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor: ${JSON.stringify(cursor)} is not a process id`);
    this.name = 'InvalidCursorError';
  }
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function parseCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  if (!/^\d{1,9}$/.test(cursor)) throw new InvalidCursorError(cursor);
  return Number(cursor);
}

export function paginate<T>(
  items: readonly T[],
  idOf: (item: T) => number,
  cursor: string | null | undefined,
  limit: number | null | undefined,
): Page<T> {
  const after = parseCursor(cursor);
  const size = Math.max(1, Math.min(MAX_PAGE_SIZE, limit ?? DEFAULT_PAGE_SIZE));
  const sorted = [...items].sort((a, b) => idOf(a) - idOf(b));
  const rest = after === null ? sorted : sorted.filter((item) => idOf(item) > after);
  const data = rest.slice(0, size);
  const last = data[data.length - 1];
  const nextCursor = rest.length > size && last !== undefined ? String(idOf(last)) : null;
  return { data, nextCursor };
}
