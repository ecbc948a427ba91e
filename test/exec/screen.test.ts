import { describe, expect, it } from 'vitest';
import { HeadlessScreen } from '../../src/exec/headless-screen.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

/** Runs a command to completion under a PTY and returns its screen lines. */
async function screenOf(command: string, opts: { tty?: boolean; cols?: number } = {}) {
  const m = manager();
  const r = await m.exec({ command: `${command}; sleep 1000`, tty: opts.tty ?? true, cols: opts.cols, profile: 'user', yieldMs: 700 });
  const proc = m.get(r.processId)!;
  await proc.screen.whenIdle(true);
  return proc.screen;
}

describe('the headless screen', () => {
  it('shows a \\r progress bar as its final state', async () => {
    const screen = await screenOf(`printf 'progress 10%%\\rprogress 50%%\\rprogress 100%%\\ndone\\n'`);
    expect(screen.lines().map((l) => l.text)).toEqual(['progress 100%', 'done']);
  });

  it('keeps colours and attributes as styled spans', async () => {
    const screen = await screenOf(`printf '\\033[31mred\\033[0m plain \\033[1;38;2;10;20;30mrgb\\033[0m\\n'`);
    const [line] = screen.lines();
    expect(line!.text).toBe('red plain rgb');
    expect(line!.spans).toEqual([
      { text: 'red', style: { fg: { mode: 'palette', index: 1 } } },
      { text: ' plain ', style: {} },
      { text: 'rgb', style: { fg: { mode: 'rgb', rgb: (10 << 16) | (20 << 8) | 30 }, bold: true } },
    ]);
  });

  it('reads the first and last lines of a long screen as a whole read would, wrapped lines joined', async () => {
    const screen = new HeadlessScreen({ cols: 20, rows: 5, scrollback: 500 });
    const text = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `long line ${i} `.repeat(4) : `line ${i}`)).join('\r\n');
    screen.write(Buffer.from(`${text}\r\n\x1b[32mgreen\x1b[0m\r\n`));
    await screen.whenIdle(true);
    const all = screen.lines();
    expect(all.length).toBe(61);
    expect(screen.lineEnds(10)).toEqual({ head: all.slice(0, 10), tail: all.slice(-10), total: 61 });
    expect(screen.lineEnds(40)).toEqual({ head: all.slice(0, 40), tail: all.slice(40), total: 61 });
    screen.dispose();
    const short = new HeadlessScreen({ cols: 20, rows: 5 });
    short.write(Buffer.from('a\r\nb\r\n'));
    await short.whenIdle(true);
    expect(short.lineEnds(10)).toEqual({ head: short.lines(), tail: [], total: 2 });
    short.dispose();
  });

  it('applies cursor movement and screen clearing', async () => {
    const screen = await screenOf(`printf 'abc\\033[2Dx\\n'; printf 'old\\n\\033[2J\\033[Hnew\\n'`);
    expect(screen.lines().map((l) => l.text)).toEqual(['new']);
    const s2 = await screenOf(`printf 'abc\\033[2Dx\\n'`);
    expect(s2.lines().map((l) => l.text)).toEqual(['axc']);
  });

  it('never lets title, clipboard or other escape sequences into the text', async () => {
    const screen = await screenOf(`printf '\\033]0;evil title\\007\\033]52;c;ZXZpbA==\\007\\033[?1049h\\033[?1049lhello\\033[?25l\\n'`);
    const lines = screen.lines();
    expect(lines.map((l) => l.text)).toEqual(['hello']);
    // No control character survives (C0, DEL, C1).
    for (const l of lines) for (const ch of l.text) expect(ch.codePointAt(0)! >= 0x20 && (ch.codePointAt(0)! < 0x7f || ch.codePointAt(0)! > 0x9f)).toBe(true);
  });

  it('follows a switch to the alternate screen', async () => {
    const screen = await screenOf(`printf 'main\\n\\033[?1049hfull screen app\\n'`);
    expect(screen.alternateScreen).toBe(true);
    // The switch keeps the cursor where it was (row 1), so row 0 of the alternate screen is blank.
    expect(screen.lines().map((l) => l.text)).toEqual(['', 'full screen app']);
  });

  it('lays out wide characters', async () => {
    const screen = await screenOf(`printf '日本語 ok 🎉\\n'`);
    expect(screen.lines()[0]!.text).toBe('日本語 ok 🎉');
  });

  it('joins rows the terminal wrapped back into one line', async () => {
    const screen = await screenOf(`printf '%0200d\\n' 7`, { cols: 80 });
    const lines = screen.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.text).toBe(`${'0'.repeat(199)}7`);
  });

  it('treats \\n from a pipe as a new line (no staircase)', async () => {
    const screen = await screenOf(`printf 'a\\nb\\nc\\n'`, { tty: false });
    expect(screen.lines().map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('answers a cursor position query like a terminal', async () => {
    const screen = await screenOf(`printf 'x\\033[6n'; IFS= read -rsd R reply; printf '\\ngot %s\\n' "\${reply#*[}"`);
    expect(screen.lines().map((l) => l.text)).toContain('got 1;2');
  });

  it('returns only the last lines asked for, oldest first', async () => {
    const screen = await screenOf('seq 1 50');
    expect(screen.lines(3).map((l) => l.text)).toEqual(['48', '49', '50']);
  });

  it('shows the newest output after a flood and keeps its scrollback bounded', async () => {
    const m = manager();
    const r = await m.exec({ command: 'seq 1 300000', tty: true, yieldMs: 20_000 });
    expect(r.status).toBe('exited');
    // The process is gone from the store once its exit is observed; read the screen through a background run.
    const bg = await m.exec({ command: 'seq 1 300000; sleep 1000', tty: true, yieldMs: 3000 });
    const proc = m.get(bg.processId)!;
    await proc.screen.whenIdle(true);
    const lines = proc.screen.lines();
    expect(lines[lines.length - 1]!.text).toBe('300000');
    expect(lines.length).toBeLessThanOrEqual(2000 + 24);
  });
});

describe('what a screen kept', () => {
  const numbered = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => `line ${i + 1}\r\n`).join(''));

  it('holds every line while the output fits its scrollback', async () => {
    const screen = new HeadlessScreen({ cols: 20, rows: 5, scrollback: 50 });
    screen.write(numbered(40));
    await screen.whenIdle(true);
    expect(screen.keptAll).toBe(true);
    expect(screen.lineEnds(3).total).toBe(40);
    screen.dispose();
  });

  it('no longer holds every line once lines scrolled out of the scrollback', async () => {
    const screen = new HeadlessScreen({ cols: 20, rows: 5, scrollback: 50 });
    screen.write(numbered(300));
    await screen.whenIdle(); // not as at an exit, which would skip what only scrolls out
    expect(screen.droppedBytes).toBe(0);
    expect(screen.keptAll).toBe(false);
    expect(screen.lines(1)[0]!.text).toBe('line 300');
    screen.dispose();
  });

  it('no longer holds every line once a flood was dropped unparsed, even if what is left fits', async () => {
    const screen = new HeadlessScreen({ cols: 80, rows: 24, scrollback: 100_000, convertEol: true });
    const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    for (let i = 0; i < data.length; i += 4096) screen.write(data.subarray(i, i + 4096));
    await screen.whenIdle(true);
    expect(screen.droppedBytes).toBeGreaterThan(0);
    expect(screen.keptAll).toBe(false);
    screen.dispose();
  });
});

describe('HeadlessScreen pacing', () => {
  it('never splices screenfuls from the middle of a flood into the scrollback it keeps', async () => {
    // Long lines, so the backlog left at the end holds fewer lines than the scrollback: before, the screenfuls
    // parsed while the flood ran stayed above it, each after a gap, as if the output had been contiguous.
    const screen = new HeadlessScreen({ cols: 250, rows: 24, convertEol: true });
    let updates = 0;
    screen.onUpdate(() => updates++);
    let n = 0;
    const pad = 'x'.repeat(180);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        let text = '';
        while (text.length < 60_000) text += `line ${++n} ${pad}\n`;
        screen.write(Buffer.from(text));
        if (updates >= 6) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await screen.whenIdle(true);
    expect(screen.droppedBytes).toBeGreaterThan(0);
    const numbers = screen.plainLines(100_000).filter((l) => l !== '').map((l) => Number(/^line (\d+) x+$/.exec(l)?.[1]));
    expect(numbers.at(-1)).toBe(n);
    expect(numbers.length).toBeGreaterThan(24);
    // Every line kept follows the one before it.
    expect(numbers.filter((v, i) => i > 0 && v !== numbers[i - 1]! + 1)).toEqual([]);
    screen.dispose();
  });

  it('drops old lines, not new ones, when the parser falls behind', async () => {
    const screen = new HeadlessScreen({ cols: 80, rows: 24, convertEol: true });
    const lines: string[] = [];
    for (let i = 1; i <= 200_000; i++) lines.push(`line ${i}`);
    const data = Buffer.from(`${lines.join('\n')}\n`);
    for (let i = 0; i < data.length; i += 4096) screen.write(data.subarray(i, i + 4096));
    await screen.whenIdle(true);
    expect(screen.droppedBytes).toBeGreaterThan(0);
    const shown = screen.lines(3).map((l) => l.text);
    expect(shown).toEqual(['line 199998', 'line 199999', 'line 200000']);
    // Every shown line is a whole line: no half line where bytes were dropped.
    for (const l of screen.lines()) expect(l.text).toMatch(/^line \d+$/);
    screen.dispose();
  });

  it('parses only the newest lines while a flood lasts, then the newest 256 KiB once it stops', async () => {
    const screen = new HeadlessScreen({ cols: 80, rows: 24, convertEol: true });
    let n = 0;
    let written = 0;
    const chunk = (): Buffer => {
      let text = '';
      while (text.length < 60_000) text += `line ${++n}\n`;
      return Buffer.from(text);
    };
    const started = performance.now();
    // ~30 MB/s for a second, in 64 KiB reads: far faster than a parser, like a PTY flood.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const data = chunk();
        written += data.length;
        screen.write(data);
        if (performance.now() - started >= 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const elapsed = performance.now() - started;
    await screen.whenIdle(true);
    const parsed = written - screen.droppedBytes;
    // The first slice may come before the flood shows (64 KiB), then one newest 16 KiB slice per 100 ms at most,
    // and the last 256 KiB in full. Parsing every slice in full would be ~64 KiB every 65-100 ms.
    expect(parsed).toBeLessThanOrEqual(256 * 1024 + 64 * 1024 + (elapsed / 100 + 1) * 16 * 1024);
    expect(screen.lines(2).map((l) => l.text)).toEqual([`line ${n - 1}`, `line ${n}`]);
    for (const l of screen.lines()) expect(l.text).toMatch(/^line \d+$/);
    screen.dispose();
  });

  it('parses just the lines that fill the screen for each slice while a flood lasts', async () => {
    const screen = new HeadlessScreen({ cols: 80, rows: 24, convertEol: true });
    let updates = 0;
    screen.onUpdate(() => updates++);
    let n = 0;
    // As above, but output does not stop until the screen has shown it ten times.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        let text = '';
        while (text.length < 60_000) text += `line ${++n}\n`;
        screen.write(Buffer.from(text));
        if (updates >= 10) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const beforeStop = updates;
    const parsedBeforeStop = screen.parsedBytes;
    const lines = screen.lines().map((l) => l.text);
    // The first slice (64 KiB at most), then slices of 25 lines of 12-13 bytes (one more may be in flight).
    // Slices of 16 KiB, as before, made 9 x 16 KiB.
    expect(parsedBeforeStop).toBeLessThanOrEqual(64 * 1024 + beforeStop * 25 * 13);
    await screen.whenIdle(true);
    // What it showed while flooding was whole lines.
    expect(lines.filter((l) => l !== '').every((l) => /^line \d+$/.test(l))).toBe(true);
    expect(screen.lines(1)[0]!.text).toBe(`line ${n}`);
    screen.dispose();
  });

  it('parses a backlog at once when output stops, and paced while it keeps coming', async () => {
    // Three-plus 64 KiB slices behind, within the queue (nothing dropped, so no flood): a steady trickle holds the
    // pacing on, silence lets the screen catch up. What is compared is the time between slices (the whole time
    // less the parsing): a loaded machine makes the parsing itself slow, but not the waits.
    const burst = (tag: string): Buffer => Buffer.from(Array.from({ length: 3000 }, (_, i) => `${tag} ${i} ${'x'.repeat(60)}`).join('\n') + '\n');
    const waitedFor = async (trickle: boolean): Promise<{ waited: number; slices: number }> => {
      const screen = new HeadlessScreen({ cols: 80, rows: 24, convertEol: true });
      let parsing = 0;
      let sliceAt = 0;
      let slices = 0;
      screen.onSlice(() => {
        sliceAt = performance.now();
        slices++;
      });
      screen.onUpdate(() => (parsing += performance.now() - sliceAt));
      // In reads' sizes, as a terminal delivers them.
      const data = burst(trickle ? 'held' : 'quiet');
      for (let i = 0; i < data.length; i += 4096) screen.write(data.subarray(i, i + 4096));
      const started = performance.now();
      const drip = trickle ? setInterval(() => screen.write(Buffer.from('.')), 5) : null;
      await screen.whenIdle();
      if (drip) clearInterval(drip);
      const took = performance.now() - started;
      expect(screen.droppedBytes).toBe(0);
      expect(screen.lines().some((l) => l.text.includes(trickle ? 'held 2999' : 'quiet 2999'))).toBe(true);
      screen.dispose();
      return { waited: took - parsing, slices };
    };
    const paced = await waitedFor(true);
    const caughtUp = await waitedFor(false);
    expect(paced.slices).toBeGreaterThanOrEqual(4);
    expect(caughtUp.slices).toBeGreaterThanOrEqual(4);
    expect(caughtUp.waited).toBeLessThan(paced.waited / 2);
  });
});
