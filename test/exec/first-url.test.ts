import { describe, expect, it } from 'vitest';
import { FirstUrl, findUrl } from '../../src/exec/first-url.js';
import { HeadlessScreen } from '../../src/exec/headless-screen.js';
import { useManager } from '../helpers/manager.js';
import { sleep, waitUntil } from '../helpers/os.js';

const manager = useManager();

describe('findUrl', () => {
  it('finds the first http(s) URL and trims trailing punctuation', () => {
    expect(findUrl('Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...')).toBe('http://0.0.0.0:8000/');
    expect(findUrl('see https://example.com/a?b=1, then http://x.y')).toBe('https://example.com/a?b=1');
    expect(findUrl('Local: "http://localhost:5173/".')).toBe('http://localhost:5173/');
    expect(findUrl('docs at [https://en.wikipedia.org/wiki/Foo_(bar)]')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
  });

  it('finds nothing without a scheme, or with a scheme alone', () => {
    expect(findUrl('listening on localhost:3000')).toBeNull();
    expect(findUrl('ftp://host/file and http:// alone')).toBeNull();
  });
});

describe('the first URL a terminal prints', () => {
  it('is found when its scheme is split between parsed slices, wherever the split falls', async () => {
    const text = 'up at http://127.0.0.1:8000/ now\r\n';
    const at = text.indexOf('://');
    // After `:`, after `:/`, both, and a read of one byte at a time.
    const cuts = [[at + 1], [at + 2], [at + 1, at + 2], Array.from({ length: text.length - 1 }, (_, i) => i + 1)];
    for (const cut of cuts) {
      const screen = new HeadlessScreen({ cols: 80, rows: 5 });
      const first = new FirstUrl(screen);
      const bounds = [0, ...cut, text.length];
      for (let i = 0; i + 1 < bounds.length; i++) {
        screen.write(Buffer.from(text.slice(bounds[i], bounds[i + 1])));
        await screen.whenIdle(); // each piece is a slice of its own
      }
      expect(await waitUntil(() => first.url !== null, 3000), `cut at ${cut.join(',')}`).toBe(true);
      expect(first.url).toBe('http://127.0.0.1:8000/');
      first.dispose();
      screen.dispose();
    }
  });

  it('is read off the screen, also when colours split it (vite)', async () => {
    const m = manager();
    const r = await m.exec({
      command: "printf 'starting\\n  Local:   http://localhost:\\033[1m5173\\033[22m/\\n'; sleep 600",
      tty: true,
      yieldMs: 250,
    });
    expect(await waitUntil(() => m.info(r.processId)!.url !== null, 3000)).toBe(true);
    expect(m.info(r.processId)!.url).toBe('http://localhost:5173/');
  });

  it('is waited for while its line keeps growing, longer than a still line is', async () => {
    const m = manager();
    // The URL's last characters come 0.7 s apart, 2.8 s in all: more than the 2 s a line that stopped changing gets.
    const command = "printf 'up at http://127.0.0.1:8'; for c in 0 0 0 /; do sleep 0.7; printf $c; done; printf ' now\\n'; sleep 600";
    const r = await m.exec({ command, tty: true, yieldMs: 250 });
    expect(await waitUntil(() => m.info(r.processId)!.url !== null, 6000)).toBe(true);
    expect(m.info(r.processId)!.url).toBe('http://127.0.0.1:8000/');
  });

  it('is taken whole when the rest of its line comes after a look', async () => {
    const m = manager();
    // The look after `://` sees `http://127.0.0.1:80` at the end of a line still being written, or `http://127.0.0.`,
    // whose trailing `.` a finished URL would not keep.
    for (const [head, tail] of [['http://127.0.0.1:80', '00/'], ['http://127.0.0.', '1:8000/']]) {
      const r = await m.exec({ command: `printf 'up at ${head}'; sleep 0.6; printf '${tail} now\\n'; sleep 600`, tty: true, yieldMs: 250 });
      expect(await waitUntil(() => m.info(r.processId)!.url !== null, 4000)).toBe(true);
      expect(m.info(r.processId)!.url, head).toBe('http://127.0.0.1:8000/');
    }
  });

  it('keeps the first one, from a pipe too, and finds none where none was printed', async () => {
    const m = manager();
    const r = await m.exec({ command: 'echo https://a.test/one; sleep 0.5; echo https://b.test/two; sleep 600', yieldMs: 250 });
    const none = await m.exec({ command: 'echo no url here; sleep 600', yieldMs: 250 });
    expect(await waitUntil(() => m.info(r.processId)!.url !== null, 3000)).toBe(true);
    await sleep(800);
    expect(m.info(r.processId)!.url).toBe('https://a.test/one');
    expect(m.info(none.processId)!.url).toBeNull();
  });
});
