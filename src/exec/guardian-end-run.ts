// What the guardian does when corral is gone without saying bye: end every tree it was told about and corral had
// not ended, exactly as a stop does, then what is left of the run by its marker, then remove the registry file.
import { rmSync } from 'node:fs';
import { detachedTarget, endMarked } from './detached-target.js';
import { ofRun } from './marker.js';
import { terminateTree } from './terminate-tree.js';
import type { GuardedTree, GuardianConfig } from './guardian-messages.js';

/** Returns how many processes could not be ended (the registry file stays for a later run then). */
export async function endRun(trees: Iterable<GuardedTree>, config: GuardianConfig): Promise<number> {
  const ended = await Promise.all(
    [...trees].map((t) => terminateTree(detachedTarget(t.leader, [], t.marker), config.graceMs)),
  );
  const rest = await endMarked(ofRun(config.runId), config.graceMs);
  const survivors = ended.reduce((n, t) => n + t.survivors.length, rest?.survivors.length ?? 0);
  if (survivors === 0 && config.registryPath) {
    rmSync(config.registryPath, { force: true });
    rmSync(`${config.registryPath}.tmp`, { force: true });
  }
  return survivors;
}
