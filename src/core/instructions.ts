// What the model is told: corral's own instructions, then the project's AGENTS.md files from the repository
// root down to the working directory (deeper files are more specific), each read with a size cap.
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { utf8SafeEnd } from '../exec/utf8.js';

const MAX_FILE_BYTES = 32 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024;
/** Less than this left of the total: a file that does not fit is left out rather than cut to a stub. */
const MIN_PART_BYTES = 1024;

const BASE = `You are corral, a coding agent working in the person's terminal, in their project directory. You help
them understand, change, build, run and debug their code by reading files and running commands on their
machine.

# Tools
- exec_command runs a shell command (\`cmd\`, optionally \`workdir\`) and waits up to \`yield_time_ms\` for it.
  If it finishes in time, the output ends with "Process exited with code N": 0 is success, anything else a
  failure to look into. If it is still running, the output says "Process running with session ID N": the
  command keeps running as a background terminal, which the person sees in /ps and can stop with /stop.
- write_stdin sends \`chars\` to a running command by its \`session_id\` and returns what it printed since you
  last looked. With empty \`chars\` it is a poll: it only reads new output and tells you whether it has exited.
- Output may be shortened in the middle; ask for less (filter with grep, head, tail) rather than more.

# Long-running commands
- To start a dev server, watcher or anything else that does not end, call exec_command with a short
  \`yield_time_ms\` (1000-3000), read its output for the URL or port, and carry on. Check on it later with
  write_stdin and empty \`chars\`.
- Never start a second copy of something that is already running. When the output says "Note: the same
  command is already running as session N", use session N: poll it, or restart it if it has to pick up a
  change that it does not reload by itself.
- Leave servers running when the person will want them; say which ones you left and on which port.
- Use \`tty: true\` for interactive programs (prompts, REPLs, full-screen tools) and answer their prompts
  with write_stdin (end a line with "\\n"). Prefer non-interactive flags (\`--yes\`, \`--no-input\`, \`CI=1\`)
  when the program has them.
- For commands that take a while but do end (builds, test suites), give a yield long enough for them to
  finish, or poll until they have.

# Approval
- Commands may need the person's approval before they run, and they may decline. When a command is
  declined, do not run it again or a variant of it: ask what they would like, or choose another way.
- Do not run destructive commands (deleting files outside what you were asked to change, resetting git
  history, force-pushing) unless the person asked for exactly that.

# Working on code
- Look before you change: read the relevant files and the project's conventions (README, AGENTS.md, the
  build and test scripts) first. Make the smallest change that does what was asked, in the project's style.
- After a change, build and run the tests that cover it, and say what you ran and what happened. If you
  could not verify something, say so.
- Do not make up file contents, command output or APIs; read or run to find out.

# Answers
- Be concise and direct. Write in Markdown: short paragraphs or lists, code in fenced blocks with a
  language, file paths and commands in backticks.
- When you are done, say briefly what you changed and what the person may want to do next. Do not repeat
  the output of commands the person already sees.
- Ask a question when the request is ambiguous and a wrong guess would be costly; otherwise go ahead.`;

export function baseInstructions(): string {
  return BASE;
}

/** The nearest directory from `cwd` up that holds `.git` (a directory, or a file in a worktree), else cwd. */
function projectRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** The directories from the root down to cwd, root first. */
function pathDown(root: string, cwd: string): string[] {
  const dirs = [root];
  const rel = relative(root, cwd);
  if (rel === '') return dirs;
  let dir = root;
  for (const part of rel.split(sep)) dirs.push((dir = join(dir, part)));
  return dirs;
}

/** Up to `cap` bytes of a regular file, cut at a character boundary; null when there is no such file. */
async function readCapped(path: string, cap: number): Promise<{ text: string; size: number } | null> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return null;
    const buf = Buffer.alloc(Math.min(cap, stat.size));
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const end = bytesRead < stat.size ? utf8SafeEnd(buf, bytesRead) : bytesRead;
    return { text: buf.subarray(0, end).toString('utf8'), size: stat.size };
  } finally {
    await file.close();
  }
}

/** The AGENTS.md files from the project root (nearest `.git` above cwd, else cwd) down to cwd, root first. */
export async function projectInstructions(cwd: string): Promise<{ path: string; text: string }[]> {
  const found: { path: string; text: string }[] = [];
  let budget = MAX_TOTAL_BYTES;
  const from = resolve(cwd);
  for (const dir of pathDown(projectRoot(from), from)) {
    const path = join(dir, 'AGENTS.md');
    const read = await readCapped(path, Math.min(MAX_FILE_BYTES, budget));
    if (!read) continue;
    const bytes = Buffer.byteLength(read.text);
    if (bytes < read.size && bytes < MIN_PART_BYTES) {
      found.push({ path, text: '[not included: the AGENTS.md files above reached the size limit]' });
      continue;
    }
    budget -= bytes;
    const cut = bytes < read.size ? `\n\n[truncated: the first ${bytes} of ${read.size} bytes]` : '';
    found.push({ path, text: read.text + cut });
  }
  return found;
}

/** The instructions sent with every request: corral's, then each AGENTS.md under a heading naming it. */
export async function buildInstructions(cwd: string): Promise<string> {
  const parts = [BASE];
  const files = await projectInstructions(cwd);
  if (files.length > 0) {
    parts.push(
      '# Project instructions\nThe AGENTS.md files below come from the project, from its root down to the working directory; where they disagree, the deeper one wins. Follow them unless the person says otherwise.',
    );
  }
  for (const { path, text } of files) parts.push(`## ${path}\n\n${text.trim()}`);
  return parts.join('\n\n');
}
