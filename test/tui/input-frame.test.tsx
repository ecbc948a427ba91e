// Ink caps frames at maxFps; corral's patch draws the commit that follows a keypress at once, so that a typed key
// shows in the next frame even while a flooding command keeps the cap busy. Here the cap is one frame per 8 s,
// and output has just used it: the typed key must still be on screen long before the cap would allow.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { Text, render, useInput } from 'ink';
import React, { useState } from 'react';
import { expect, it } from 'vitest';
import { createStore, useStore } from '../../src/tui/store.js';
import { waitUntil } from '../helpers/os.js';

class Terminal extends Writable {
  columns = 80;
  rows = 24;
  isTTY = true;
  frames: string[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.frames.push(chunk.toString());
    done();
  }
}

/** Enough of a TTY stdin for Ink: keys are pushed with `press`. */
class Keyboard extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}

it('draws a typed key at once, whatever the frame cap', async () => {
  const output = createStore(0);
  function Screen(): React.JSX.Element {
    const n = useStore(output, (o) => o);
    const [typed, setTyped] = useState('');
    useInput((input) => setTyped((t) => t + input));
    return <Text>{`output ${n} typed [${typed}]`}</Text>;
  }
  const term = new Terminal();
  const keys = new Keyboard();
  const ink = render(<Screen />, {
    stdout: term as unknown as NodeJS.WriteStream,
    stdin: keys as unknown as NodeJS.ReadStream,
    patchConsole: false,
    exitOnCtrlC: false,
    maxFps: 0.125,
  });
  try {
    const shown = (text: string) => (): boolean => term.frames.some((f) => f.includes(text));
    expect(await waitUntil(shown('output 0 typed []'))).toBe(true);
    output.set(1); // output: its frame waits for the cap (8 s)
    keys.press('x');
    expect(await waitUntil(shown('typed [x]'), 4000)).toBe(true);
    expect(term.frames.some((f) => f.includes('output 1 typed [x]'))).toBe(true);
  } finally {
    ink.unmount();
  }
});
