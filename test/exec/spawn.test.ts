import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecInputError } from '../../src/exec/index.js';
import { readProcStatSync } from '../../src/exec/proc.js';
import { useManager } from '../helpers/manager.js';

const manager = useManager();

describe('spawning', () => {
  it('reports exit codes under pipes and under a PTY', async () => {
    const m = manager();
    for (const tty of [false, true]) {
      expect((await m.exec({ command: 'exit 0', tty })).exitCode).toBe(0);
      const r = await m.exec({ command: 'exit 42', tty });
      expect(r).toMatchObject({ status: 'exited', exitCode: 42, signal: null });
    }
  });

  it('reports death by signal as 128 + N with the signal name', async () => {
    const m = manager();
    const r = await m.exec({ command: 'kill -KILL $$', login: false });
    expect(r).toMatchObject({ status: 'exited', exitCode: 137, signal: 'SIGKILL' });
  });

  it('gives the child a terminal under tty and none under pipes', async () => {
    const m = manager();
    const check = 'if [ -t 0 ]; then echo in:tty; else echo in:no; fi; if [ -t 1 ]; then echo out:tty; else echo out:no; fi';
    const pty = await m.exec({ command: check, tty: true });
    expect(pty.output).toContain('in:tty');
    expect(pty.output).toContain('out:tty');
    const pipe = await m.exec({ command: check });
    expect(pipe.output).toContain('in:no');
    expect(pipe.output).toContain('out:no');
  });

  it('merges stderr into the output of a pipe process', async () => {
    const m = manager();
    const r = await m.exec({ command: 'echo out; echo err >&2' });
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
  });

  it('applies env overrides and unsets variables given as null', async () => {
    const m = manager();
    process.env.CORRAL_TEST_UNSET_ME = 'present';
    try {
      const r = await m.exec({
        command: 'echo "A=$CORRAL_A"; echo "U=${CORRAL_TEST_UNSET_ME-unset}"',
        env: { CORRAL_A: 'alpha', CORRAL_TEST_UNSET_ME: null },
      });
      expect(r.output).toContain('A=alpha');
      expect(r.output).toContain('U=unset');
    } finally {
      delete process.env.CORRAL_TEST_UNSET_ME;
    }
  });

  it('uses the agent profile for model commands and the user profile for the user', async () => {
    const m = manager();
    const show = 'echo "TERM=$TERM NO_COLOR=${NO_COLOR-} PAGER=${PAGER-} GIT_PAGER=${GIT_PAGER-} GH_PAGER=${GH_PAGER-} LC_ALL=${LC_ALL-} CORRAL=${CORRAL-}"';
    const agent = await m.exec({ command: show, profile: 'agent' });
    expect(agent.output).toContain('TERM=dumb NO_COLOR=1 PAGER=cat GIT_PAGER=cat GH_PAGER=cat LC_ALL=C.UTF-8 CORRAL=1');
    const user = await m.exec({ command: show, profile: 'user', tty: true });
    expect(user.output).toContain('TERM=xterm-256color');
    expect(user.output).toContain('CORRAL=1');
  });

  it('runs in the given working directory', async () => {
    const m = manager();
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'corral-cwd-')));
    const r = await m.exec({ command: 'pwd', cwd: dir });
    expect(r.output.trim()).toBe(dir);
  });

  it('refuses a working directory that does not exist', async () => {
    const m = manager();
    await expect(m.exec({ command: 'true', cwd: '/nonexistent/corral' })).rejects.toThrow(ExecInputError);
  });

  it('runs the shell as a login shell unless told not to', async () => {
    const m = manager();
    expect((await m.exec({ command: 'shopt -q login_shell && echo login || echo plain' })).output.trim()).toBe('login');
    expect((await m.exec({ command: 'shopt -q login_shell && echo login || echo plain', login: false })).output.trim()).toBe('plain');
  });

  it('puts each child in its own session and process group and records its start time', async () => {
    const m = manager();
    for (const tty of [false, true]) {
      const r = await m.exec({ command: 'sleep 30', tty, yieldMs: 250 });
      const info = m.info(r.processId)!;
      const stat = readProcStatSync(info.osPid!)!;
      expect(stat.session).toBe(info.osPid);
      expect(stat.pgrp).toBe(info.osPid);
      expect(m.get(r.processId)!.meta.osStartTime).toBe(stat.startTime);
    }
  });

  it('gives random ids in [1000, 100000) and never two alike among live processes', async () => {
    const m = manager();
    const results = await Promise.all(Array.from({ length: 20 }, () => m.exec({ command: 'sleep 30', yieldMs: 250 })));
    const ids = results.map((r) => Number(r.processId));
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) {
      expect(id).toBeGreaterThanOrEqual(1000);
      expect(id).toBeLessThan(100000);
      expect(String(id)).toBe(results[ids.indexOf(id)]!.processId);
    }
  });
});
