import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseInstructions, buildInstructions, projectInstructions } from '../../src/core/instructions.js';

/** outer/ (AGENTS.md, not in the repo) > repo/ (.git, AGENTS.md) > repo/pkg (none) > repo/pkg/app (AGENTS.md). */
function tree(): { outer: string; repo: string; app: string } {
  const outer = realpathSync(mkdtempSync(join(tmpdir(), 'corral-instr-')));
  const repo = join(outer, 'repo');
  const app = join(repo, 'pkg', 'app');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(outer, 'AGENTS.md'), 'outside the repository');
  writeFileSync(join(repo, 'AGENTS.md'), 'root rules\n');
  writeFileSync(join(app, 'AGENTS.md'), 'app rules\n');
  return { outer, repo, app };
}

describe('baseInstructions', () => {
  it("describes corral's tools, background terminals and approvals", () => {
    const text = baseInstructions();
    for (const phrase of ['exec_command', 'write_stdin', 'Process exited with code', 'Process running with session ID', '/ps', '/stop', 'yield_time_ms', 'already running as session', 'tty: true', 'declined', 'Markdown']) {
      expect(text).toContain(phrase);
    }
    const lines = text.split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(40);
    expect(lines).toBeLessThanOrEqual(70);
  });
});

describe('projectInstructions', () => {
  it('reads AGENTS.md from the git root down to cwd, root first, nothing above the root', async () => {
    const { repo, app } = tree();
    expect(await projectInstructions(app)).toEqual([
      { path: join(repo, 'AGENTS.md'), text: 'root rules\n' },
      { path: join(app, 'AGENTS.md'), text: 'app rules\n' },
    ]);
  });

  it('finds the root by a .git file too (a worktree)', async () => {
    const { repo, app } = tree();
    const worktree = join(repo, 'pkg');
    writeFileSync(join(worktree, '.git'), 'gitdir: elsewhere\n');
    expect((await projectInstructions(app)).map((f) => f.path)).toEqual([join(app, 'AGENTS.md')]);
  });

  it('reads only cwd when no directory above has .git', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'corral-instr-')));
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(join(dir, 'AGENTS.md'), 'parent');
    expect(await projectInstructions(sub)).toEqual([]);
    writeFileSync(join(sub, 'AGENTS.md'), 'here');
    expect(await projectInstructions(sub)).toEqual([{ path: join(sub, 'AGENTS.md'), text: 'here' }]);
  });

  it('skips an AGENTS.md that is not a file', async () => {
    const { repo, app } = tree();
    const dir = join(repo, 'pkg', 'AGENTS.md');
    mkdirSync(dir);
    expect((await projectInstructions(app)).map((f) => f.path)).toEqual([join(repo, 'AGENTS.md'), join(app, 'AGENTS.md')]);
  });

  it('caps each file at 32 KiB and all of them at 64 KiB, marking what was cut or left out', async () => {
    const { repo, app } = tree();
    const mid = join(repo, 'pkg');
    const deep = join(app, 'deep');
    mkdirSync(deep);
    // A multi-byte character across the cut must not be split.
    writeFileSync(join(repo, 'AGENTS.md'), `${'a'.repeat(32 * 1024 - 1)}é and more`);
    writeFileSync(join(mid, 'AGENTS.md'), 'b'.repeat(30 * 1024));
    writeFileSync(join(app, 'AGENTS.md'), 'c'.repeat(5000));
    writeFileSync(join(deep, 'AGENTS.md'), 'never read');
    const files = await projectInstructions(deep);
    expect(files.map((f) => f.path)).toEqual([join(repo, 'AGENTS.md'), join(mid, 'AGENTS.md'), join(app, 'AGENTS.md'), join(deep, 'AGENTS.md')]);
    const [root, middle, third, deepest] = files.map((f) => f.text);
    expect(root).toBe(`${'a'.repeat(32 * 1024 - 1)}\n\n[truncated: the first ${32 * 1024 - 1} of ${32 * 1024 + 10} bytes]`);
    expect(middle).toBe('b'.repeat(30 * 1024));
    const left = 64 * 1024 - (32 * 1024 - 1) - 30 * 1024;
    expect(third).toBe(`${'c'.repeat(left)}\n\n[truncated: the first ${left} of 5000 bytes]`);
    expect(deepest).toContain('size limit');
    expect(deepest).not.toContain('never read');
  });
});

describe('buildInstructions', () => {
  it('is the base, then each AGENTS.md under a heading naming its path', async () => {
    const { repo, app } = tree();
    const text = await buildInstructions(app);
    expect(text.startsWith(baseInstructions())).toBe(true);
    const root = text.indexOf(`## ${join(repo, 'AGENTS.md')}\n\nroot rules`);
    const deeper = text.indexOf(`## ${join(app, 'AGENTS.md')}\n\napp rules`);
    expect(root).toBeGreaterThan(baseInstructions().length);
    expect(deeper).toBeGreaterThan(root);
    expect(text).not.toContain('outside the repository');
  });

  it('is just the base without AGENTS.md files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-instr-'));
    expect(await buildInstructions(dir)).toBe(baseInstructions());
  });
});
