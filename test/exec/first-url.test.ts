import { describe, expect, it } from 'vitest';
import { findUrl } from '../../src/exec/first-url.js';
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
