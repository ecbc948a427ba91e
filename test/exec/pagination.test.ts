import { describe, expect, it } from 'vitest';
import { InvalidCursorError, paginate } from '../../src/exec/pagination.js';

const id = (n: number): number => n;

describe('paginate', () => {
  it('sorts by numeric id and pages with a cursor', () => {
    const items = [5000, 1200, 99999, 3000];
    const first = paginate(items, id, null, 2);
    expect(first).toEqual({ data: [1200, 3000], nextCursor: '3000' });
    const second = paginate(items, id, first.nextCursor, 2);
    expect(second).toEqual({ data: [5000, 99999], nextCursor: null });
  });

  it('keeps working when the cursor item is gone', () => {
    expect(paginate([1200, 5000, 7000], id, '3000', 10).data).toEqual([5000, 7000]);
  });

  it('rejects a cursor that is not an id', () => {
    expect(() => paginate([1], id, 'abc', 1)).toThrow(InvalidCursorError);
    expect(() => paginate([1], id, '-5', 1)).toThrow(InvalidCursorError);
    expect(() => paginate([1], id, '', 1)).toThrow(InvalidCursorError);
  });

  it('returns no cursor when the page ends exactly at the last item', () => {
    expect(paginate([1, 2], id, null, 2).nextCursor).toBeNull();
  });
});
