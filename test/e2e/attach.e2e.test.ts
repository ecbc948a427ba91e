// Attach in a real terminal (the built program in tmux): keys typed into an attached terminal reach the process
// and nowhere else (not the composer, the transcript or the model), and detaching brings the main screen back
// as it was. Ctrl+T attaches to a foreground command waiting for input, or opens the interactive /ps.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ModelServer, reply, startModelServer, text } from '../helpers/model-server.js';
import { CorralPane, TmuxServer, escapeRe, waitFor } from './tmux.js';

const tmux = new TmuxServer();
const panes: CorralPane[] = [];
const models: ModelServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(panes.splice(0).map((p) => p.dispose()));
  await Promise.all(models.splice(0).map((m) => m.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(() => tmux.kill());

async function start(extra = ''): Promise<{ c: CorralPane; model: ModelServer; dir: string }> {
  const model = await startModelServer();
  models.push(model);
  const config = `model = "scripted-e2e"\nmodel_provider = "local"\n${extra}[model_providers.local]\nname = "Local"\nbase_url = "${model.baseUrl}"\nwire_api = "chat"\n`;
  const c = CorralPane.launch(tmux, { config });
  panes.push(c);
  await c.ready();
  await c.waitForScreen((s) => s.includes('scripted-e2e'), 10_000, 'the model in the footer');
  const dir = mkdtempSync(join(tmpdir(), 'corral-attach-'));
  dirs.push(dir);
  return { c, model, dir };
}

const fileText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** The attach view is up: its title bar names the terminal, its hint line is at the bottom. */
async function attached(c: CorralPane, id: string): Promise<string> {
  return c.waitForScreen(
    (s) => s.split('\n')[0]!.startsWith(` [${id}] `) && s.includes('Ctrl+] back'),
    10_000,
    `the attach view of [${id}]`,
  );
}

/** The screen split where the composer's box starts: the transcript above it, the live part from it down. */
function split(screen: string): { transcript: string[]; live: string[] } {
  const lines = screen.split('\n');
  const at = lines.findLastIndex((l) => l.startsWith('╭'));
  return { transcript: lines.slice(0, at), live: lines.slice(at) };
}

const SECRET = `hunter2-${process.pid}`;

/** The pane with its scrollback and every colour and attribute (`capture-pane -e`): what byte-identical means here. */
const exact = (c: CorralPane): string => c.server.run('capture-pane', '-p', '-e', '-S', '-', '-t', c.session);

describe('attaching to a terminal', () => {
  it('types a password into a background terminal: it reaches the process and nothing else', async () => {
    const { c, model, dir } = await start();
    const file = join(dir, 'got');
    const command = `bash -c 'read -p "Password: " x; echo "got:$x" > ${file}'`;
    c.submit(`!${command}`);
    await c.waitForScreen((s) => s.includes('  └ Password:'), 10_000, 'the prompt');
    c.keys('C-b');
    const bg = await c.waitForScreen((s) => /still running in the background as \[(\d+)\]/.test(s), 10_000, 'the background terminal');
    const id = /still running in the background as \[(\d+)\]/.exec(bg)![1]!;
    await c.waitForScreen(() => c.footer().includes('1 background terminal running'), 5000, 'the footer');
    const before = split(c.capture(true));

    c.submit(`/attach ${id.slice(0, 3)}`);
    const view = await attached(c, id);
    expect(view.split('\n')[1]).toBe('Password:');
    c.type(SECRET);
    c.keys('Enter');
    await waitFor(() => fileText(file) === `got:${SECRET}\n`, 10_000, 'the password in the file');
    // The process echoed it on its own screen (read -p does), which is where it belongs.
    await c.waitForScreen((s) => s.split('\n')[1] === `Password: ${SECRET}`, 5000, 'the echo on its screen');
    c.keys('C-]');
    await c.waitForScreen((s) => s.includes('Type a message') && s.includes(`Background terminal [${id}]`), 10_000, 'the conversation again');

    const after = split(c.capture(true));
    // The transcript is what it was, then the /attach line and the terminal's exit, and nothing else.
    expect(after.transcript.slice(0, before.transcript.length)).toEqual(before.transcript);
    const added = after.transcript.slice(before.transcript.length).filter((l) => l.trim() !== '');
    expect(added).toHaveLength(2);
    expect(added[0]).toBe(`› /attach ${id.slice(0, 3)}`);
    expect(added[1]).toMatch(new RegExp(`^• Background terminal \\[${id}\\] bash -c .* exited · `));
    // The composer's box is as it was (the footer's count legitimately changed: the terminal exited).
    expect(after.live.slice(0, 3)).toEqual(before.live.slice(0, 3));
    expect(c.capture(true)).not.toContain(SECRET);
    expect(c.composerLine()).not.toContain('hunter2');

    // The model never sees it either.
    model.enqueue(reply([text('Hello there.')]));
    c.submit('hello');
    await c.waitForScreen((s) => s.includes('Hello there.'), 15_000, 'the answer');
    expect(model.requests.length).toBeGreaterThan(0);
    for (const r of model.requests) expect(JSON.stringify(r.body)).not.toContain('hunter2');
  });

  it('attaches to a foreground command waiting for input with Ctrl+T, and the pane comes back byte for byte', async () => {
    const { c, dir } = await start('[terminals]\nforeground_window_ms = 60000\n');
    const file = join(dir, 'got');
    c.submit(`!bash -c 'read -s -p "Password: " x; echo "got:$x" > ${file}'`);
    await c.waitForScreen((s) => s.includes('  └ Password:'), 10_000, 'the prompt');
    const before = exact(c);

    c.keys('C-t');
    await c.waitForScreen((s) => s.split('\n')[0]!.includes("bash -c 'read -s -p") && s.includes('Ctrl+] back'), 10_000, 'the attach view');
    c.keys('C-]');
    await c.waitForScreen((s) => s.includes('Type a message'), 10_000, 'the conversation again');
    await waitFor(() => exact(c) === before || null, 5000, 'the same pane', () => `${before}\n--- now ---\n${exact(c)}`);

    c.keys('C-t');
    await c.waitForScreen((s) => s.includes('Ctrl+] back'), 10_000, 'the attach view again');
    c.type(SECRET);
    c.keys('Enter');
    await waitFor(() => fileText(file) === `got:${SECRET}\n`, 10_000, 'the password in the file');
    c.keys('C-]');
    await c.waitForScreen((s) => s.includes('Type a message') && /• Ran bash -c 'read -s/.test(s), 10_000, 'the command done', true);
    expect(c.capture(true)).not.toContain(SECRET);
  });

  it('opens the interactive /ps with Ctrl+T and closes it with Esc, leaving the pane as it was', async () => {
    const { c } = await start('[terminals]\nforeground_window_ms = 250\n');
    const sleep = `sleep 3041${process.pid}`;
    c.submit(`!${sleep}`);
    const bg = await c.waitForScreen((s) => new RegExp(`Running ${escapeRe(sleep)}\\n  ↳ still running in the background as \\[(\\d+)\\]`).test(s), 10_000, 'the background terminal');
    const id = /still running in the background as \[(\d+)\]/.exec(bg)![1]!;
    await c.waitForScreen(() => c.footer().includes('1 background terminal running'), 5000, 'the footer');
    const before = exact(c);
    c.keys('C-t');
    await c.waitForScreen((s) => s.includes('Background terminals · ↑↓ choose · Enter attach · s stop · Esc close') && s.includes(` › [${id}] ${sleep} · pid `), 10_000, 'the list');
    c.keys('Escape');
    await waitFor(() => exact(c) === before || null, 5000, 'the pane as it was', () => exact(c));
  });
});
