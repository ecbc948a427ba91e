import { describe, expect, it } from 'vitest';
import { type CliExit, parseCli } from '../../src/cli/args.js';
import pkg from '../../package.json' with { type: 'json' };

function exit(argv: string[]): CliExit {
  const result = parseCli(argv);
  if (!('exitCode' in result)) throw new Error(`expected an exit, got ${JSON.stringify(result)}`);
  return result;
}

function usageError(argv: string[]): string {
  const result = exit(argv);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBeUndefined();
  const lines = result.stderr!.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^Run 'corral( [a-z-]+)? --help' for usage\.$/);
  return lines[0]!;
}

describe('parseCli', () => {
  it('starts the chat with no arguments', () => {
    expect(parseCli([])).toEqual({ command: 'tui', options: { configOverrides: [] } });
  });

  it('turns -m and --provider into overrides after the -c ones, keeping every -c in order', () => {
    const result = parseCli(['-c', 'model=a', '-m', '1.5', '--config', 'terminals.stop_grace_ms=10', '--provider', 'ollama', '--config=x.y="z"']);
    expect(result).toEqual({
      command: 'tui',
      options: { configOverrides: ['model=a', 'terminals.stop_grace_ms=10', 'x.y="z"', 'model="1.5"', 'model_provider="ollama"'] },
    });
  });

  it('reads exec with its options, before or after the subcommand', () => {
    expect(parseCli(['exec', '--json', '--full-auto', '-C', '/tmp', '-m', 'gpt-5', 'fix the build'])).toEqual({
      command: 'exec',
      options: { prompt: 'fix the build', json: true, fullAuto: true, cwd: '/tmp', configOverrides: ['model="gpt-5"'] },
    });
    expect(parseCli(['-m', 'qwen3:8b', 'exec', '-'])).toEqual({
      command: 'exec',
      options: { prompt: '-', json: false, fullAuto: false, configOverrides: ['model="qwen3:8b"'] },
    });
    // After `--` a prompt may start with a dash.
    expect(parseCli(['exec', '--cd', 'sub', '--', '-p is not an option here'])).toMatchObject({
      command: 'exec',
      options: { prompt: '-p is not an option here', cwd: 'sub' },
    });
  });

  it('refuses exec without one prompt', () => {
    expect(usageError(['exec'])).toContain('needs a PROMPT');
    expect(usageError(['exec', 'a', 'b'])).toContain('takes one PROMPT');
    expect(usageError(['exec', '-m'])).toContain('--model');
  });

  it('reads resume with --last, a thread id or neither', () => {
    expect(parseCli(['resume'])).toEqual({ command: 'resume', options: { configOverrides: [], resume: { last: false } } });
    expect(parseCli(['resume', '--last', '-c', 'model=x'])).toEqual({
      command: 'resume',
      options: { configOverrides: ['model=x'], resume: { last: true } },
    });
    expect(parseCli(['resume', 'th-123'])).toEqual({ command: 'resume', options: { configOverrides: [], resume: { last: false, threadId: 'th-123' } } });
    expect(usageError(['resume', '--last', 'th-123'])).toContain('not both');
    expect(usageError(['resume', 'a', 'b'])).toContain('at most one');
  });

  it('reads app-server and its --listen', () => {
    expect(parseCli(['app-server'])).toEqual({ command: 'app-server', options: { listen: 'stdio://', configOverrides: [] } });
    expect(parseCli(['app-server', '--listen', 'ws://127.0.0.1:4500'])).toEqual({
      command: 'app-server',
      options: { listen: 'ws://127.0.0.1:4500', configOverrides: [] },
    });
    expect(usageError(['app-server', '--json'])).toBe("corral: unknown option '--json'");
  });

  it('refuses unknown flags and commands with exit code 2 and a hint to --help', () => {
    expect(usageError(['--bogus'])).toBe("corral: unknown option '--bogus'");
    expect(usageError(['exec', '--bogus', 'hi'])).toBe("corral: unknown option '--bogus'");
    expect(exit(['exec', '--bogus', 'hi']).stderr).toContain("Run 'corral exec --help'");
    expect(usageError(['chat'])).toBe("corral: unknown command 'chat'");
    // --last belongs to resume, --json to exec.
    expect(usageError(['--last'])).toContain('--last');
    expect(usageError(['resume', '--json'])).toContain('--json');
  });

  it('refuses -p, explaining why, wherever it appears', () => {
    for (const argv of [['-p', 'hello'], ['exec', '-p', 'hello'], ['-m', 'x', '-p'], ['--profile', 'work'], ['--print']]) {
      const line = usageError(argv);
      expect(line).toContain('Codex uses it for profiles');
      expect(line).toContain('corral exec');
    }
  });

  it('refuses a -c without = or with a bad key', () => {
    expect(usageError(['-c', 'model'])).toContain('expected key=value');
    expect(usageError(['exec', '-c', 'a b=1', 'hi'])).toContain('not a valid key');
  });

  it('prints help for each command and the version', () => {
    const top = exit(['--help']);
    expect(top).toMatchObject({ exitCode: 0 });
    expect(top.stdout).toContain('corral exec [OPTIONS] PROMPT');
    expect(exit(['-h']).stdout).toBe(top.stdout);
    expect(exit(['exec', '--help']).stdout).toMatch(/^Usage: corral exec .*--full-auto/s);
    expect(exit(['resume', '-h']).stdout).toMatch(/^Usage: corral resume .*--last/s);
    expect(exit(['app-server', '--help']).stdout).toMatch(/^Usage: corral app-server .*--listen/s);
    // Help wins over a missing prompt.
    expect(exit(['exec', '--help']).exitCode).toBe(0);
    expect(exit(['--version'])).toEqual({ exitCode: 0, stdout: `corral ${pkg.version}\n` });
    expect(exit(['-V']).stdout).toBe(`corral ${pkg.version}\n`);
  });
});
