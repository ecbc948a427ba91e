// The stdout given to Ink joins a synchronized-update bracket (begin, frame, end: three writes from Ink) into one
// write to the terminal, and never reorders or loses a write.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardReflow } from '../../src/tui/reflow-guard.js';

const BEGIN = '\x1b[?2026h';
const END = '\x1b[?2026l';

function fakeStdout() {
  const out = Object.assign(new EventEmitter(), { columns: 80, rows: 24, written: [] as string[] });
  return Object.assign(out, {
    write: (d: string, cb?: () => void) => {
      out.written.push(d);
      cb?.();
      return true;
    },
  }) as unknown as NodeJS.WriteStream & { written: string[] };
}

describe('joining a synchronized frame', () => {
  it('writes begin, frame and end as one write', () => {
    const real = fakeStdout();
    const ink = guardReflow(real);
    ink.write(BEGIN);
    ink.write('frame\n');
    ink.write(END);
    ink.write('\x1b[?25l');
    expect(real.written).toEqual([`${BEGIN}frame\n${END}`, '\x1b[?25l']);
  });

  it('writes a begin whose end never comes once the turn is over', async () => {
    const real = fakeStdout();
    const ink = guardReflow(real);
    ink.write(BEGIN);
    ink.write('frame\n');
    expect(real.written).toEqual([]);
    await Promise.resolve();
    expect(real.written).toEqual([`${BEGIN}frame\n`]);
  });

  it('lets nothing overtake what it gathers', () => {
    const real = fakeStdout();
    const ink = guardReflow(real);
    let called = false;
    ink.write(BEGIN);
    ink.write('frame\n');
    ink.write('with a callback', () => (called = true));
    ink.write(Buffer.from('bytes'));
    expect(real.written.map(String)).toEqual([`${BEGIN}frame\n`, 'with a callback', 'bytes']);
    expect(called).toBe(true);
  });
});
