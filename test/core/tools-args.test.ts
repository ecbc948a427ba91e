// The model's tool arguments: accepted forms, and errors the model can read and act on.
import { describe, expect, it } from 'vitest';
import { parseExecCommandArgs, parseWriteStdinArgs } from '../../src/core/tools/args.js';
import { EXEC_COMMAND, TOOL_SPECS, WRITE_STDIN } from '../../src/core/tools/specs.js';

describe('parseExecCommandArgs', () => {
  it('accepts every parameter', () => {
    const raw = JSON.stringify({ cmd: 'npm test', workdir: 'pkg', tty: true, yield_time_ms: 2500, max_output_tokens: 300, shell: '/bin/bash', login: false });
    expect(parseExecCommandArgs(raw)).toEqual({
      ok: true,
      value: { cmd: 'npm test', workdir: 'pkg', tty: true, yield_time_ms: 2500, max_output_tokens: 300, shell: '/bin/bash', login: false },
    });
  });

  it('leaves absent and null optional parameters out, and drops unknown ones', () => {
    expect(parseExecCommandArgs('{"cmd":"ls","workdir":null,"tty":null,"justification":"x"}')).toEqual({ ok: true, value: { cmd: 'ls' } });
  });

  it('joins an argv array into one shell-quoted command line', () => {
    const r = parseExecCommandArgs(JSON.stringify({ cmd: ['grep', '-rn', 'a b', "it's", '$HOME', 'src/x.ts'] }));
    expect(r).toEqual({ ok: true, value: { cmd: `grep -rn 'a b' 'it'\\''s' '$HOME' src/x.ts` } });
  });

  it.each([
    ['{}', 'invalid arguments for exec_command: cmd is required (a string)'],
    ['', 'invalid arguments for exec_command: cmd is required (a string)'],
    ['{"cmd":null}', 'invalid arguments for exec_command: cmd is required (a string)'],
    ['{"cmd":42}', 'invalid arguments for exec_command: cmd must be a string, not a number'],
    ['{"cmd":[1,2]}', 'invalid arguments for exec_command: cmd must be a string, or an array of strings (argv)'],
    ['{"cmd":"  "}', 'invalid arguments for exec_command: cmd is empty; give the command line to run'],
    ['{"cmd":[]}', 'invalid arguments for exec_command: cmd is empty; give the command line to run'],
    ['[]', 'invalid arguments for exec_command: the arguments must be a JSON object'],
    ['"ls"', 'invalid arguments for exec_command: the arguments must be a JSON object'],
    [
      '{"cmd":"ls","tty":"yes","yield_time_ms":-1,"max_output_tokens":1.5}',
      'invalid arguments for exec_command: tty must be true or false, not a string; yield_time_ms must not be negative; max_output_tokens must be a whole number',
    ],
    ['{"cmd":"ls","max_output_tokens":0}', 'invalid arguments for exec_command: max_output_tokens must be at least 1'],
    ['{"cmd":"ls","workdir":["a"]}', 'invalid arguments for exec_command: workdir must be a string (a directory path), not an array'],
    ['{"cmd":"ls","yield_time_ms":"5000"}', 'invalid arguments for exec_command: yield_time_ms must be a number of milliseconds, not a string'],
  ])('rejects %s', (raw, error) => {
    expect(parseExecCommandArgs(raw)).toEqual({ ok: false, error });
  });

  it('says when the arguments are not JSON, with the parser’s reason', () => {
    const r = parseExecCommandArgs('{"cmd": "ls"');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^invalid arguments for exec_command: arguments are not valid JSON: .+\. Send one JSON object\.$/);
      expect(r.error.length).toBeGreaterThan(80);
    }
  });
});

describe('parseWriteStdinArgs', () => {
  it('accepts a number or a numeric string as the session id, as a decimal string', () => {
    expect(parseWriteStdinArgs('{"session_id":4821,"chars":"y\\n","yield_time_ms":500,"max_output_tokens":50}')).toEqual({
      ok: true,
      value: { session_id: '4821', chars: 'y\n', yield_time_ms: 500, max_output_tokens: 50 },
    });
    expect(parseWriteStdinArgs('{"session_id":" 4821 "}')).toEqual({ ok: true, value: { session_id: '4821' } });
    expect(parseWriteStdinArgs('{"session_id":"04821"}')).toEqual({ ok: true, value: { session_id: '4821' } });
    expect(parseWriteStdinArgs('{"session_id":4821,"chars":null}')).toEqual({ ok: true, value: { session_id: '4821' } });
  });

  it.each([
    ['{}', 'invalid arguments for write_stdin: session_id is required (the session ID exec_command returned)'],
    ['{"session_id":"abc"}', 'invalid arguments for write_stdin: session_id must be the session ID exec_command returned (a whole number), not "abc"'],
    ['{"session_id":-3}', 'invalid arguments for write_stdin: session_id must be the session ID exec_command returned (a whole number), not -3'],
    ['{"session_id":true}', 'invalid arguments for write_stdin: session_id must be the session ID exec_command returned, not a boolean'],
    [
      '{"session_id":1.5,"chars":5}',
      'invalid arguments for write_stdin: session_id must be the session ID exec_command returned (a whole number), not 1.5; chars must be a string, not a number',
    ],
  ])('rejects %s', (raw, error) => {
    expect(parseWriteStdinArgs(raw)).toEqual({ ok: false, error });
  });

  it('rejects broken JSON', () => {
    const r = parseWriteStdinArgs('session_id=5');
    expect(r.ok ? '' : r.error).toMatch(/^invalid arguments for write_stdin: arguments are not valid JSON: /);
  });
});

describe('tool specs', () => {
  it('declares both tools with JSON Schema objects whose required fields exist', () => {
    expect(TOOL_SPECS.map((t) => t.name)).toEqual(['exec_command', 'write_stdin']);
    for (const spec of [EXEC_COMMAND, WRITE_STDIN]) {
      const params = spec.parameters as { type: string; properties: Record<string, { type: string; description: string }>; required: string[] };
      expect(params.type).toBe('object');
      for (const name of params.required) expect(params.properties[name]).toBeDefined();
      for (const p of Object.values(params.properties)) expect(p.description.length).toBeGreaterThan(10);
    }
    expect(EXEC_COMMAND.description).toMatch(/session ID/);
    expect(Object.keys((EXEC_COMMAND.parameters as { properties: object }).properties)).toEqual([
      'cmd',
      'workdir',
      'tty',
      'yield_time_ms',
      'max_output_tokens',
      'shell',
      'login',
    ]);
  });

  it('accepts what the schema describes: every documented parameter parses', () => {
    const all = { cmd: 'ls', workdir: '.', tty: false, yield_time_ms: 1000, max_output_tokens: 10, shell: 'sh', login: true };
    const r = parseExecCommandArgs(JSON.stringify(all));
    expect(r).toEqual({ ok: true, value: all });
    if (r.ok) expect(Object.keys(r.value).sort()).toEqual(Object.keys((EXEC_COMMAND.parameters as { properties: object }).properties).sort());
    const stdin = parseWriteStdinArgs(JSON.stringify({ session_id: 1, chars: '', yield_time_ms: 1, max_output_tokens: 1 }));
    if (!stdin.ok) throw new Error(stdin.error);
    expect(Object.keys(stdin.value).sort()).toEqual(Object.keys((WRITE_STDIN.parameters as { properties: object }).properties).sort());
  });
});
