// Ink writes nothing but the last frame, at exit, when the environment says CI (CI=true, CI_*): that is for
// logs. corral's patch keeps that for output that is not a terminal; a terminal gets its frames, so a developer
// whose shell sets CI (or corral run inside a CI job's tmux) does not get a blank screen.
import { Writable } from 'node:stream';
import { afterEach, expect, it, vi } from 'vitest';

class Sink extends Writable {
  written = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 80;
  rows = 24;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.written += chunk.toString();
    done();
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** Ink and React loaded afresh, after the environment is set: Ink reads it when it is loaded. */
async function loadInCi(): Promise<(out: Sink) => () => void> {
  vi.stubEnv('CI', 'true');
  vi.resetModules();
  const React = await import('react');
  const { render, Text } = await import('ink');
  const draw = (out: Sink): (() => void) => {
    const ink = render(React.createElement(Text, null, 'composer here'), {
      stdout: out as unknown as NodeJS.WriteStream,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    return () => ink.unmount();
  };
  return draw;
}

it('draws frames to a terminal, synchronized, when the environment says CI', async () => {
  const draw = await loadInCi();
  const tty = new Sink(true);
  const unmount = draw(tty);
  try {
    expect(tty.written).toContain('composer here');
    expect(tty.written).toContain('\u001B[?2026h'); // a synchronized update, as in any terminal
  } finally {
    unmount();
  }
});

// This one also shows that the environment really reads as CI to Ink.
it('keeps CI mode for output that is not a terminal: nothing until exit', async () => {
  const draw = await loadInCi();
  const log = new Sink(false);
  const unmount = draw(log);
  expect(log.written).toBe('');
  unmount();
  expect(log.written).toContain('composer here');
});
