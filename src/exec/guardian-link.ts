// corral's side of the guardian (guardian-main.ts): started with the first managed tree, told of each tree as it
// starts and ends, and said goodbye to on a clean exit. Should it die, the next tree starts a new one that is told
// everything still running.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { closeOnExecFrom3 } from './close-on-exec.js';
import { type GuardedTree, type GuardianConfig, type GuardianMessage, encode } from './guardian-messages.js';
import { MARKER_VAR } from './marker.js';

/** The bundled guardian next to the bundle that runs (dist/guardian.js beside dist/corral.js), if built. */
export function defaultGuardianScript(): string | null {
  const path = fileURLToPath(new URL('./guardian.js', import.meta.url));
  return existsSync(path) ? path : null;
}

export class GuardianLink {
  private child: ChildProcess | null = null;
  private readonly trees = new Map<string, GuardedTree>();
  private closed = false;

  constructor(
    private readonly script: string,
    private readonly config: GuardianConfig,
  ) {}

  /** The guardian's pid while it runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Makes the guardian's set of trees `trees`, starting it if there is something to guard. */
  sync(trees: readonly GuardedTree[]): void {
    if (this.closed) return;
    const next = new Map(trees.map((t) => [t.id, t]));
    for (const id of this.trees.keys()) {
      if (!next.has(id)) {
        this.trees.delete(id);
        this.send({ op: 'unwatch', id });
      }
    }
    for (const [id, t] of next) {
      if (this.trees.has(id)) continue;
      this.trees.set(id, t);
      if (this.child) this.send({ op: 'watch', ...t });
    }
    if (!this.child && this.trees.size > 0) this.start();
  }

  /**
   * corral is going. With `clean` (everything ended) the guardian is told so and just exits; otherwise closing
   * its pipe makes it end what is left.
   */
  close(clean: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (clean) this.send({ op: 'bye' });
    this.child?.stdin?.end();
    this.child = null;
  }

  private start(): void {
    // Whatever corral inherited must not reach the guardian (descriptors.test.ts).
    closeOnExecFrom3();
    const env = { ...process.env };
    delete env[MARKER_VAR]; // it is no managed process, even when corral runs inside another corral
    const child = spawn(process.execPath, [this.script, JSON.stringify(this.config)], {
      detached: true, // its own session: a signal to corral's group or a hang-up of its terminal does not reach it
      stdio: ['pipe', 'ignore', 'ignore'],
      env,
    });
    this.child = child;
    child.on('error', () => undefined); // a failed start shows as an exit; the next tree tries again
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    child.stdin?.on('error', () => undefined); // EPIPE once it is gone
    // Neither the guardian nor its pipe may keep corral's event loop alive.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    for (const t of this.trees.values()) this.send({ op: 'watch', ...t });
  }

  private send(message: GuardianMessage): void {
    // A pipe write of a short line goes out at once, also from an exit handler.
    this.child?.stdin?.write(encode(message));
  }
}
