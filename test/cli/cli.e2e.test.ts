// The built program (dist/corral.js) as a person runs it: flags, help, errors and exit codes.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '..', '..');
const CORRAL = join(ROOT, 'dist', 'corral.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Whether dist/corral.js is missing or older than a source it is built from. */
function stale(): boolean {
  let built: number;
  try {
    built = statSync(CORRAL).mtimeMs;
  } catch {
    return true;
  }
  const sources = ['src', 'components', 'commands', 'package.json', 'scripts/build.mjs'].map((p) => newestMtime(join(ROOT, p)));
  return Math.max(...sources) > built;
}

async function corral(args: string[], input?: string) {
  return await execa('node', [CORRAL, ...args], { cwd: ROOT, reject: false, ...(input !== undefined ? { input } : { stdin: 'ignore' }) });
}

beforeAll(async () => {
  if (stale()) await execa('node', ['scripts/build.mjs'], { cwd: ROOT });
}, 120_000);

describe('corral (built)', () => {
  it('prints its version', async () => {
    const r = await corral(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`corral ${pkg.version}`);
  });

  it('prints help for itself and for exec', async () => {
    const top = await corral(['--help']);
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toContain('corral exec [OPTIONS] PROMPT');
    const exec = await corral(['exec', '--help']);
    expect(exec.exitCode).toBe(0);
    expect(exec.stdout).toMatch(/^Usage: corral exec/);
    expect(exec.stdout).toContain('--full-auto');
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const r = await corral(['--frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("corral: unknown option '--frobnicate'\nRun 'corral --help' for usage.");
  });

  it('says the chat needs a terminal when stdin is a pipe', async () => {
    const r = await corral([], 'x\n');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('needs a terminal');
    expect(r.stderr).toContain('corral exec "PROMPT"');
    expect(r.stdout).toBe('');
  });
});
