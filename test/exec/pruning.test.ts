import { describe, expect, it } from 'vitest';
import { chooseEviction } from '../../src/exec/pruning.js';

const c = (id: number, lastUsedAt: number, exited = false) => ({ id, lastUsedAt, exited });

describe('chooseEviction', () => {
  it('evicts the least recently used exited process first', () => {
    const cands = [c(1, 10), c(2, 20, true), c(3, 5), c(4, 30, true), ...Array.from({ length: 8 }, (_, i) => c(100 + i, 1000 + i))];
    expect(chooseEviction(cands)?.id).toBe(2);
  });

  it('evicts the least recently used live process when none has exited', () => {
    const cands = [c(1, 10), c(2, 20), c(3, 5), ...Array.from({ length: 8 }, (_, i) => c(100 + i, 1000 + i))];
    expect(chooseEviction(cands)?.id).toBe(3);
  });

  it('never evicts one of the 8 most recently used', () => {
    const cands = [c(1, 50), ...Array.from({ length: 8 }, (_, i) => c(100 + i, 1000 + i, true))];
    expect(chooseEviction(cands)?.id).toBe(1);
    expect(chooseEviction(cands.slice(1))).toBeNull();
  });
});
