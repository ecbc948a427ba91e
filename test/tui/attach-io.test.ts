// The two switches attach uses: stdin diverted away from Ink, and Ink's writes held until detach.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputHold } from '../../src/tui/output-hold.js';
import { eraseLines, guardReflow } from '../../src/tui/reflow-guard.js';
import { StdinGate } from '../../src/tui/stdin-gate.js';
import { waitUntil } from '../helpers/os.js';

describe('the stdin gate', () => {
  it('gives Ink every byte, or, diverted, none of them', async () => {
    const real = new PassThrough() as unknown as NodeJS.ReadStream;
    const gate = new StdinGate(real);
    const ink: string[] = [];
    const diverted: string[] = [];
    // Ink's loop: read until null on each 'readable'.
    gate.stdin.setEncoding('utf8');
    gate.stdin.on('readable', () => {
      let chunk: string | null;
      while ((chunk = gate.stdin.read() as string | null) !== null) ink.push(chunk);
    });
    (real as unknown as PassThrough).write('typed');
    expect(await waitUntil(() => ink.join('') === 'typed', 2000)).toBe(true);
    gate.divert((chunk) => diverted.push(chunk));
    (real as unknown as PassThrough).write('s3cret\r\x1b[A\x03');
    expect(await waitUntil(() => diverted.join('') === 's3cret\r\x1b[A\x03', 2000)).toBe(true);
    gate.divert(null);
    (real as unknown as PassThrough).write('back');
    expect(await waitUntil(() => ink.join('') === 'typedback', 2000)).toBe(true);
    expect(ink.join('')).not.toContain('s3cret');
  });
});

describe('the output hold', () => {
  function fakeStdout() {
    const out = Object.assign(new EventEmitter(), { columns: 80, rows: 24, written: [] as string[] });
    return Object.assign(out, { write: (d: string) => (out.written.push(d), true) }) as unknown as NodeJS.WriteStream & { written: string[] };
  }

  it("keeps Ink's writes back while held and writes them in order on release", () => {
    const real = fakeStdout();
    const hold = new OutputHold();
    const ink = guardReflow(real, undefined, hold);
    ink.write('frame 1\n');
    hold.start();
    ink.write(`${eraseLines(1)}\n`);
    ink.write('\x1b[?25l');
    expect(real.written).toEqual(['frame 1\n']);
    hold.release();
    expect(real.written).toEqual(['frame 1\n', `${eraseLines(1)}\n`, '\x1b[?25l']);
  });

  it('tells when Ink wrote a write it waits for', async () => {
    const hold = new OutputHold();
    const ink = guardReflow(fakeStdout(), undefined, hold);
    let seen = false;
    const waiting = hold.next((d) => d.endsWith('empty\n'), 5000).then(() => (seen = true));
    ink.write('other\n');
    await Promise.resolve();
    expect(seen).toBe(false);
    ink.write('empty\n');
    await waiting;
    expect(seen).toBe(true);
  });
});
