// The kinds of command the churn test starts, and what each should report when it ends on its own or is
// stopped. Every command carries a token (a number unique to this test process) in its command line, so its
// processes can be found in /proc whatever corral thinks.
import type { Prng } from './prng.js';

export type ShapeName =
  | 'plain'
  | 'tree'
  | 'trapExit'
  | 'trapIgnore'
  | 'setsidChild'
  | 'escapee'
  | 'interactive'
  | 'quickExit'
  | 'crash'
  | 'crashLater'
  | 'exitLater'
  | 'flood';

export interface Outcome {
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export interface Shape {
  name: ShapeName;
  command: string;
  /** How many processes carry the token once the command has settled (0: do not wait for any). */
  settledMembers: number;
  /**
   * A command line some member runs once the shell's setup is done: before bash execs it, bash itself carries
   * the token and counts as the member, while its `trap` may not have run yet.
   */
  settledArgs?: string;
  /** Ends by itself (soon). */
  selfExits: boolean;
  /** How it ends on its own; null when it does not. */
  natural: Outcome | null;
  /** What a stop reports while it runs untouched: how the leader ended. */
  onStop: { endedBy: 'SIGTERM' | 'SIGKILL' | 'exited'; outcome: Outcome };
}

/** The exit code and signal of a leader killed by `signal`. */
export const bySignal = (signal: NodeJS.Signals, num: number): Outcome => ({ exitCode: 128 + num, signal });

const TERM = bySignal('SIGTERM', 15);
const KILL = bySignal('SIGKILL', 9);
/** Reads lines: `size` prints the terminal size, `quit` exits 6, anything else is echoed as `got:<line>`. */
export const INTERACTIVE_QUIT: Outcome = { exitCode: 6, signal: null };

/** The token of command `n`: a sleep duration (about a day) no other test uses. */
export function tokenFor(n: number): string {
  return `${90_000 + n}.${process.pid}`;
}

export function makeShape(name: ShapeName, token: string, rng: Prng): Shape {
  // `:` is a no-op that puts the token into the shell's command line.
  const base = { name, settledMembers: 0, selfExits: false, natural: null, onStop: { endedBy: 'SIGTERM' as const, outcome: TERM } };
  switch (name) {
    case 'plain':
      // One simple command: bash execs sleep, which is the leader.
      return { ...base, command: `sleep ${token}`, settledMembers: 1 };
    case 'tree':
      return { ...base, command: `sh -c 'sleep ${token} & sleep ${token} & wait'`, settledMembers: 3 };
    case 'trapExit':
      return {
        ...base,
        command: `trap 'exit 7' TERM; sleep ${token} & wait`,
        settledMembers: 2,
        onStop: { endedBy: 'exited', outcome: { exitCode: 7, signal: null } },
      };
    case 'trapIgnore':
      // bash execs the last command of `-c`; the ignored SIGTERM survives the exec, so a stop needs SIGKILL.
      return {
        ...base,
        command: `trap '' TERM; sleep ${token}`,
        settledMembers: 1,
        settledArgs: `sleep ${token}`,
        onStop: { endedBy: 'SIGKILL', outcome: KILL },
      };
    case 'setsidChild':
      // The background child is not a group leader, so setsid(1) calls setsid() without forking: the sleep
      // runs in a session of its own, a child of the shell.
      return { ...base, command: `setsid sleep ${token} & wait`, settledMembers: 2 };
    case 'escapee':
      // The subshell exits at once: its setsid child is re-parented, in a session of its own, outside the
      // tree. Only the marker corral puts in its environment still ties it to the command.
      return { ...base, command: `sh -c '(setsid sleep ${token} &); sleep ${token} & wait'`, settledMembers: 3 };
    case 'interactive':
      return {
        ...base,
        command: `: ${token}; while read -r l; do case $l in quit) exit 6;; size) stty size;; *) echo "got:$l";; esac; done`,
        settledMembers: 1,
      };
    case 'quickExit': {
      const code = rng.int(0, 5);
      return { ...base, command: `: ${token}; exit ${code}`, selfExits: true, natural: { exitCode: code, signal: null } };
    }
    case 'crash':
      return { ...base, command: `: ${token}; ulimit -c 0; kill -SEGV $$`, selfExits: true, natural: bySignal('SIGSEGV', 11) };
    case 'crashLater':
      return {
        ...base,
        command: `: ${token}; ulimit -c 0; sleep 0.${rng.int(4, 9)}; kill -SEGV $$`,
        selfExits: true,
        natural: bySignal('SIGSEGV', 11),
      };
    case 'exitLater': {
      const code = rng.int(0, 5);
      return { ...base, command: `: ${token}; sleep 0.${rng.int(4, 9)}; exit ${code}`, selfExits: true, natural: { exitCode: code, signal: null } };
    }
    case 'flood':
      return { ...base, command: `: ${token}; yes | head -c 5000000`, selfExits: true, natural: { exitCode: 0, signal: null } };
  }
}

/** How often each shape is started. Floods cost CPU on a shared machine: rare. */
export const SHAPE_WEIGHTS: Record<ShapeName, number> = {
  plain: 5,
  tree: 4,
  trapExit: 3,
  trapIgnore: 2,
  setsidChild: 3,
  escapee: 3,
  interactive: 5,
  quickExit: 3,
  crash: 1,
  crashLater: 2,
  exitLater: 4,
  flood: 1,
};
