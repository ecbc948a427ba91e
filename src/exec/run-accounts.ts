// Who else must know which trees this run has: the registry file (for a later run, should this one crash) and the
// guardian (which ends them, should this one be killed). Both are told the same list on every change.
import { GuardianLink } from './guardian-link.js';
import { currentRunId } from './marker.js';
import { ProcessRegistryFile, type RegistryEntry } from './registry-file.js';

export interface RunAccountsOptions {
  /** corral home for the registry file; null: no file. */
  home: string | null;
  /** The guardian's script; null: no guardian. */
  guardianScript: string | null;
  graceMs: number;
}

export class RunAccounts {
  readonly runId = currentRunId();
  private readonly registry: ProcessRegistryFile | null;
  private readonly guardian: GuardianLink | null;
  private closed = false;

  constructor(opts: RunAccountsOptions) {
    this.registry = opts.home ? new ProcessRegistryFile(opts.home, this.runId) : null;
    this.guardian = opts.guardianScript
      ? new GuardianLink(opts.guardianScript, {
          runId: this.runId,
          graceMs: opts.graceMs,
          registryPath: this.registry?.path ?? null,
        })
      : null;
  }

  /** The guardian's pid while it runs (it starts with the first tree). */
  get guardianPid(): number | null {
    return this.guardian?.pid ?? null;
  }

  update(entries: readonly RegistryEntry[]): void {
    if (this.closed) return;
    this.registry?.write(entries);
    this.guardian?.sync(
      entries.flatMap((e) =>
        e.marker ? [{ id: e.processId, leader: { pid: e.osPid, startTime: e.startTime }, marker: e.marker }] : [],
      ),
    );
  }

  /** The run is over. `clean`: everything was ended, so the file goes and the guardian has nothing to do. */
  close(clean: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.guardian?.close(clean);
    if (clean) this.registry?.remove();
  }
}
