// `corral exec "prompt"`: one turn to completion without the TUI. The final agent message goes to stdout and
// progress to stderr (or, with --json, every notification as a JSON line on stdout). Exit code 0 for a
// completed turn. Background terminals the turn started are stopped, verified, before it exits.
import { readFileSync } from 'node:fs';
import type { Backend } from '../backend.js';
import { Notifications, type NotificationMethod, type TurnData } from '../protocol/shapes.js';
import { VERSION } from '../version.js';
import type { ExecOptions } from './args.js';
import { ExecProgress } from './exec-progress.js';

const MAX_PROMPT_BYTES = 1024 * 1024;

function readPrompt(prompt: string): string {
  if (prompt !== '-') return prompt;
  const text = readFileSync(0, 'utf8');
  return Buffer.byteLength(text) > MAX_PROMPT_BYTES ? text.slice(0, MAX_PROMPT_BYTES) : text;
}

export async function runExec(opts: ExecOptions): Promise<number> {
  let prompt: string;
  try {
    prompt = readPrompt(opts.prompt).trim();
  } catch (err) {
    process.stderr.write(`corral exec: cannot read the prompt from stdin: ${(err as Error).message}\n`);
    return 2;
  }
  if (prompt === '') {
    process.stderr.write('corral exec: the prompt is empty\n');
    return 2;
  }
  if (opts.cwd) {
    try {
      process.chdir(opts.cwd);
    } catch (err) {
      process.stderr.write(`corral exec: cannot change to ${opts.cwd}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  // A reader that went away (`corral exec ... | head`) ends the run quietly, like any Unix filter.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const { startBackend } = await import('../backend.js');
  const backend = await startBackend({
    configOverrides: opts.configOverrides,
    approvalPolicy: opts.fullAuto ? 'never' : undefined,
    cliVersion: VERSION,
    source: 'exec',
    beforeExit: () => undefined,
    ownSigint: true,
  });
  try {
    return await runTurn(backend, prompt, opts.json);
  } finally {
    await backend.shutdown();
  }
}

async function runTurn(backend: Backend, prompt: string, json: boolean): Promise<number> {
  const { client, threadId } = backend;
  for (const w of backend.warnings) process.stderr.write(`corral: ${w}\n`);
  const progress = json ? null : new ExecProgress(process.stderr);
  if (json) {
    for (const method of Object.keys(Notifications) as NotificationMethod[]) {
      client.on(method, (params) => process.stdout.write(`${JSON.stringify({ method, params })}\n`));
    }
  } else progress!.attach(client, threadId);

  const ended = new Promise<TurnData>((resolve) => {
    client.on('turn/completed', (p) => {
      if (p.threadId === threadId) resolve(p.turn);
    });
  });
  let turnId: string;
  try {
    turnId = (await client.request('turn/start', { threadId, input: [{ type: 'text', text: prompt }] })).turn.id;
  } catch (err) {
    process.stderr.write(`corral exec: ${(err as Error).message}\n`);
    return 1;
  }
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ncorral exec: interrupting (Ctrl+C again to quit at once)\n');
      void client.request('turn/interrupt', { threadId, turnId }).catch(() => undefined);
    } else {
      backend.session.manager.shutdownSync(0);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  const turn = await ended;
  process.off('SIGINT', onSigint);

  const cleaned = await client.request('thread/backgroundTerminals/clean', { threadId });
  if (!json) {
    for (const r of cleaned.reports) process.stderr.write(`corral: stopped background terminal [${r.processId}] ${r.command} (${r.endedBy})\n`);
    const last = [...turn.items].reverse().find((i) => i.type === 'agentMessage');
    if (last && last.type === 'agentMessage') process.stdout.write(last.text.endsWith('\n') ? last.text : `${last.text}\n`);
    if (turn.status === 'failed') process.stderr.write(`corral exec: the turn failed: ${turn.error?.message ?? 'unknown error'}\n`);
    if (turn.status === 'interrupted') process.stderr.write('corral exec: interrupted\n');
  }
  return turn.status === 'completed' ? 0 : turn.status === 'interrupted' ? 130 : 1;
}
